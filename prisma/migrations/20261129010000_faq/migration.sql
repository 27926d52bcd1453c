-- CreateTable
CREATE TABLE "FaqCategory" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "titles" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "FaqArticle" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "categoryId" INTEGER,
    "position" INTEGER NOT NULL DEFAULT 0,
    "published" BOOLEAN NOT NULL DEFAULT true,
    "views" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "FaqArticle_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "FaqCategory" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FaqTranslation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "articleId" INTEGER NOT NULL,
    "locale" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "answer" TEXT NOT NULL,
    "answerHtml" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "FaqTranslation_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "FaqArticle" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FaqVote" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "articleId" INTEGER NOT NULL,
    "visitId" TEXT NOT NULL,
    "helpful" BOOLEAN NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "FaqVote_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "FaqArticle" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FaqSearch" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "sample" TEXT NOT NULL,
    "searches" INTEGER NOT NULL DEFAULT 0,
    "noResult" INTEGER NOT NULL DEFAULT 0,
    "lastResultCount" INTEGER NOT NULL DEFAULT 0,
    "lastSearchedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "HelpVisit" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "visitId" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "searches" INTEGER NOT NULL DEFAULT 0,
    "articles" INTEGER NOT NULL DEFAULT 0,
    "contacted" BOOLEAN NOT NULL DEFAULT false,
    "ticketId" TEXT
);

-- CreateTable
CREATE TABLE "FaqState" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL DEFAULT 0,
    "publishedVersion" INTEGER NOT NULL DEFAULT 0,
    "publishedAt" DATETIME,
    "publishError" TEXT,
    "publishedBytes" INTEGER NOT NULL DEFAULT 0
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
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_SupportSettings" ("autoAcknowledge", "businessHours", "fromEmail", "fromName", "responseTimeHours", "shop", "signature", "timeZone", "updatedAt") SELECT "autoAcknowledge", "businessHours", "fromEmail", "fromName", "responseTimeHours", "shop", "signature", "timeZone", "updatedAt" FROM "SupportSettings";
DROP TABLE "SupportSettings";
ALTER TABLE "new_SupportSettings" RENAME TO "SupportSettings";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "FaqCategory_shop_position_idx" ON "FaqCategory"("shop", "position");

-- CreateIndex
CREATE UNIQUE INDEX "FaqCategory_shop_handle_key" ON "FaqCategory"("shop", "handle");

-- CreateIndex
CREATE INDEX "FaqArticle_shop_published_position_id_idx" ON "FaqArticle"("shop", "published", "position", "id");

-- CreateIndex
CREATE INDEX "FaqArticle_shop_views_idx" ON "FaqArticle"("shop", "views");

-- CreateIndex
CREATE INDEX "FaqTranslation_shop_locale_idx" ON "FaqTranslation"("shop", "locale");

-- CreateIndex
CREATE UNIQUE INDEX "FaqTranslation_articleId_locale_key" ON "FaqTranslation"("articleId", "locale");

-- CreateIndex
CREATE INDEX "FaqVote_shop_articleId_idx" ON "FaqVote"("shop", "articleId");

-- CreateIndex
CREATE UNIQUE INDEX "FaqVote_shop_articleId_visitId_key" ON "FaqVote"("shop", "articleId", "visitId");

-- CreateIndex
CREATE INDEX "FaqSearch_shop_noResult_searches_idx" ON "FaqSearch"("shop", "noResult", "searches");

-- CreateIndex
CREATE INDEX "FaqSearch_shop_searches_idx" ON "FaqSearch"("shop", "searches");

-- CreateIndex
CREATE UNIQUE INDEX "FaqSearch_shop_locale_query_key" ON "FaqSearch"("shop", "locale", "query");

-- CreateIndex
CREATE INDEX "HelpVisit_shop_startedAt_idx" ON "HelpVisit"("shop", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "HelpVisit_shop_visitId_key" ON "HelpVisit"("shop", "visitId");

