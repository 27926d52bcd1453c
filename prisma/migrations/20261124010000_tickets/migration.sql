-- CreateTable
CREATE TABLE "SupportSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "fromEmail" TEXT,
    "fromName" TEXT,
    "responseTimeHours" INTEGER NOT NULL DEFAULT 24,
    "timeZone" TEXT,
    "businessHours" TEXT NOT NULL DEFAULT '{"mon":[["09:00","17:00"]],"tue":[["09:00","17:00"]],"wed":[["09:00","17:00"]],"thu":[["09:00","17:00"]],"fri":[["09:00","17:00"]],"sat":[],"sun":[]}',
    "signature" TEXT NOT NULL DEFAULT '',
    "autoAcknowledge" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Ticket" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "subject" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "priority" TEXT NOT NULL DEFAULT 'normal',
    "channel" TEXT NOT NULL,
    "assigneeId" TEXT,
    "assigneeName" TEXT,
    "tags" TEXT NOT NULL DEFAULT '',
    "customerEmail" TEXT,
    "customerName" TEXT,
    "customerShopifyId" TEXT,
    "locale" TEXT,
    "orderShopifyId" TEXT,
    "orderName" TEXT,
    "replyToken" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "lastMessageAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "unread" BOOLEAN NOT NULL DEFAULT true,
    "firstResponseAt" DATETIME,
    "solvedAt" DATETIME,
    "closedAt" DATETIME,
    "slaDueAt" DATETIME,
    "redactedAt" DATETIME
);

-- CreateTable
CREATE TABLE "TicketMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "authorName" TEXT,
    "authorEmail" TEXT,
    "body" TEXT NOT NULL,
    "event" TEXT,
    "eventData" TEXT,
    "emailId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "OutboundEmail" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "ticketId" TEXT,
    "purpose" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "inReplyTo" TEXT,
    "references" TEXT NOT NULL DEFAULT '',
    "fromAddress" TEXT NOT NULL,
    "replyTo" TEXT,
    "toAddress" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "language" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "smtpResponse" TEXT,
    "sentAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_replyToken_key" ON "Ticket"("replyToken");

-- CreateIndex
CREATE INDEX "Ticket_shop_status_lastMessageAt_idx" ON "Ticket"("shop", "status", "lastMessageAt");

-- CreateIndex
CREATE INDEX "Ticket_shop_assigneeId_status_lastMessageAt_idx" ON "Ticket"("shop", "assigneeId", "status", "lastMessageAt");

-- CreateIndex
CREATE INDEX "Ticket_shop_slaDueAt_idx" ON "Ticket"("shop", "slaDueAt");

-- CreateIndex
CREATE INDEX "Ticket_shop_customerEmail_idx" ON "Ticket"("shop", "customerEmail");

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_shop_number_key" ON "Ticket"("shop", "number");

-- CreateIndex
CREATE INDEX "TicketMessage_shop_ticketId_createdAt_idx" ON "TicketMessage"("shop", "ticketId", "createdAt");

-- CreateIndex
CREATE INDEX "OutboundEmail_shop_status_createdAt_idx" ON "OutboundEmail"("shop", "status", "createdAt");

-- CreateIndex
CREATE INDEX "OutboundEmail_shop_ticketId_idx" ON "OutboundEmail"("shop", "ticketId");

-- CreateIndex
CREATE UNIQUE INDEX "OutboundEmail_shop_messageId_key" ON "OutboundEmail"("shop", "messageId");

