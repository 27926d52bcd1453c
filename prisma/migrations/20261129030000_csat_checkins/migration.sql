-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "storefrontUrl" TEXT;

-- CreateTable
CREATE TABLE "SatisfactionSurvey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "ticketId" TEXT NOT NULL,
    "emailId" TEXT,
    "sentAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rating" INTEGER,
    "comment" TEXT,
    "ratedAt" DATETIME
);

-- CreateTable
CREATE TABLE "CheckIn" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "orderName" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "skipReason" TEXT,
    "emailId" TEXT,
    "dueAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_SupportSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "fromEmail" TEXT,
    "fromName" TEXT,
    "responseTimeHours" INTEGER NOT NULL DEFAULT 24,
    "timeZone" TEXT,
    "businessHours" TEXT NOT NULL DEFAULT '{"mon":[["09:00","17:00"]],"tue":[["09:00","17:00"]],"wed":[["09:00","17:00"]],"thu":[["09:00","17:00"]],"fri":[["09:00","17:00"]],"sat":[],"sun":[]}',
    "signature" TEXT NOT NULL DEFAULT '',
    "autoAcknowledge" BOOLEAN NOT NULL DEFAULT true,
    "supportPhone" TEXT NOT NULL DEFAULT '',
    "csatEnabled" BOOLEAN NOT NULL DEFAULT true,
    "checkInEnabled" BOOLEAN NOT NULL DEFAULT false,
    "checkInDays" INTEGER NOT NULL DEFAULT 7,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_SupportSettings" ("autoAcknowledge", "businessHours", "fromEmail", "fromName", "responseTimeHours", "shop", "signature", "supportPhone", "timeZone", "updatedAt") SELECT "autoAcknowledge", "businessHours", "fromEmail", "fromName", "responseTimeHours", "shop", "signature", "supportPhone", "timeZone", "updatedAt" FROM "SupportSettings";
DROP TABLE "SupportSettings";
ALTER TABLE "new_SupportSettings" RENAME TO "SupportSettings";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "SatisfactionSurvey_shop_sentAt_idx" ON "SatisfactionSurvey"("shop", "sentAt");

-- CreateIndex
CREATE INDEX "SatisfactionSurvey_shop_ratedAt_idx" ON "SatisfactionSurvey"("shop", "ratedAt");

-- CreateIndex
CREATE UNIQUE INDEX "SatisfactionSurvey_shop_ticketId_key" ON "SatisfactionSurvey"("shop", "ticketId");

-- CreateIndex
CREATE INDEX "CheckIn_shop_status_dueAt_idx" ON "CheckIn"("shop", "status", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "CheckIn_shop_orderShopifyId_key" ON "CheckIn"("shop", "orderShopifyId");

-- CreateIndex
CREATE INDEX "Ticket_shop_solvedAt_idx" ON "Ticket"("shop", "solvedAt");

