import { env } from "../env.server";
import { createJobRunner, DEFAULT_LEASE_MS } from "../jobs/runner.server";
import { isShopInstalled } from "../models/shop.server";
import { complianceWebhookJob, webhookJob } from "./webhooks/process.server";
import { queueUnprocessedWebhooks } from "./webhooks/receive.server";
import { bulkSyncJobs } from "./sync/bulk.server";
import { reconcileJob } from "./sync/reconcile.server";
import { queueUnsentEmails, sendEmailJob } from "./email/send.server";
import { publishStorefrontJob } from "./faq/publish.server";
import { delayScanJob, sendDelayNoticeJob } from "./delay-notices/notices.server";
import { checkInScanJob } from "./csat/checkins.server";
import { retentionJob, scheduleRetentionForAllShops } from "./retention/retention.server";
import { queueSearchBackfill, searchBackfillJob } from "./search/backfill.server";

/**
 * Jobs run side by side in one worker by default. Even on SQLite's one writer this pays: the
 * reads, upserts and bookkeeping of jobs running together are written in shared statements
 * (app/utils/coalesce.ts), about 5× the deliveries a second of one at a time, and webhook
 * acknowledgements between them are as quick (npm run bench: webhook-effect, webhook-ack).
 */
export const DEFAULT_JOB_CONCURRENCY = 8;

/** Every kind of background work the app does. */
export const jobDefinitions = [
  webhookJob,
  complianceWebhookJob,
  ...bulkSyncJobs,
  reconcileJob,
  sendEmailJob,
  publishStorefrontJob,
  sendDelayNoticeJob,
  delayScanJob,
  checkInScanJob,
  retentionJob,
  searchBackfillJob,
];

const numberFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

let runner: ReturnType<typeof createJobRunner> | undefined;

/**
 * Starts the durable job runner in this process (the production server does, unless
 * JOB_WORKER=off: then another process runs `npm run worker`).
 */
export async function startWorker() {
  if (runner) return runner;
  runner = createJobRunner({
    definitions: jobDefinitions,
    pollIntervalMs: numberFromEnv("JOB_POLL_INTERVAL_MS", 1_000),
    concurrency: numberFromEnv("JOB_CONCURRENCY", DEFAULT_JOB_CONCURRENCY),
    leaseMs: env().JOB_LEASE_MS ?? DEFAULT_LEASE_MS,
    backoff: {
      baseMs: numberFromEnv("JOB_BACKOFF_BASE_MS", 10_000),
      maxMs: numberFromEnv("JOB_BACKOFF_MAX_MS", 60 * 60 * 1_000),
    },
    isShopActive: isShopInstalled,
  });
  // Deliveries acknowledged just before a stop are queued now.
  await queueUnprocessedWebhooks();
  await queueUnsentEmails();
  // Shops installed before retention existed, or whose chain of passes was cancelled, get one.
  await scheduleRetentionForAllShops();
  // Rows written before search text existed get theirs (a pass that finds none writes nothing).
  await queueSearchBackfill();
  runner.start();
  return runner;
}

export function wakeWorker() {
  runner?.wake();
}

export async function stopWorker() {
  await runner?.stop();
  runner = undefined;
}
