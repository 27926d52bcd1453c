import crypto from "node:crypto";
import { type Job } from "@prisma/client";
import prisma, { SQL, type Transaction } from "../db.server";
import { databaseUrl, isPostgres } from "../db-adapter";
import { DEFAULT_MAX_ATTEMPTS, JOB_STATUSES, type JobStatus } from "../jobs/types";
import { notifyJobsQueued } from "../jobs/wake";

export type { Job };

export interface EnqueueJobInput {
  shop: string;
  kind: string;
  /** Stored as JSON. */
  payload: unknown;
  /** Idempotency key, unique per shop and kind (default: a random id, i.e. always a new job). */
  key?: string;
  /** Not before this time (default: now). */
  runAt?: Date;
  maxAttempts?: number;
}

export interface EnqueuedJob {
  id: string;
  /** false when a job with this shop, kind and key already existed (in any status): nothing was added. */
  created: boolean;
}

// 11 parameters a row: far below SQLite's and PostgreSQL's limits per statement.
const INSERT_BATCH = 200;

function validated(input: EnqueueJobInput) {
  if (!input.shop) throw new Error("enqueueJob: shop is required");
  if (!input.kind) throw new Error("enqueueJob: kind is required");
  const maxAttempts = input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error(`enqueueJob: maxAttempts must be at least 1, got ${maxAttempts}`);
  const key = input.key ?? crypto.randomUUID();
  if (!key) throw new Error("enqueueJob: key must not be empty");
  const payload = JSON.stringify(input.payload ?? null);
  return { id: crypto.randomUUID(), shop: input.shop, kind: input.kind, key, payload, maxAttempts, runAt: input.runAt ?? new Date() };
}

const identity = (job: { shop: string; kind: string; key: string }) => `${job.shop}\u0000${job.kind}\u0000${job.key}`;

/**
 * Queues jobs, once per (shop, kind, key): a key queued again (also concurrently, from
 * another process) yields the existing job. One statement per 200 jobs.
 * Results are in input order; with `ignoreExisting` the jobs that already existed are
 * left out instead of being looked up.
 */
export async function enqueueJobs(inputs: EnqueueJobInput[], options: { ignoreExisting?: boolean } = {}): Promise<EnqueuedJob[]> {
  const rows = inputs.map(validated);
  const results: EnqueuedJob[] = [];
  let createdAny = false;
  for (let start = 0; start < rows.length; start += INSERT_BATCH) {
    const batch = rows.slice(start, start + INSERT_BATCH);
    const now = new Date();
    const values = batch.map(
      (row) =>
        SQL.sql`(${row.id}, ${row.shop}, ${row.kind}, ${row.key}, ${row.payload}, 'queued', 0, ${row.maxAttempts}, ${row.runAt}, ${now}, ${now})`,
    );
    // ON CONFLICT DO NOTHING makes a racing duplicate a no-op instead of an error, on SQLite and PostgreSQL alike.
    const inserted = await prisma.$queryRaw<{ id: string }[]>`
      INSERT INTO "Job" ("id", "shop", "kind", "key", "payload", "status", "attempts", "maxAttempts", "runAt", "createdAt", "updatedAt")
      VALUES ${SQL.join(values)}
      ON CONFLICT ("shop", "kind", "key") DO NOTHING
      RETURNING "id"`;
    const insertedIds = new Set(inserted.map((r) => r.id));
    if (insertedIds.size > 0) createdAny = true;
    // A key repeated inside the batch is inserted once; its repeats point at that row.
    const idByIdentity = new Map<string, string>();
    for (const row of batch) if (insertedIds.has(row.id)) idByIdentity.set(identity(row), row.id);
    const missing = batch.filter((row) => !insertedIds.has(row.id) && !idByIdentity.has(identity(row)));
    if (missing.length > 0 && !options.ignoreExisting) {
      const existing = await prisma.job.findMany({
        where: { OR: missing.map(({ shop, kind, key }) => ({ shop, kind, key })) },
        select: { id: true, shop: true, kind: true, key: true },
      });
      for (const job of existing) idByIdentity.set(identity(job), job.id);
    }
    for (const row of batch) {
      if (insertedIds.has(row.id)) {
        results.push({ id: row.id, created: true });
        continue;
      }
      const id = idByIdentity.get(identity(row));
      if (id) results.push({ id, created: false });
      else if (!options.ignoreExisting) throw new Error(`job ${row.kind} ${row.key} for ${row.shop} was neither created nor found`);
    }
  }
  if (createdAny) notifyJobsQueued();
  return results;
}

