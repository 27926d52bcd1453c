-- Canned replies in every language: each reply's text moves to a variant per language. The text
-- a reply had becomes its variant in the shop's default language (the shop's primary language when
-- the desk speaks it, else English). One placeholder style, Liquid's {{ name }}: stored delay-notice
-- wording and canned texts written with {name} are rewritten (a {{name}} already there stays as is).

-- CreateTable
CREATE TABLE "CannedReplyVariant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "cannedReplyId" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CannedReplyVariant_cannedReplyId_fkey" FOREIGN KEY ("cannedReplyId") REFERENCES "CannedReply" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- The texts, kept aside while CannedReply is rebuilt without its body column (dropping the old table
-- with foreign keys on would cascade to any variant already written).
CREATE TABLE "_CannedReplyBody" AS SELECT "id", "shop", "body", "createdAt", "updatedAt" FROM "CannedReply";

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_CannedReply" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "usageCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_CannedReply" ("createdAt", "id", "shop", "title", "updatedAt", "usageCount") SELECT "createdAt", "id", "shop", "title", "updatedAt", "usageCount" FROM "CannedReply";
DROP TABLE "CannedReply";
ALTER TABLE "new_CannedReply" RENAME TO "CannedReply";
CREATE UNIQUE INDEX "CannedReply_shop_title_key" ON "CannedReply"("shop", "title");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "CannedReplyVariant_shop_idx" ON "CannedReplyVariant"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "CannedReplyVariant_cannedReplyId_locale_key" ON "CannedReplyVariant"("cannedReplyId", "locale");

-- Each reply's text as its variant in the shop's default language ("pt-BR" → "pt", not spoken → "en").
INSERT INTO "CannedReplyVariant" ("id", "shop", "cannedReplyId", "locale", "body", "createdAt", "updatedAt")
SELECT
    lower(hex(randomblob(12))),
    b."shop",
    b."id",
    CASE
        WHEN lower(substr(replace(s."primaryLocale", '_', '-'), 1, instr(replace(s."primaryLocale", '_', '-') || '-', '-') - 1))
            IN ('en', 'sw', 'et', 'ta', 'ro', 'tr')
        THEN lower(substr(replace(s."primaryLocale", '_', '-'), 1, instr(replace(s."primaryLocale", '_', '-') || '-', '-') - 1))
        ELSE 'en'
    END,
    b."body",
    b."createdAt",
    b."updatedAt"
FROM "_CannedReplyBody" b
LEFT JOIN "Shop" s ON s."shop" = b."shop";
DROP TABLE "_CannedReplyBody";

