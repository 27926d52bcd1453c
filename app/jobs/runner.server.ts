import crypto from "node:crypto";
import os from "node:os";
import {
  claimDueJobs,
  markJobCancelled,
  markJobDead,
  markJobForRetry,
  markJobsSucceeded,
  renewJobLease,
  requeueExpiredJobs,
  type ClaimedJob,
  type JobClaim,
} from "../models/job.server";
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from "./backoff";
import type { JobDefinition } from "./types";
import { databaseUrl, isPostgres } from "../db-adapter";
import { listenForQueuedJobs, type DatabaseWakeups } from "./database-wakeups.server";
import { onJobsQueued } from "./wake";
import { coalesce } from "../utils/coalesce";

export interface JobRunnerOptions {
  definitions: JobDefinition<any>[];
  /** Written on the jobs this runner holds (default: host, pid and a random suffix). */
  workerId?: string;
  /** How often to look for due jobs when nothing wakes the runner (default 1 s). */
  pollIntervalMs?: number;
  /** Jobs run at the same time by this runner (default 2). */
  concurrency?: number;
  /**
   * A running job whose lease was not renewed for this long (by the database's clock) is
   * taken as crashed and queued again (default 30 s). The runner renews its jobs' leases
   * every leaseMs / 3, so a long job is not mistaken for a crashed one. Use the same value
   * in every process.
   */
  leaseMs?: number;
  /** Delay before a retry (default 10 s doubling, at most 1 h, ±20% jitter). */
  backoff?: BackoffOptions;
  /** False for a shop that uninstalled the app: its jobs are cancelled unless `runsAfterUninstall`. */
  isShopActive?: (shop: string) => Promise<boolean>;
  /**
   * The clock due times are read and written by (runAt, retry backoff; default the process's).
   * Tests drive it; leases are never on it: they are stamped and judged by the database's clock.
   */
  now?: () => Date;
}

export interface JobRunner {
  readonly workerId: string;
  /** Polls in the background until stop(). */
  start(): void;
  /** Stops polling and waits for the jobs it is running. */
  stop(): Promise<void>;
  /** One pass: re-queues crashed jobs, then claims and runs every job due now; resolves with how many it ran. */
  runDue(): Promise<number>;
  /** A job was just queued in this process: poll now rather than at the next interval. */
  wake(): void;
  /** Resolves when jobs queued by other processes wake this runner (PostgreSQL's LISTEN is in place); at once on SQLite. */
  whenListening(): Promise<void>;
  /** Resolves once the background loop has nothing in hand: no poll running or about to, no job running. */
  idle(): Promise<void>;
}

/** A dead worker's job runs again this long after its last heartbeat (JOB_LEASE_MS). */
export const DEFAULT_LEASE_MS = 30_000;

const ERROR_STACK_LINES = 5;
const ERROR_MAX_LENGTH = 2_000;

/** The message, then the first lines of the stack: enough to find the failing line from System health. */
export function describeJobError(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, ERROR_MAX_LENGTH);
  const frames = (error.stack ?? "")
    .split("\n")
    .filter((line) => line.trimStart().startsWith("at "))
    .slice(0, ERROR_STACK_LINES)
    .map((line) => line.trim());
  return [error.message || error.name, ...frames].join("\n").slice(0, ERROR_MAX_LENGTH);
}

// Logs outlive customers/redact: an address a mail server quoted in an error stays out of them.
const ADDRESS = /[^\s<>"'(),;:@]+@[^\s<>"'(),;:@]+\.[^\s<>"'(),;:@]+/g;

