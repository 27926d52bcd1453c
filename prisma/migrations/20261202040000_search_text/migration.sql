-- Folded search text (app/utils/search-text.ts): NULL until the app writes the row or the search.backfill job reaches it.
-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "searchText" TEXT;

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "searchText" TEXT;

-- AlterTable
ALTER TABLE "FaqTranslation" ADD COLUMN "searchText" TEXT;

