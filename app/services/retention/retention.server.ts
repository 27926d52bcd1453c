import { setImmediate as yieldToOthers } from "node:timers/promises";
import { env, type Env } from "../../env.server";
import { enqueue, enqueueNextSlot } from "../../jobs/enqueue.server";
import { defineJob } from "../../jobs/types";
import { enqueueJobs } from "../../models/job.server";
import { installedShops } from "../../models/shop.server";
import { shopTimeZone } from "../../models/shop-time-zone.server";
import {
  pruneEmailBodies,
  pruneFaqSearches,
  pruneJobs,
  pruneRateLimitBuckets,
  pruneSyncRuns,
  pruneWebhookEvents,
  rollUpFaqVotes,
  rollUpHelpVisits,
  type Batch,
} from "../../models/retention.server";
import { localParts, zonedToUtc } from "../support/business-hours";

/**
 * Retention: what grows with every webhook and storefront request is deleted after a window set
 * once for the deployment (RETENTION_* in app/env.server.ts; README, "Retention"), never by the
 * merchant. A durable job per shop, hourly: each slot is one job however many processes queue it,
 * and each pass is made of short batches. What the dashboard and the FAQ pages count (help visits
 * per day, votes per article) is kept as counts in the same transaction that deletes the rows.
 */

const DAY_MS = 86_400_000;

export interface RetentionPolicy {
  jobDays: number;
  failedDays: number;
  webhookDays: number;
  logDays: number;
  emailBodyDays: number;
  /** Rows a batch deletes at most, and the time a batch should take (a slower one halves the next). */
  batchSize: number;
  batchMs: number;
}

export function retentionPolicy(config: Env = env()): RetentionPolicy {
  return {
    jobDays: config.RETENTION_JOB_DAYS,
    failedDays: config.RETENTION_FAILED_DAYS,
    webhookDays: config.RETENTION_WEBHOOK_DAYS,
    logDays: config.RETENTION_LOG_DAYS,
    emailBodyDays: config.RETENTION_EMAIL_BODY_DAYS,
    batchSize: config.RETENTION_BATCH_SIZE,
    batchMs: config.RETENTION_BATCH_MS,
  };
}

/** One batch as it happened, for whoever measures retention (the tests and `npm run bench`). */
export interface RetentionBatch {
  shop: string;
  what: string;
  rows: number;
  ms: number;
}

const batchListeners = new Set<(batch: RetentionBatch) => void>();

export function onRetentionBatch(listener: (batch: RetentionBatch) => void): () => void {
  batchListeners.add(listener);
  return () => batchListeners.delete(listener);
}

/** A pass does at most this many batches of each kind; the rest is left to a follow-up job. */
export const MAX_BATCHES_PER_PASS = 100;
const MIN_BATCH = 10;

export interface PassResult {
  /** Rows deleted (or emptied, for email bodies) per kind. */
  done: Record<string, number>;
  /** Some kind still had rows when its batches ran out. */
  more: boolean;
}

/** The start of the local day `days` before `now`: visits are rolled up by whole local days. */
function localDayStart(now: Date, days: number, timeZone: string): Date {
  const p = localParts(new Date(now.getTime() - days * DAY_MS), timeZone);
  return zonedToUtc(p.year, p.month, p.day, 0, timeZone);
}