/** Queues one job; idempotent by (shop, kind, key). */
export async function enqueueJob(input: EnqueueJobInput): Promise<EnqueuedJob> {
  const [result] = await enqueueJobs([input]);
  return result;
}

/** The shop's jobs, most recently changed first. */
export function jobsForShop(shop: string, options: { status?: readonly JobStatus[]; take?: number } = {}): Promise<Job[]> {
  return prisma.job.findMany({
    where: { shop, ...(options.status ? { status: { in: [...options.status] } } : {}) },
    orderBy: { updatedAt: "desc" },
    take: options.take ?? 50,
  });
}

export function jobForShop(shop: string, id: string): Promise<Job | null> {
  return prisma.job.findFirst({ where: { shop, id } });
}

/**
 * Runs a dead (or still waiting) job of this shop as soon as a worker is free. Its
 * attempts are kept; an exhausted job gets one more. False when the shop has no such job.
 */
export async function retryJobNow(shop: string, id: string): Promise<boolean> {
  const job = await prisma.job.findFirst({
    where: { shop, id, status: { in: ["dead", "queued"] } },
    select: { status: true, attempts: true, maxAttempts: true },
  });
  if (!job) return false;
  // Guarded by what was read, so a worker that claimed it meanwhile is not overridden.
  const { count } = await prisma.job.updateMany({
    where: { shop, id, status: job.status, attempts: job.attempts },
    data: {
      status: "queued",
      runAt: new Date(),
      maxAttempts: Math.max(job.maxAttempts, job.attempts + 1),
      lockedAt: null,
      lockedBy: null,
      finishedAt: null,
    },
  });
  if (count === 1) notifyJobsQueued();
  return count === 1;
}

/** The shop's job of this kind and key (jobs are queued once per key), if there is one. */
export function jobByKey(shop: string, kind: string, key: string): Promise<Job | null> {
  return prisma.job.findUnique({ where: { shop_kind_key: { shop, kind, key } } });
}

/** The shop's jobs whose payload or last error contain any of the terms (a cheap first pass for redaction). */
export function jobsContaining(shop: string, terms: string[]) {
  if (terms.length === 0) return Promise.resolve([]);
  return prisma.job.findMany({
    where: { shop, OR: terms.flatMap((term) => [{ payload: { contains: term } }, { lastError: { contains: term } }]) },
    select: { id: true, kind: true, status: true, payload: true, lastError: true, createdAt: true },
  });
}

const ERASED = "[erased at the customer's request]";

/**
 * customers/redact, for jobs that named the customer: an error that named them is erased; a
 * finished job's payload goes; a job still waiting with them in its payload is cancelled, never
 * run for someone who asked to be forgotten. A running job is left to its worker.
 */
export async function eraseJobTraces(shop: string, traces: { id: string; inPayload: boolean; inError: boolean }[]) {
  const ids = (pick: (t: (typeof traces)[number]) => boolean) => traces.filter(pick).map((t) => t.id);
  const finished = ["succeeded", "dead", "cancelled"];
  await prisma.$transaction([
    prisma.job.updateMany({ where: { shop, id: { in: ids((t) => t.inError) } }, data: { lastError: ERASED } }),
    prisma.job.updateMany({
      where: { shop, id: { in: ids((t) => t.inPayload) }, status: { in: finished } },
      data: { payload: "null" },
    }),
    prisma.job.updateMany({
      where: { shop, id: { in: ids((t) => t.inPayload) }, status: "queued" },
      data: { status: "cancelled", payload: "null", lastError: `cancelled: ${ERASED}`, finishedAt: new Date() },
    }),
  ]);
  return traces.length;
}

/**
 * How many of the shop's jobs are running now, other than `except`, asked inside a transaction
 * that then deletes the shop's jobs: no claim can slip in between. On PostgreSQL the shop's job
 * rows are locked (claims skip locked rows, and a claim being made is waited for); on SQLite
 * the transaction holds the one write lock.
 */
