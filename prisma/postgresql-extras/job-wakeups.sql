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
