-- Shared state and retention: storefront rate-limit buckets in the database (one limit for every app
-- process), daily help-visit counts and article vote counts kept when retention deletes the raw rows,
-- the FAQ cache generation and the shared storefront-copy check, email bodies pruned, indexes to prune by.

-- AlterTable
ALTER TABLE "OutboundEmail" ADD COLUMN "bodyPrunedAt" DATETIME;

-- AlterTable
ALTER TABLE "FaqState" ADD COLUMN "copyCheckedAt" DATETIME;
ALTER TABLE "FaqState" ADD COLUMN "generation" TEXT;

-- CreateTable
CREATE TABLE "HelpVisitDay" (
    "shop" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "visits" INTEGER NOT NULL DEFAULT 0,
    "contacted" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("shop", "day")
);

-- CreateTable
CREATE TABLE "RateLimitBucket" (
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "tokens" REAL NOT NULL,
    "capacity" REAL NOT NULL,
    "refillMs" REAL NOT NULL,
    "updatedMs" REAL NOT NULL,
    "fullMs" REAL NOT NULL,
    "allowed" INTEGER NOT NULL DEFAULT 1,

    PRIMARY KEY ("shop", "key")
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_FaqArticle" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "categoryId" INTEGER,
    "position" INTEGER NOT NULL DEFAULT 0,
    "published" BOOLEAN NOT NULL DEFAULT true,
    "views" INTEGER NOT NULL DEFAULT 0,
    "helpfulVotes" INTEGER NOT NULL DEFAULT 0,
    "notHelpfulVotes" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "FaqArticle_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "FaqCategory" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_FaqArticle" ("categoryId", "createdAt", "id", "position", "published", "shop", "updatedAt", "views") SELECT "categoryId", "createdAt", "id", "position", "published", "shop", "updatedAt", "views" FROM "FaqArticle";
DROP TABLE "FaqArticle";
ALTER TABLE "new_FaqArticle" RENAME TO "FaqArticle";
CREATE INDEX "FaqArticle_shop_published_position_id_idx" ON "FaqArticle"("shop", "published", "position", "id");
CREATE INDEX "FaqArticle_shop_views_idx" ON "FaqArticle"("shop", "views");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "RateLimitBucket_shop_fullMs_idx" ON "RateLimitBucket"("shop", "fullMs");

-- CreateIndex
CREATE INDEX "OutboundEmail_shop_bodyPrunedAt_createdAt_idx" ON "OutboundEmail"("shop", "bodyPrunedAt", "createdAt");

-- CreateIndex
CREATE INDEX "FaqVote_shop_updatedAt_idx" ON "FaqVote"("shop", "updatedAt");

-- CreateIndex
CREATE INDEX "FaqSearch_shop_lastSearchedAt_idx" ON "FaqSearch"("shop", "lastSearchedAt");