function localDate(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/**
 * One retention pass over a shop's rows, kind by kind, in batches of at most `policy.batchSize`.
 * A batch's cost grows with the table (each row deleted touches its own index pages) and with the
 * machine's load, so the size follows the time: a batch slower than `policy.batchMs` halves the
 * next, a quick one doubles it back, and the writer is never held for long.
 */
export async function pruneShop(shop: string, policy: RetentionPolicy, now = new Date()): Promise<PassResult> {
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const batch = (before: Date, take: number): Batch => ({ shop, before, take });
  const timeZone = await shopTimeZone(shop);
  const kinds: [string, (take: number) => Promise<number>][] = [
    ["finished jobs", (take) => pruneJobs(batch(ago(policy.jobDays), take), ["succeeded", "cancelled"])],
    ["dead jobs", (take) => pruneJobs(batch(ago(policy.failedDays), take), ["dead"])],
    ["processed webhooks", (take) => pruneWebhookEvents(batch(ago(policy.webhookDays), take), "processed")],
    ["failed webhooks", (take) => pruneWebhookEvents(batch(ago(policy.failedDays), take), "failed")],
    ["sync runs", (take) => pruneSyncRuns(batch(ago(policy.jobDays), take))],
    [
      "help visits",
      (take) =>
        rollUpHelpVisits(batch(localDayStart(now, policy.logDays, timeZone), take), (at) => localDate(at, timeZone)),
    ],
    ["FAQ votes", (take) => rollUpFaqVotes(batch(ago(policy.logDays), take))],
    ["FAQ searches", (take) => pruneFaqSearches(batch(ago(policy.logDays), take))],
    ["email bodies", (take) => pruneEmailBodies(batch(ago(policy.emailBodyDays), take), now)],
    ["rate-limit buckets", (take) => pruneRateLimitBuckets(shop, now.getTime(), take)],
  ];
  const done: Record<string, number> = {};
  let more = false;
  for (const [what, prune] of kinds) {
    done[what] = 0;
    let take = policy.batchSize;
    for (let n = 0; ; n++) {
      if (n === MAX_BATCHES_PER_PASS) {
        more = true;
        break;
      }
      const started = performance.now();
      const rows = await prune(take);
      const ms = performance.now() - started;
      done[what] += rows;
      if (rows > 0) for (const listener of batchListeners) listener({ shop, what, rows, ms });
      if (rows < take) break;
      if (ms > policy.batchMs) take = Math.max(MIN_BATCH, Math.floor(take / 2));
      else if (ms < policy.batchMs / 2) take = Math.min(policy.batchSize, take * 2);
      // Between batches other work (a webhook's acknowledgement, another job) gets its turn.
      await yieldToOthers();
    }
  }
  return { done, more };
}

/** Queues the shop's next hourly pass: one job per slot, whichever process queues it. */
export async function scheduleRetention(shop: string, from = Date.now()): Promise<void> {
  await enqueueNextSlot(retentionJob, shop, "retention", env().RETENTION_INTERVAL_MS, from);
}

/** At a worker's start: every installed shop's chain of passes, started once however often this runs. */
export async function scheduleRetentionForAllShops(from = Date.now()): Promise<number> {
  const every = env().RETENTION_INTERVAL_MS;
  const slot = Math.floor(from / every) + 1;
  let queued = 0;
  for (let after: string | undefined; ; ) {
    const shops = await installedShops({ after, take: 500 });
    if (shops.length === 0) return queued;
    const jobs = shops.map((shop) => ({
      shop,
      kind: retentionJob.kind,
      key: `retention:${every}:${slot}`,
      maxAttempts: retentionJob.maxAttempts,
      payload: {},
      runAt: new Date(slot * every),
    }));
    queued += (await enqueueJobs(jobs, { ignoreExisting: true })).length;
    after = shops[shops.length - 1];
  }
}

export const retentionJob = defineJob<{ part?: number }>({
  kind: "retention.prune",
  maxAttempts: 3,
  async run({ shop, payload, jobId }) {
    try {
      const { more } = await pruneShop(shop, retentionPolicy());
      // A backlog (the first pass after an upgrade) is worked off in passes, other jobs between them.
      const part = (payload.part ?? 0) + 1;
      if (more)
        await enqueue(retentionJob, {
          shop,
          key: `${jobId}:more:${part}`,
          payload: { part },
          runAt: new Date(Date.now() + 1_000),
        });
    } finally {
      if (!payload.part) await scheduleRetention(shop);
    }
  },
});
