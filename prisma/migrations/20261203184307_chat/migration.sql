-- CreateTable
CREATE TABLE "ChatConversation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "visitorHash" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "lastActiveAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "visitorSeenAt" DATETIME,
    "agentSeenAt" DATETIME,
    "pagePath" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "StaffPresence" (
    "shop" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'online',
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("shop", "userId")
);

-- CreateIndex
CREATE INDEX "ChatConversation_shop_visitorHash_createdAt_idx" ON "ChatConversation"("shop", "visitorHash", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ChatConversation_shop_ticketId_key" ON "ChatConversation"("shop", "ticketId");

-- CreateIndex
CREATE INDEX "StaffPresence_shop_lastSeenAt_idx" ON "StaffPresence"("shop", "lastSeenAt");
