-- DropIndex
DROP INDEX "Ticket_shop_status_lastMessageAt_idx";

-- DropIndex
DROP INDEX "Ticket_shop_assigneeId_status_lastMessageAt_idx";

-- DropIndex
DROP INDEX "Ticket_shop_slaDueAt_idx";

-- CreateIndex
CREATE INDEX "Ticket_shop_lastMessageAt_id_idx" ON "Ticket"("shop", "lastMessageAt", "id");

-- CreateIndex
CREATE INDEX "Ticket_shop_status_lastMessageAt_id_idx" ON "Ticket"("shop", "status", "lastMessageAt", "id");

-- CreateIndex
CREATE INDEX "Ticket_shop_assigneeId_status_lastMessageAt_id_idx" ON "Ticket"("shop", "assigneeId", "status", "lastMessageAt", "id");

-- CreateIndex
CREATE INDEX "Ticket_shop_createdAt_id_idx" ON "Ticket"("shop", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Ticket_shop_slaDueAt_id_idx" ON "Ticket"("shop", "slaDueAt", "id");

-- CreateIndex
CREATE INDEX "Ticket_shop_status_firstResponseAt_slaDueAt_id_idx" ON "Ticket"("shop", "status", "firstResponseAt", "slaDueAt", "id");