export async function runningJobsOfShop(tx: Transaction, shop: string, except: { kind: string; key: string }): Promise<number> {
  const lock = isPostgres(databaseUrl()) ? SQL.raw(" FOR UPDATE") : SQL.empty;
  const rows = await tx.$queryRaw<{ kind: string; key: string; status: string }[]>`
    SELECT "kind", "key", "status" FROM "Job" WHERE "shop" = ${shop}${lock}`;
  return rows.filter((row) => row.status === "running" && !(row.kind === except.kind && row.key === except.key)).length;
}

/** Cancels the shop's waiting jobs, except those of the given kinds (app/uninstalled keeps compliance work). */
export async function cancelJobsForShop(shop: string, options: { exceptKinds?: string[] } = {}): Promise<number> {
  const { count } = await prisma.job.updateMany({
    where: { shop, status: "queued", ...(options.exceptKinds?.length ? { kind: { notIn: options.exceptKinds } } : {}) },
    data: { status: "cancelled", finishedAt: new Date() },
  });
  return count;
}

/** How many of the shop's jobs are in each status (every status present, 0 when none). */
export async function jobCountsForShop(shop: string): Promise<Record<JobStatus, number>> {
  const groups = await prisma.job.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } });
  const counts = Object.fromEntries(JOB_STATUSES.map((status) => [status, 0])) as Record<JobStatus, number>;
  for (const group of groups) {
    if ((JOB_STATUSES as readonly string[]).includes(group.status)) counts[group.status as JobStatus] = group._count._all;
  }
  return counts;
}

// ---------------------------------------------------------------------------------
// The worker's queries. They look across shops (a worker serves every shop); once a
// job is claimed, every write names its shop and is fenced by the claim, so a worker
// whose lease expired cannot overwrite the outcome of the worker that took over.

/** Who holds a job: the worker and the attempt number it claimed. */
export type JobClaim = Pick<Job, "id" | "shop" | "lockedBy" | "attempts">;

const claimed = (claim: JobClaim) => ({
  id: claim.id,
  shop: claim.shop,
  status: "running",
  lockedBy: claim.lockedBy,
  attempts: claim.attempts,
});

// Leases are stamped and judged by one clock, the database's, never a process's own: a
// worker whose clock runs behind would otherwise look crashed to the others at once, and
// one whose clock runs ahead would hold a dead worker's job for as long as it is ahead.
// Both engines store DateTime as UTC: PostgreSQL as timestamp(3), SQLite as ISO-8601 text.
const POSTGRES = isPostgres(databaseUrl());
const DATABASE_NOW = POSTGRES
  ? SQL.raw(`(now() AT TIME ZONE 'UTC')`)
  : SQL.raw(`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`);
// Workers claiming at once skip each other's rows instead of queueing on the same oldest ids
// (SQLite has one writer at a time, so its claims never overlap in the first place).
const SKIP_LOCKED = SQL.raw(POSTGRES ? "FOR UPDATE SKIP LOCKED" : "");

/** The database's current time (the clock every lease is measured by). */
export async function databaseNow(): Promise<Date> {
  // now() itself (with its zone) on PostgreSQL: it reads back as the right instant whatever the session's zone.
  const [row] = POSTGRES
    ? await prisma.$queryRaw<{ now: Date | string }[]>`SELECT now() AS "now"`
    : await prisma.$queryRaw<{ now: Date | string }[]>`SELECT ${DATABASE_NOW} AS "now"`;
  const now = new Date(row.now);
  if (Number.isNaN(now.getTime())) throw new Error(`the database answered its time as ${String(row.now)}`);
  return now;
}

/** What a runner needs of a job it holds. */
export type ClaimedJob = Pick<Job, "id" | "shop" | "kind" | "payload" | "attempts" | "maxAttempts" | "lockedBy">;

/**
 * Takes up to `limit` jobs due by `now` (the runner's clock, as runAt was written), across
 * shops, longest waiting first, for this worker in one statement; their leases are stamped by
 * the database's clock. Atomic across processes: a row is taken only while it is still queued,
 * so of two workers racing for a job exactly one gets it.
 */
