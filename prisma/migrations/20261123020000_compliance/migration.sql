-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "scopesUpdatedAt" DATETIME;

-- CreateTable
CREATE TABLE "DataRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "webhookEventId" TEXT NOT NULL,
    "shopifyRequestId" TEXT,
    "customerId" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "ordersRequested" TEXT NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "export" TEXT,
    "requestedAt" DATETIME NOT NULL,
    "readyAt" DATETIME
);

-- CreateIndex
CREATE INDEX "DataRequest_shop_requestedAt_idx" ON "DataRequest"("shop", "requestedAt");

-- CreateIndex
CREATE UNIQUE INDEX "DataRequest_shop_webhookEventId_key" ON "DataRequest"("shop", "webhookEventId");

