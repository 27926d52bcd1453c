-- CreateTable
CREATE TABLE "ChatConversation" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "visitorHash" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "lastActiveAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "visitorSeenAt" TIMESTAMP(3),
    "agentSeenAt" TIMESTAMP(3),
    "pagePath" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChatConversation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffPresence" (
    "shop" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'online',
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StaffPresence_pkey" PRIMARY KEY ("shop","userId")
);

-- CreateIndex
CREATE INDEX "ChatConversation_shop_visitorHash_createdAt_idx" ON "ChatConversation"("shop", "visitorHash", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ChatConversation_shop_ticketId_key" ON "ChatConversation"("shop", "ticketId");

-- CreateIndex
CREATE INDEX "StaffPresence_shop_lastSeenAt_idx" ON "StaffPresence"("shop", "lastSeenAt");
