-- CreateTable
CREATE TABLE "DelayNoticeSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "triggers" TEXT NOT NULL DEFAULT '["carrier_delayed","carrier_failure","attempted_delivery","on_hold","rescheduled","late_to_ship"]',
    "minDelayMinutes" INTEGER NOT NULL DEFAULT 0,
    "handlingDays" INTEGER NOT NULL DEFAULT 3,
    "excludedOrderTags" TEXT NOT NULL DEFAULT '',
    "excludedCustomerTags" TEXT NOT NULL DEFAULT '',
    "tagOrders" BOOLEAN NOT NULL DEFAULT false,
    "orderTag" TEXT NOT NULL DEFAULT 'delay-notified',
    "templates" TEXT NOT NULL DEFAULT '{}',
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "DelayNotice" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "reason" TEXT,
    "orderShopifyId" TEXT NOT NULL,
    "orderName" TEXT NOT NULL,
    "newDate" DATETIME,
    "source" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "skipReason" TEXT,
    "error" TEXT,
    "language" TEXT,
    "ticketId" TEXT,
    "emailId" TEXT,
    "sendAfter" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "DelayNotice_shop_createdAt_id_idx" ON "DelayNotice"("shop", "createdAt", "id");

-- CreateIndex
CREATE INDEX "DelayNotice_shop_status_createdAt_idx" ON "DelayNotice"("shop", "status", "createdAt");

-- CreateIndex
CREATE INDEX "DelayNotice_shop_orderShopifyId_idx" ON "DelayNotice"("shop", "orderShopifyId");

-- CreateIndex
CREATE UNIQUE INDEX "DelayNotice_shop_dedupeKey_key" ON "DelayNotice"("shop", "dedupeKey");

