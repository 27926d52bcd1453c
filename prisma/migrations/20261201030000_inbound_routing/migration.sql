-- Inbound routing: a shop's saved support address is stored lower case and unique across shops,
-- and each shop may get an app-assigned routing address (its random token, unique).

-- Saved addresses in the form the router compares: trimmed, lower case.
UPDATE "SupportSettings" SET "fromEmail" = lower(trim("fromEmail")) WHERE "fromEmail" IS NOT NULL;
UPDATE "SupportSettings" SET "fromEmail" = NULL WHERE "fromEmail" = '';

-- Two shops claiming one address: the first saved keeps it, the others fall back to their shop's email.
UPDATE "SupportSettings" SET "fromEmail" = NULL
WHERE "fromEmail" IS NOT NULL
  AND rowid NOT IN (SELECT min(rowid) FROM "SupportSettings" WHERE "fromEmail" IS NOT NULL GROUP BY "fromEmail");

-- AlterTable
ALTER TABLE "SupportSettings" ADD COLUMN "inboundToken" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "SupportSettings_fromEmail_key" ON "SupportSettings"("fromEmail");

-- CreateIndex
CREATE UNIQUE INDEX "SupportSettings_inboundToken_key" ON "SupportSettings"("inboundToken");