-- {name} → {{name}} for every placeholder the desk knows, in canned texts and stored notice wording.
UPDATE "CannedReplyVariant" SET "body" = REPLACE(REPLACE("body", '{{first_name}}', '{first_name}'), '{first_name}', '{{first_name}}') WHERE "body" LIKE '%{first_name}%';
UPDATE "CannedReplyVariant" SET "body" = REPLACE(REPLACE("body", '{{last_name}}', '{last_name}'), '{last_name}', '{{last_name}}') WHERE "body" LIKE '%{last_name}%';
UPDATE "CannedReplyVariant" SET "body" = REPLACE(REPLACE("body", '{{customer_name}}', '{customer_name}'), '{customer_name}', '{{customer_name}}') WHERE "body" LIKE '%{customer_name}%';
UPDATE "CannedReplyVariant" SET "body" = REPLACE(REPLACE("body", '{{order_name}}', '{order_name}'), '{order_name}', '{{order_name}}') WHERE "body" LIKE '%{order_name}%';
UPDATE "CannedReplyVariant" SET "body" = REPLACE(REPLACE("body", '{{items}}', '{items}'), '{items}', '{{items}}') WHERE "body" LIKE '%{items}%';
UPDATE "CannedReplyVariant" SET "body" = REPLACE(REPLACE("body", '{{tracking_link}}', '{tracking_link}'), '{tracking_link}', '{{tracking_link}}') WHERE "body" LIKE '%{tracking_link}%';
UPDATE "CannedReplyVariant" SET "body" = REPLACE(REPLACE("body", '{{expected_delivery}}', '{expected_delivery}'), '{expected_delivery}', '{{expected_delivery}}') WHERE "body" LIKE '%{expected_delivery}%';
UPDATE "CannedReplyVariant" SET "body" = REPLACE(REPLACE("body", '{{new_date}}', '{new_date}'), '{new_date}', '{{new_date}}') WHERE "body" LIKE '%{new_date}%';
UPDATE "CannedReplyVariant" SET "body" = REPLACE(REPLACE("body", '{{reason}}', '{reason}'), '{reason}', '{{reason}}') WHERE "body" LIKE '%{reason}%';
UPDATE "CannedReplyVariant" SET "body" = REPLACE(REPLACE("body", '{{support_email}}', '{support_email}'), '{support_email}', '{{support_email}}') WHERE "body" LIKE '%{support_email}%';
UPDATE "CannedReplyVariant" SET "body" = REPLACE(REPLACE("body", '{{shop_name}}', '{shop_name}'), '{shop_name}', '{{shop_name}}') WHERE "body" LIKE '%{shop_name}%';
UPDATE "DelayNoticeSettings" SET "templates" = REPLACE(REPLACE("templates", '{{first_name}}', '{first_name}'), '{first_name}', '{{first_name}}') WHERE "templates" LIKE '%{first_name}%';
UPDATE "DelayNoticeSettings" SET "templates" = REPLACE(REPLACE("templates", '{{last_name}}', '{last_name}'), '{last_name}', '{{last_name}}') WHERE "templates" LIKE '%{last_name}%';
UPDATE "DelayNoticeSettings" SET "templates" = REPLACE(REPLACE("templates", '{{customer_name}}', '{customer_name}'), '{customer_name}', '{{customer_name}}') WHERE "templates" LIKE '%{customer_name}%';
UPDATE "DelayNoticeSettings" SET "templates" = REPLACE(REPLACE("templates", '{{order_name}}', '{order_name}'), '{order_name}', '{{order_name}}') WHERE "templates" LIKE '%{order_name}%';
UPDATE "DelayNoticeSettings" SET "templates" = REPLACE(REPLACE("templates", '{{items}}', '{items}'), '{items}', '{{items}}') WHERE "templates" LIKE '%{items}%';
UPDATE "DelayNoticeSettings" SET "templates" = REPLACE(REPLACE("templates", '{{tracking_link}}', '{tracking_link}'), '{tracking_link}', '{{tracking_link}}') WHERE "templates" LIKE '%{tracking_link}%';
UPDATE "DelayNoticeSettings" SET "templates" = REPLACE(REPLACE("templates", '{{expected_delivery}}', '{expected_delivery}'), '{expected_delivery}', '{{expected_delivery}}') WHERE "templates" LIKE '%{expected_delivery}%';
UPDATE "DelayNoticeSettings" SET "templates" = REPLACE(REPLACE("templates", '{{new_date}}', '{new_date}'), '{new_date}', '{{new_date}}') WHERE "templates" LIKE '%{new_date}%';
UPDATE "DelayNoticeSettings" SET "templates" = REPLACE(REPLACE("templates", '{{reason}}', '{reason}'), '{reason}', '{{reason}}') WHERE "templates" LIKE '%{reason}%';
UPDATE "DelayNoticeSettings" SET "templates" = REPLACE(REPLACE("templates", '{{support_email}}', '{support_email}'), '{support_email}', '{{support_email}}') WHERE "templates" LIKE '%{support_email}%';
UPDATE "DelayNoticeSettings" SET "templates" = REPLACE(REPLACE("templates", '{{shop_name}}', '{shop_name}'), '{shop_name}', '{{shop_name}}') WHERE "templates" LIKE '%{shop_name}%';
