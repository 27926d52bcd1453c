-- What Prisma's schema cannot declare (PostgreSQL only).

-- PostgreSQL only (Prisma's schema cannot declare these in a way SQLite also takes).
-- Trigram GIN indexes on the folded search text, so the app's LIKE '%…%' searches use an index.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS "Ticket_searchText_trgm" ON "Ticket" USING gin ("searchText" gin_trgm_ops);
CREATE INDEX IF NOT EXISTS "Customer_searchText_trgm" ON "Customer" USING gin ("searchText" gin_trgm_ops);
CREATE INDEX IF NOT EXISTS "FaqTranslation_searchText_trgm" ON "FaqTranslation" USING gin ("searchText" gin_trgm_ops);

-- Job wake-ups across processes: a job that becomes due now (inserted, or queued again by a
-- retry, a re-queue after a lost lease, "Retry now") notifies every runner LISTENing on
-- support_desk_jobs (app/jobs/database-wakeups.server.ts). Notices repeated within one
-- transaction are delivered once, so a batch insert wakes each runner once. "Due now" allows a
-- second: runAt is stored to the millisecond (rounded, so it can land after now()), and written
-- by the app's clock.
CREATE OR REPLACE FUNCTION "support_desk_job_due"() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('support_desk_jobs', '');
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE TRIGGER "Job_due_on_insert"
  AFTER INSERT ON "Job"
  FOR EACH ROW WHEN (NEW."status" = 'queued' AND NEW."runAt" <= (now() AT TIME ZONE 'UTC') + interval '1 second')
  EXECUTE FUNCTION "support_desk_job_due"();

CREATE OR REPLACE TRIGGER "Job_due_on_requeue"
  AFTER UPDATE OF "status", "runAt" ON "Job"
  FOR EACH ROW WHEN (NEW."status" = 'queued' AND NEW."runAt" <= (now() AT TIME ZONE 'UTC') + interval '1 second')
  EXECUTE FUNCTION "support_desk_job_due"();
