-- PostgreSQL only (Prisma's schema cannot declare these in a way SQLite also takes).
-- Trigram GIN indexes on the folded search text, so the app's LIKE '%…%' searches use an index.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS "Ticket_searchText_trgm" ON "Ticket" USING gin ("searchText" gin_trgm_ops);
CREATE INDEX IF NOT EXISTS "Customer_searchText_trgm" ON "Customer" USING gin ("searchText" gin_trgm_ops);
CREATE INDEX IF NOT EXISTS "FaqTranslation_searchText_trgm" ON "FaqTranslation" USING gin ("searchText" gin_trgm_ops);