/** An error's first line as it is logged: email addresses replaced (the job row keeps them for the merchant). */
export function loggedError(message: string): string {
  return message.split("\n")[0].replace(ADDRESS, "<address>");
}

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const definitions = new Map<string, JobDefinition<unknown>>();
  for (const definition of options.definitions) {
    if (definitions.has(definition.kind)) throw new Error(`two job definitions for kind "${definition.kind}"`);
    definitions.set(definition.kind, definition);
  }
  const workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const isShopActive = options.isShopActive;
  const now = options.now ?? (() => new Date());

  const running = new Set<Promise<void>>();

  // Successes are recorded in batches (app/utils/coalesce.ts): the jobs finishing while one
  // statement is in flight wait for the next, so a busy runner writes once for many jobs. A job
  // whose success was not yet written when its worker died runs again, as any job may.
  const recordSuccess = coalesce(async (claims: JobClaim[]) => {
    const recorded = await markJobsSucceeded(claims);
    return claims.map((claim) => recorded.has(claim.id));
  });

  /** Whether each shop of a claimed batch still has the app: asked once per shop per batch. */
  function shopActivity(jobs: ClaimedJob[]): Map<string, Promise<boolean>> {
    const activity = new Map<string, Promise<boolean>>();
    if (!isShopActive) return activity;
    for (const job of jobs) {
      if (!activity.has(job.shop)) activity.set(job.shop, isShopActive(job.shop));
    }
    return activity;
  }

  async function execute(job: ClaimedJob, shopActive: Promise<boolean> | undefined): Promise<void> {
    const claim: JobClaim = { id: job.id, shop: job.shop, lockedBy: job.lockedBy, attempts: job.attempts };
    const label = `job ${job.kind} ${job.id} (${job.shop}, attempt ${job.attempts}/${job.maxAttempts})`;
    const definition = definitions.get(job.kind);
    if (!definition) {
      const known = [...definitions.keys()].join(", ") || "none";
      await markJobDead(claim, `no job definition for kind "${job.kind}" in this worker (it knows: ${known})`);
      console.warn(`${label}: dead, no definition for its kind`);
      return;
    }
    const heartbeat = setInterval(() => {
      renewJobLease(claim).catch((error) => console.warn(`${label}: could not renew its lease`, error));
    }, Math.max(10, Math.floor(leaseMs / 3)));
    heartbeat.unref();
    try {
      if (shopActive && !definition.runsAfterUninstall && !(await shopActive)) {
        await markJobCancelled(claim, "cancelled: the shop has uninstalled the app");
        return;
      }
      await definition.run({ shop: job.shop, payload: JSON.parse(job.payload), attempt: job.attempts, jobId: job.id });
      if (!(await recordSuccess(claim))) console.warn(`${label}: finished after its lease was taken over`);
    } catch (error) {
      const message = describeJobError(error);
      if (job.attempts < job.maxAttempts) {
        const delay = backoffDelay(job.attempts, backoff);
        await markJobForRetry(claim, new Date(now().getTime() + delay), message);
        console.warn(`${label} failed, retrying in ${Math.round(delay / 1000)} s: ${loggedError(message)}`);
      } else {
        await markJobDead(claim, message);
        console.warn(`${label} failed on its last attempt, now dead: ${loggedError(message)}`);
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Runs a claimed job, tracked so stop() can wait for it. A failure to record the outcome leaves it to lease expiry. */
  function launch(job: ClaimedJob, shopActive: Promise<boolean> | undefined): Promise<void> {
    const done: Promise<void> = execute(job, shopActive)
      .catch((error) => console.warn(`job ${job.kind} ${job.id}: could not record its outcome; it runs again when its lease expires`, error))
      .finally(() => {
        running.delete(done);
        if (started) schedule(0);
      });
    running.add(done);
    return done;
  }

  let lastRecovery = 0;
  async function recoverCrashedJobs(at: Date) {
    lastRecovery = at.getTime();
    const { requeued, dead } = await requeueExpiredJobs(leaseMs);
    if (requeued + dead > 0) console.warn(`jobs whose worker stopped: ${requeued} queued again, ${dead} dead (no attempts left)`);
  }

  /** Claims up to `limit` jobs due by `dueBy` in one statement and starts them. */
  async function claimAndLaunch(dueBy: Date, limit: number): Promise<Promise<void>[]> {
    const jobs = await claimDueJobs(workerId, dueBy, limit);
    const activity = shopActivity(jobs);
    // A rejected activity check fails its job like any error (retried); it must not go unhandled meanwhile.
    for (const check of activity.values()) check.catch(() => undefined);
    return jobs.map((job) => launch(job, activity.get(job.shop)));
  }

  async function runDue(): Promise<number> {
    await recoverCrashedJobs(now());
    // Only jobs due when the pass began (re-queued crashed jobs included): a job that fails
    // now and is retried later waits for the next pass.
    const cutoff = now();
    let ran = 0;
    for (;;) {
      const launched = await claimAndLaunch(cutoff, concurrency);
      if (launched.length === 0) return ran;
      ran += launched.length;
      await Promise.all(launched);
    }
  }

  // The background loop: fill free slots with due jobs at every poll, poll again when a slot frees.
  let started = false;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;
  let pollAgain = false;
  // A poll is due at once (its timer of 0 is set): the loop is not idle yet.
  let pollSoon = false;
  let unsubscribe: (() => void) | undefined;
  let wakeups: DatabaseWakeups | undefined;

  function schedule(delayMs: number) {
    if (!started) return;
    if (polling) {
      if (delayMs === 0) pollAgain = true;
      return;
    }
    clearTimeout(timer);
    pollSoon = delayMs === 0;
    timer = setTimeout(() => {
      pollSoon = false;
      polling = poll().finally(() => {
        polling = undefined;
        const again = pollAgain;
        pollAgain = false;
        schedule(again ? 0 : pollIntervalMs);
      });
    }, delayMs);
  }

  async function poll(): Promise<void> {
    try {
      const at = now();
      // Crashed jobs are looked for at most once an interval, however often the runner is woken.
      if (at.getTime() - lastRecovery >= pollIntervalMs) await recoverCrashedJobs(at);
      const free = concurrency - running.size;
      if (free <= 0 || !started) return;
      const launched = await claimAndLaunch(at, free);
      // As many as asked for: more may be due.
      if (launched.length === free) pollAgain = true;
    } catch (error) {
      console.warn("job runner: polling failed; trying again at the next interval", error);
    }
  }

  return {
    workerId,
    start() {
      if (started) return;
      started = true;
      unsubscribe = onJobsQueued(() => schedule(0));
      // On PostgreSQL a job queued by another process wakes this one too (LISTEN/NOTIFY). LISTEN needs
      // a session of its own: behind a transaction-mode pooler, DATABASE_LISTEN_URL names the server directly.
      const url = databaseUrl();
      if (isPostgres(url)) wakeups = listenForQueuedJobs(process.env.DATABASE_LISTEN_URL || url, () => schedule(0));
      schedule(0);
    },
    async stop() {
      started = false;
      pollSoon = false;
      clearTimeout(timer);
      unsubscribe?.();
      unsubscribe = undefined;
      await wakeups?.stop();
      wakeups = undefined;
      await polling;
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    runDue,
    wake() {
      schedule(0);
    },
    whenListening() {
      return wakeups?.ready ?? Promise.resolve();
    },
    async idle() {
      while (polling || pollSoon || running.size > 0) {
        await Promise.allSettled([polling, ...running]);
        // A poll due at once runs from its timer: let it fire.
        if (pollSoon && !polling) await new Promise((resolve) => setTimeout(resolve, 0));
      }
    },
  };
}
