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
  batchSize: number;
}

export function retentionPolicy(config: Env = env()): RetentionPolicy {
  return {
    jobDays: config.RETENTION_JOB_DAYS,
    failedDays: config.RETENTION_FAILED_DAYS,
    webhookDays: config.RETENTION_WEBHOOK_DAYS,
    logDays: config.RETENTION_LOG_DAYS,
    emailBodyDays: config.RETENTION_EMAIL_BODY_DAYS,
    batchSize: config.RETENTION_BATCH_SIZE,
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

/** One retention pass over a shop's rows, kind by kind, in batches of `policy.batchSize`. */
export async function pruneShop(shop: string, policy: RetentionPolicy, now = new Date()): Promise<PassResult> {
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const take = policy.batchSize;
  const batch = (before: Date): Batch => ({ shop, before, take });
  const timeZone = await shopTimeZone(shop);
  const kinds: [string, () => Promise<number>][] = [
    ["finished jobs", () => pruneJobs(batch(ago(policy.jobDays)), ["succeeded", "cancelled"])],
    ["dead jobs", () => pruneJobs(batch(ago(policy.failedDays)), ["dead"])],
    ["processed webhooks", () => pruneWebhookEvents(batch(ago(policy.webhookDays)), "processed")],
    ["failed webhooks", () => pruneWebhookEvents(batch(ago(policy.failedDays)), "failed")],
    ["sync runs", () => pruneSyncRuns(batch(ago(policy.jobDays)))],
    ["help visits", () => rollUpHelpVisits(batch(localDayStart(now, policy.logDays, timeZone)), (at) => localDate(at, timeZone))],
    ["FAQ votes", () => rollUpFaqVotes(batch(ago(policy.logDays)))],
    ["FAQ searches", () => pruneFaqSearches(batch(ago(policy.logDays)))],
    ["email bodies", () => pruneEmailBodies(batch(ago(policy.emailBodyDays)), now)],
    ["rate-limit buckets", () => pruneRateLimitBuckets(shop, now.getTime(), take)],
  ];
  const done: Record<string, number> = {};
  let more = false;
  for (const [what, prune] of kinds) {
    done[what] = 0;
    for (let n = 0; ; n++) {
      if (n === MAX_BATCHES_PER_PASS) {
        more = true;
        break;
      }
      const started = performance.now();
      const rows = await prune();
      const ms = performance.now() - started;
      done[what] += rows;
      if (rows > 0) for (const listener of batchListeners) listener({ shop, what, rows, ms });
      if (rows < take) break;
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
      if (more) await enqueue(retentionJob, { shop, key: `${jobId}:more:${part}`, payload: { part }, runAt: new Date(Date.now() + 1_000) });
    } finally {
      if (!payload.part) await scheduleRetention(shop);
    }
  },
});