export async function claimDueJobs(workerId: string, now: Date, limit: number): Promise<ClaimedJob[]> {
  if (limit < 1) return [];
  const rows = await prisma.$queryRaw<ClaimedJob[]>`
    UPDATE "Job"
    SET "status" = 'running', "lockedAt" = ${DATABASE_NOW}, "lockedBy" = ${workerId},
        "attempts" = "attempts" + 1, "updatedAt" = ${DATABASE_NOW}
    WHERE "id" IN (
      SELECT "id" FROM "Job" WHERE "status" = 'queued' AND "runAt" <= ${now}
      ORDER BY "runAt" LIMIT ${limit} ${SKIP_LOCKED}
    )
    RETURNING "id", "shop", "kind", "payload", "attempts", "maxAttempts", "lockedBy"`;
  return rows.map((row) => ({ ...row, attempts: Number(row.attempts), maxAttempts: Number(row.maxAttempts) }));
}

/**
 * Records several held jobs as succeeded in one statement; answers the ids it recorded (a job
 * whose lease another worker took over meanwhile is left to that worker).
 */
export async function markJobsSucceeded(claims: JobClaim[]): Promise<Set<string>> {
  if (claims.length === 0) return new Set();
  const now = new Date();
  // Raw SQL: this statement runs once per batch of finished jobs, the runner's hottest write.
  const held = claims.map(
    ({ id, lockedBy, attempts }) => SQL.sql`("id" = ${id} AND "lockedBy" = ${lockedBy} AND "attempts" = ${attempts})`,
  );
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    UPDATE "Job"
    SET "status" = 'succeeded', "finishedAt" = ${now}, "lockedAt" = NULL, "lockedBy" = NULL, "updatedAt" = ${now}
    WHERE "status" = 'running' AND (${SQL.join(held, " OR ")})
    RETURNING "id"`;
  return new Set(rows.map((row) => row.id));
}

/** Keeps a long job's lease from expiring while its worker is alive (stamped by the database's clock). */
export async function renewJobLease(claim: JobClaim): Promise<boolean> {
  const { count } = await prisma.job.updateMany({ where: claimed(claim), data: { lockedAt: await databaseNow() } });
  return count === 1;
}

export async function markJobForRetry(claim: JobClaim, runAt: Date, error: string): Promise<boolean> {
  const { count } = await prisma.job.updateMany({
    where: claimed(claim),
    data: { status: "queued", runAt, lastError: error, lockedAt: null, lockedBy: null },
  });
  return count === 1;
}

export async function markJobDead(claim: JobClaim, error: string): Promise<boolean> {
  const { count } = await prisma.job.updateMany({
    where: claimed(claim),
    data: { status: "dead", lastError: error, finishedAt: new Date(), lockedAt: null, lockedBy: null },
  });
  return count === 1;
}

/** A claimed job that must not run (its shop uninstalled): cancelled, and the claim not counted as an attempt. */
export async function markJobCancelled(claim: JobClaim, reason: string): Promise<boolean> {
  const { count } = await prisma.job.updateMany({
    where: claimed(claim),
    data: { status: "cancelled", lastError: reason, attempts: { decrement: 1 }, finishedAt: new Date(), lockedAt: null, lockedBy: null },
  });
  return count === 1;
}

/**
 * Jobs whose worker has not renewed its lease for `leaseMs` by the database's clock (it
 * crashed or was killed): queued again to run now, or dead if that was their last
 * attempt, so a job that kills its worker every time cannot loop forever.
 */
export async function requeueExpiredJobs(leaseMs: number): Promise<{ requeued: number; dead: number }> {
  const lockedBefore = new Date((await databaseNow()).getTime() - leaseMs);
  const expired = { status: "running", lockedAt: { lt: lockedBefore } };
  // A read first: the common case (nothing expired) takes no write lock.
  const any = await prisma.job.findFirst({ where: expired, select: { id: true } });
  if (!any) return { requeued: 0, dead: 0 };
  const now = new Date();
  const lost = "the worker running this job stopped (its lease expired)";
  const dead = await prisma.job.updateMany({
    where: { ...expired, attempts: { gte: prisma.job.fields.maxAttempts } },
    data: { status: "dead", lastError: `${lost} on its last attempt`, finishedAt: now, lockedAt: null, lockedBy: null },
  });
  const requeued = await prisma.job.updateMany({
    where: { ...expired, attempts: { lt: prisma.job.fields.maxAttempts } },
    data: { status: "queued", runAt: now, lastError: lost, lockedAt: null, lockedBy: null },
  });
  if (requeued.count > 0) notifyJobsQueued();
  return { requeued: requeued.count, dead: dead.count };
}
