-- AlterTable
ALTER TABLE "TicketMessage" ADD COLUMN "messageId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "TicketMessage_shop_messageId_key" ON "TicketMessage"("shop", "messageId");

