import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDatabase } from "../support/database";
import { REPO_ROOT } from "../support/processes";
import { waitFor } from "../support/wait";
import { backoffDelay } from "../../app/jobs/backoff";
import { defineJob, type JobContext, type JobDefinition } from "../../app/jobs/types";

type JobModel = typeof import("../../app/models/job.server");
type RunnerModule = typeof import("../../app/jobs/runner.server");
type Prisma = (typeof import("../../app/db.server"))["default"];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "support-desk-jobs-"));
const database = await createTestDatabase("jobs");
const databaseUrl = database.url;
let jobs: JobModel;
let createJobRunner: RunnerModule["createJobRunner"];
let prisma: Prisma;

beforeAll(async () => {
  // db.server reads DATABASE_URL when it is imported, so the modules come after it is set.
  process.env.DATABASE_URL = databaseUrl;
  jobs = await import("../../app/models/job.server");
  ({ createJobRunner } = await import("../../app/jobs/runner.server"));
  prisma = (await import("../../app/db.server")).default;
});

afterAll(async () => {
  await prisma?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
  await database.drop();
});

let warnings: string[] = [];
beforeEach(async () => {
  // Runners work across shops: every test starts from an empty table.
  await prisma.job.deleteMany();
  warnings = [];
  vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => {
    warnings.push(args.map(String).join(" "));
  });
});
afterEach(() => {
  vi.mocked(console.warn).mockRestore();
});

const SHOP = "jobs-test.myshopify.com";
const OTHER_SHOP = "someone-else.myshopify.com";
const job = (id: string) => prisma.job.findUniqueOrThrow({ where: { id } });
/** A clock the test moves by hand: the runner reads due times from it (leases stay on the database's). */
function manualClock(start = Date.now()) {
  let ms = start;
  return { now: () => new Date(ms), ms: () => ms, set: (to: number) => (ms = to), advance: (by: number) => (ms += by) };
}
/** One turn of the event loop, for a promise that could settle by now if it were going to. */
const aTurn = () => new Promise((resolve) => setImmediate(resolve));

/** A definition that records each run. */
function recording<P = unknown>(kind: string, extra: Partial<JobDefinition<P>> = {}) {
  const runs: JobContext<P>[] = [];
  const definition = defineJob<P>({
    kind,
    async run(ctx) {
      runs.push(ctx);
    },
    ...extra,
  });
  return { definition, runs };
}

describe("backoff", () => {
  it("doubles from the base, stays under the cap and jitters by at most 20%", () => {
    const options = { baseMs: 100, maxMs: 1_000 };
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, options, () => 0.5))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(backoffDelay(1, options, () => 0)).toBe(80);
    expect(backoffDelay(1, options, () => 1)).toBe(120);
    expect(backoffDelay(10, options, () => 1)).toBe(1_000);
    expect(backoffDelay(5_000, options, () => 0.5)).toBe(1_000);
  });
});

describe("job runner", () => {
  it("runs a job once, with its shop and payload, and marks it succeeded", async () => {
    const { definition, runs } = recording<{ orderId: number }>("test.once");
    const runner = createJobRunner({ definitions: [definition] });
    const { id, created } = await jobs.enqueueJob({ shop: SHOP, kind: "test.once", payload: { orderId: 42 } });
    expect(created).toBe(true);

    expect(await runner.runDue()).toBe(1);
    expect(await runner.runDue()).toBe(0);
    expect(runs).toEqual([{ shop: SHOP, payload: { orderId: 42 }, attempt: 1, jobId: id }]);
    const row = await job(id);
    expect(row).toMatchObject({ status: "succeeded", attempts: 1, maxAttempts: 8, lockedAt: null, lockedBy: null, lastError: null });
    expect(row.finishedAt).toBeInstanceOf(Date);
  });

  it("does not run a job before its runAt", async () => {
    const { definition, runs } = recording("test.later");
    const clock = manualClock();
    const runner = createJobRunner({ definitions: [definition], now: clock.now });
    const runAt = new Date(clock.ms() + 300);
    const { id } = await jobs.enqueueJob({ shop: SHOP, kind: "test.later", payload: null, runAt });
    expect(await runner.runDue()).toBe(0);
    clock.advance(299);
    expect(await runner.runDue()).toBe(0);
    clock.advance(1);
    expect(await runner.runDue()).toBe(1);
    expect(runs.map((r) => r.jobId)).toEqual([id]);
  });

  it("retries a failing job with growing backoff and leaves it dead with its error after maxAttempts", async () => {
    let calls = 0;
    const failing = defineJob({
      kind: "test.failing",
      maxAttempts: 4,
      async run() {
        calls += 1;
        throw new Error(`boom ${calls}`);
      },
    });
    const baseMs = 250;
    const clock = manualClock();
    const runner = createJobRunner({ definitions: [failing], backoff: { baseMs, maxMs: 10_000 }, now: clock.now });
    const { id } = await jobs.enqueueJob({
      shop: SHOP,
      kind: failing.kind,
      payload: {},
      maxAttempts: failing.maxAttempts,
      runAt: clock.now(),
    });

    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await runner.runDue()).toBe(1);
      const row = await job(id);
      expect(row).toMatchObject({ status: "queued", attempts: attempt, lockedBy: null });
      expect(row.lastError).toMatch(new RegExp(`^boom ${attempt}\\n\\s*at `));
      // runAt is the failure time on the runner's clock (which stood still) plus the backoff.
      const delay = row.runAt.getTime() - clock.ms();
      const expected = baseMs * 2 ** (attempt - 1);
      expect(delay).toBeGreaterThanOrEqual(Math.floor(expected * 0.8));
      expect(delay).toBeLessThanOrEqual(Math.ceil(expected * 1.2));
      delays.push(delay);
      // Not due yet: nothing runs, a millisecond before it either.
      expect(await runner.runDue()).toBe(0);
      clock.set(row.runAt.getTime() - 1);
      expect(await runner.runDue()).toBe(0);
      clock.set(row.runAt.getTime());
    }
    expect(delays[1]).toBeGreaterThan(delays[0]);
    expect(delays[2]).toBeGreaterThan(delays[1]);

    expect(await runner.runDue()).toBe(1);
    const dead = await job(id);
    expect(dead).toMatchObject({ status: "dead", attempts: 4, maxAttempts: 4, lockedAt: null });
    expect(dead.lastError).toMatch(/^boom 4\n/);
    expect(dead.finishedAt).toBeInstanceOf(Date);
    // Dead for good: an hour later it still does not run.
    clock.advance(3_600_000);
    expect(await runner.runDue()).toBe(0);
    expect(calls).toBe(4);
    expect(warnings.filter((w) => w.includes("retrying"))).toHaveLength(3);
    expect(warnings.filter((w) => w.includes("now dead"))).toHaveLength(1);
  });

  it("retryJobNow revives a dead job of that shop, which then succeeds", async () => {
    let broken = true;
    const attempts: number[] = [];
    const flaky = defineJob({
      kind: "test.flaky",
      maxAttempts: 1,
      async run({ attempt }) {
        attempts.push(attempt);
        if (broken) throw new Error("the SMTP server said no");
      },
    });
    const runner = createJobRunner({ definitions: [flaky] });
    const { id } = await jobs.enqueueJob({ shop: SHOP, kind: flaky.kind, payload: {}, maxAttempts: 1 });
    await runner.runDue();
    expect(await job(id)).toMatchObject({ status: "dead", attempts: 1, maxAttempts: 1 });

    expect(await jobs.retryJobNow(OTHER_SHOP, id)).toBe(false);
    expect(await job(id)).toMatchObject({ status: "dead" });
    broken = false;
    expect(await jobs.retryJobNow(SHOP, id)).toBe(true);
    expect(await job(id)).toMatchObject({ status: "queued", attempts: 1, maxAttempts: 2, finishedAt: null });
    expect(await runner.runDue()).toBe(1);
    expect(await job(id)).toMatchObject({ status: "succeeded", attempts: 2, lastError: expect.stringMatching(/^the SMTP server said no\n/) });
    expect(attempts).toEqual([1, 2]);
    // Neither a succeeded nor an unknown job is retried.
    expect(await jobs.retryJobNow(SHOP, id)).toBe(false);
    expect(await jobs.retryJobNow(SHOP, "no-such-job")).toBe(false);
  });

  it("a job whose kind has no definition is dead with a clear error", async () => {
    const runner = createJobRunner({ definitions: [recording("test.known").definition] });
    const { id } = await jobs.enqueueJob({ shop: SHOP, kind: "test.unknown", payload: {} });
    expect(await runner.runDue()).toBe(1);
    const row = await job(id);
    expect(row.status).toBe("dead");
    expect(row.lastError).toContain('no job definition for kind "test.unknown"');
  });

  it("jobs of an uninstalled shop are cancelled, except those that must run after uninstall", async () => {
    const normal = recording("test.sync");
    const compliance = recording("test.redact", { runsAfterUninstall: true });
    const gone = "uninstalled.myshopify.com";
    const runner = createJobRunner({
      definitions: [normal.definition, compliance.definition],
      isShopActive: async (shop) => shop !== gone,
    });
    const sync = await jobs.enqueueJob({ shop: gone, kind: "test.sync", payload: {} });
    const redact = await jobs.enqueueJob({ shop: gone, kind: "test.redact", payload: {} });
    const activeSync = await jobs.enqueueJob({ shop: SHOP, kind: "test.sync", payload: {} });

    await runner.runDue();
    expect(normal.runs.map((r) => r.jobId)).toEqual([activeSync.id]);
    expect(compliance.runs.map((r) => r.jobId)).toEqual([redact.id]);
    expect(await job(sync.id)).toMatchObject({ status: "cancelled", attempts: 0 });
    expect(await job(redact.id)).toMatchObject({ status: "succeeded" });
    expect(await job(activeSync.id)).toMatchObject({ status: "succeeded" });
  });

  it("runs due jobs in the background, started at once when a job is queued in the process", async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const started: string[] = [];
    const finished: string[] = [];
    const slow = defineJob({
      kind: "test.background",
      async run({ jobId }) {
        started.push(jobId);
        await released;
        finished.push(jobId);
      },
    });
    // A poll interval far longer than the test: only the wake-up can start the job.
    const runner = createJobRunner({ definitions: [slow], pollIntervalMs: 60_000 });
    runner.start();
    // The first poll has found nothing and the next is a minute away: only the wake-up can start what comes.
    await runner.idle();
    const { id } = await jobs.enqueueJob({ shop: SHOP, kind: slow.kind, payload: {} });
    await waitFor(() => started.length, (n) => n > 0, 10_000, "the queued job started by the wake-up");
    expect(started).toEqual([id]);

    let stoppedYet = false;
    const stopped = runner.stop().then(() => (stoppedYet = true));
    await aTurn();
    expect(stoppedYet).toBe(false); // stop() waits for the running job
    expect(finished).toEqual([]);
    release();
    await stopped;
    expect(finished).toEqual([id]);
    expect(await job(id)).toMatchObject({ status: "succeeded" });
  });

  it("keeps polling after a job fails and runs the next one", async () => {
    const ran: string[] = [];
    const mixed = defineJob<{ fail: boolean }>({
      kind: "test.mixed",
      maxAttempts: 1,
      async run({ payload, jobId }) {
        if (payload.fail) throw new Error("this one fails");
        ran.push(jobId);
      },
    });
    const clock = manualClock();
    const runner = createJobRunner({ definitions: [mixed], pollIntervalMs: 20, concurrency: 1, now: clock.now });
    const queue = (fail: boolean, runAt: Date) =>
      jobs.enqueueJob({ shop: SHOP, kind: mixed.kind, payload: { fail }, maxAttempts: 1, runAt });
    const bad = await queue(true, clock.now());
    const good = await queue(false, new Date(clock.ms() + 30));
    runner.start();
    await waitFor(() => job(bad.id), (row) => row.status === "dead", 10_000, "the failing job dead");
    // The next one falls due only after the failure: a poll after it must find it.
    clock.advance(30);
    await waitFor(() => ran.length, (n) => n > 0, 10_000, "the next job run by a later poll");
    await runner.stop();
    expect(ran).toEqual([good.id]);
    expect(await job(bad.id)).toMatchObject({ status: "dead", lastError: expect.stringMatching(/^this one fails/) });
  });
});

describe("idempotent enqueueing", () => {
  it("the same key queued 10 times at once is one job", async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => jobs.enqueueJob({ shop: SHOP, kind: "test.idem", key: "order-1001-delay", payload: { n: 1 } })),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await prisma.job.count({ where: { shop: SHOP, kind: "test.idem" } })).toBe(1);

    // The same key for another shop or another kind is another job.
    expect((await jobs.enqueueJob({ shop: OTHER_SHOP, kind: "test.idem", key: "order-1001-delay", payload: {} })).created).toBe(true);
    expect((await jobs.enqueueJob({ shop: SHOP, kind: "test.idem2", key: "order-1001-delay", payload: {} })).created).toBe(true);
  });

  it("a key repeated inside one batch, or queued again after the job ran, adds nothing", async () => {
    const { definition, runs } = recording("test.batch");
    const input = (key: string) => ({ shop: SHOP, kind: "test.batch", key, payload: { key } });
    const first = await jobs.enqueueJobs([input("a"), input("b"), input("a")]);
    expect(first.map((r) => r.created)).toEqual([true, true, false]);
    expect(first[2].id).toBe(first[0].id);

    await createJobRunner({ definitions: [definition] }).runDue();
    const again = await jobs.enqueueJobs([input("a"), input("c")]);
    expect(again).toEqual([{ id: first[0].id, created: false }, { id: expect.any(String), created: true }]);
    expect(await jobs.enqueueJobs([input("a"), input("b"), input("d")], { ignoreExisting: true })).toEqual([
      { id: expect.any(String), created: true },
    ]);
    // Due at the same instant, they run in no promised order.
    expect(runs.map((r) => (r.payload as { key: string }).key).sort()).toEqual(["a", "b"]);
    expect(await prisma.job.count()).toBe(4);
  });

  it("without a key every enqueue is a new job", async () => {
    const a = await jobs.enqueueJob({ shop: SHOP, kind: "test.nokey", payload: {} });
    const b = await jobs.enqueueJob({ shop: SHOP, kind: "test.nokey", payload: {} });
    expect(a.id).not.toBe(b.id);
    expect([a.created, b.created]).toEqual([true, true]);
  });
});

describe("claiming", () => {
  it("two runners racing over the same due jobs run each exactly once", async () => {
    const effects = new Map<string, string[]>();
    const definition = (workerId: string) =>
      defineJob({
        kind: "test.race",
        async run({ jobId }) {
          // A job that takes a moment, so the two runners' claims interleave: the race is what is tested.
          await new Promise((resolve) => setTimeout(resolve, 1));
          effects.set(jobId, [...(effects.get(jobId) ?? []), workerId]);
        },
      });
    const a = createJobRunner({ definitions: [definition("a")], workerId: "worker-a", concurrency: 3 });
    const b = createJobRunner({ definitions: [definition("b")], workerId: "worker-b", concurrency: 3 });
    const queued = await jobs.enqueueJobs(Array.from({ length: 40 }, (_, n) => ({ shop: SHOP, kind: "test.race", payload: { n } })));

    const [ranA, ranB] = await Promise.all([a.runDue(), b.runDue()]);
    expect(ranA + ranB).toBe(40);
    expect(effects.size).toBe(40);
    for (const { id } of queued) expect(effects.get(id)).toHaveLength(1);
    expect(await prisma.job.count({ where: { status: "succeeded", attempts: 1 } })).toBe(40);
  });

  it("two worker processes racing over the same due jobs run each exactly once", async () => {
    const effectsFile = path.join(dir, "race-effects.txt");
    fs.writeFileSync(effectsFile, "");
    const queued = await jobs.enqueueJobs(Array.from({ length: 60 }, (_, n) => ({ shop: SHOP, kind: "test.race", payload: { n } })));
    const children = ["proc-a", "proc-b"].map((workerId) => startChild(["race", effectsFile, workerId]));
    try {
      await Promise.all(children.map((child) => child.waitFor(/^ready$/m)));
      for (const child of children) child.process.stdin?.write("go\n");
      const ran = await Promise.all(children.map(async (child) => Number((await child.waitFor(/^ran (\d+)$/m))[1])));
      expect(ran[0] + ran[1]).toBe(60);
      const lines = fs.readFileSync(effectsFile, "utf8").trim().split("\n");
      expect(lines).toHaveLength(60);
      expect(new Set(lines.map((line) => line.split(" ")[0]))).toEqual(new Set(queued.map((q) => q.id)));
    } finally {
      for (const child of children) child.kill();
    }
  });

  it("one statement claims the longest-waiting due jobs up to the limit, stamped by the database's clock", async () => {
    const base = Date.now();
    const queued = await jobs.enqueueJobs(
      [3, 1, 2, 0].map((minutesAgo) => ({ shop: SHOP, kind: "test.order", payload: { minutesAgo }, runAt: new Date(base - minutesAgo * 60_000) })),
    );
    const later = await jobs.enqueueJob({ shop: OTHER_SHOP, kind: "test.order", payload: {}, runAt: new Date(base + 60_000) });

    const first = await jobs.claimDueJobs("worker-x", new Date(base), 2);
    expect(first.map((j) => j.id)).toEqual(expect.arrayContaining([queued[0].id, queued[2].id]));
    expect(first).toHaveLength(2);
    for (const claimedJob of first) expect(claimedJob).toMatchObject({ lockedBy: "worker-x", attempts: 1, shop: SHOP });
    const dbNow = (await jobs.databaseNow()).getTime();
    for (const { id } of first) {
      const row = await job(id);
      expect(row.status).toBe("running");
      expect(Math.abs(row.lockedAt!.getTime() - dbNow)).toBeLessThan(5_000);
    }
    // The rest: the two still due, never the one due later, never one already held.
    const rest = await jobs.claimDueJobs("worker-y", new Date(base), 10);
    expect(new Set(rest.map((j) => j.id))).toEqual(new Set([queued[1].id, queued[3].id]));
    expect(await jobs.claimDueJobs("worker-y", new Date(base), 10)).toEqual([]);
    expect((await job(later.id)).status).toBe("queued");

    // Successes recorded in one statement, only for the claims still held as claimed.
    const recorded = await jobs.markJobsSucceeded([...first, { ...rest[0], lockedBy: "someone-else" }]);
    expect(recorded).toEqual(new Set(first.map((j) => j.id)));
    expect((await job(rest[0].id)).status).toBe("running");
    for (const { id } of first) expect(await job(id)).toMatchObject({ status: "succeeded", lockedBy: null, lockedAt: null });
  });

  it("a busy runner records many successes per statement, each job once", async () => {
    const ran: string[] = [];
    const quick = defineJob({
      kind: "test.quick",
      async run({ jobId }) {
        ran.push(jobId);
      },
    });
    const queued = await jobs.enqueueJobs(Array.from({ length: 30 }, (_, n) => ({ shop: n % 2 ? SHOP : OTHER_SHOP, kind: quick.kind, payload: { n } })));
    const runner = createJobRunner({ definitions: [quick], workerId: "busy", concurrency: 6 });
    expect(await runner.runDue()).toBe(30);
    expect(new Set(ran)).toEqual(new Set(queued.map((q) => q.id)));
    expect(ran).toHaveLength(30);
    const rows = await prisma.job.findMany({ where: { kind: quick.kind } });
    for (const row of rows) expect(row).toMatchObject({ status: "succeeded", attempts: 1, lockedBy: null });
  });
});

describe("crash recovery", () => {
  it("a running job whose lease expired is queued again and run; a live lease is left alone", async () => {
    const { definition, runs } = recording("test.crashed");
    const crashed = await jobs.enqueueJob({ shop: SHOP, kind: "test.crashed", payload: {} });
    const live = await jobs.enqueueJob({ shop: SHOP, kind: "test.crashed", payload: {} });
    const exhausted = await jobs.enqueueJob({ shop: SHOP, kind: "test.crashed", payload: {}, maxAttempts: 1 });
    const longAgo = new Date(Date.now() - 10 * 60_000);
    await prisma.job.update({ where: { id: crashed.id }, data: { status: "running", lockedAt: longAgo, lockedBy: "gone", attempts: 1 } });
    await prisma.job.update({ where: { id: live.id }, data: { status: "running", lockedAt: new Date(), lockedBy: "alive", attempts: 1 } });
    await prisma.job.update({ where: { id: exhausted.id }, data: { status: "running", lockedAt: longAgo, lockedBy: "gone", attempts: 1 } });

    const runner = createJobRunner({ definitions: [definition], leaseMs: 60_000 });
    expect(await runner.runDue()).toBe(1);
    expect(runs.map((r) => [r.jobId, r.attempt])).toEqual([[crashed.id, 2]]);
    expect(await job(crashed.id)).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(await job(live.id)).toMatchObject({ status: "running", lockedBy: "alive" });
    const dead = await job(exhausted.id);
    expect(dead.status).toBe("dead");
    expect(dead.lastError).toContain("lease expired");
  });

  it("a long job keeps its lease while its worker is alive", async () => {
    let runs = 0;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const long = defineJob({
      kind: "test.long",
      async run() {
        runs += 1;
        await released;
      },
    });
    // The product's shortest lease (JOB_LEASE_MS ≥ 1000): the heartbeat renews it every third.
    const leaseMs = 1_000;
    const a = createJobRunner({ definitions: [long], workerId: "worker-a", leaseMs });
    const b = createJobRunner({ definitions: [long], workerId: "worker-b", leaseMs });
    const { id } = await jobs.enqueueJob({ shop: SHOP, kind: long.kind, payload: {} });
    const first = a.runDue();
    const claimed = await waitFor(() => job(id), (row) => row.status === "running", 10_000, "the job claimed");
    const claimedAt = claimed.lockedAt!;
    // Real time is what is tested here (a timer renewing a lease the database's clock judges): the
    // test waits on the database until two leases have passed since the claim, no longer.
    await waitFor(
      async () => (await jobs.databaseNow()).getTime() - claimedAt.getTime(),
      (elapsed) => elapsed > 2 * leaseMs,
      10_000,
      "two leases past the claim, by the database's clock",
    );
    expect((await job(id)).lockedAt!.getTime()).toBeGreaterThan(claimedAt.getTime());
    expect(await b.runDue()).toBe(0);
    release();
    expect(await first).toBe(1);
    expect(runs).toBe(1);
    expect(await job(id)).toMatchObject({ status: "succeeded", attempts: 1 });
  });

  // The child's own clock is right, 10 minutes slow, or 10 minutes fast: leases are stamped and
  // judged by the database's clock, so none of them changes when the job is taken over.
  it.each([
    ["a right clock", 0],
    ["a clock 10 minutes slow", -10 * 60_000],
    ["a clock 10 minutes fast", 10 * 60_000],
  ])("a job whose worker process (with %s) is killed mid-run is finished by the next worker after the lease", async (_, skewMs) => {
    const leaseMs = 1_000;
    const child = startChild(["hang", SHOP, `killed-mid-run-${skewMs}`, String(leaseMs)], { CLOCK_SKEW_MS: String(skewMs) });
    let jobId: string;
    try {
      jobId = (await child.waitFor(/^started (\S+)$/m))[1];
      const claimedAt = (await job(jobId)).lockedAt!;
      expect(Math.abs(claimedAt.getTime() - (await jobs.databaseNow()).getTime())).toBeLessThan(5_000);
      // While the worker lives it renews the lease: once the claim itself is older than a lease
      // (by the database's clock) and renewed since, nobody else takes the job.
      const { definition, runs } = recording("test.hang");
      const next = createJobRunner({ definitions: [definition], workerId: "next-worker", leaseMs });
      await waitFor(
        async () => {
          const renewed = (await job(jobId)).lockedAt!.getTime();
          const age = (await jobs.databaseNow()).getTime() - claimedAt.getTime();
          return age > leaseMs * 1.5 && renewed > claimedAt.getTime();
        },
        Boolean,
        15_000,
        "the claim older than a lease and renewed since",
      );
      expect(await next.runDue()).toBe(0);
      expect(await job(jobId)).toMatchObject({ status: "running", lockedBy: "child-worker", attempts: 1 });

      child.process.kill("SIGKILL");
      await child.exited;
      expect(child.process.signalCode).toBe("SIGKILL");
      const killedAt = Date.now();
      const lastRenewal = (await job(jobId)).lockedAt!.getTime();
      // Taken over one lease after the last heartbeat: not before, not minutes later.
      const ran = await waitFor(() => next.runDue(), (n) => n > 0, 10_000, "the next worker taking the job over");
      expect(ran).toBe(1);
      expect(Date.now() - killedAt).toBeLessThan(leaseMs + 3_000);
      const takenOver = await job(jobId);
      expect(runs.map((r) => [r.jobId, r.attempt])).toEqual([[jobId, 2]]);
      expect(takenOver).toMatchObject({ status: "succeeded", attempts: 2, lockedBy: null });
      expect(takenOver.updatedAt.getTime() - lastRenewal).toBeGreaterThanOrEqual(leaseMs);
      expect(warnings.some((w) => w.includes("1 queued again"))).toBe(true);
    } finally {
      child.kill();
    }
  });
});

describe("every job belongs to a shop", () => {
  it("another shop's jobs are invisible and untouchable", async () => {
    const mine = await jobs.enqueueJob({ shop: SHOP, kind: "test.scope", payload: {} });
    const theirs = await jobs.enqueueJob({ shop: OTHER_SHOP, kind: "test.scope", payload: {} });

    expect((await jobs.jobsForShop(SHOP)).map((j) => j.id)).toEqual([mine.id]);
    expect((await jobs.jobsForShop(SHOP, { status: ["dead"] })).map((j) => j.id)).toEqual([]);
    expect(await jobs.jobForShop(SHOP, theirs.id)).toBeNull();
    expect((await jobs.jobForShop(OTHER_SHOP, theirs.id))?.id).toBe(theirs.id);
    expect(await jobs.retryJobNow(SHOP, theirs.id)).toBe(false);
    expect(await jobs.jobCountsForShop(SHOP)).toEqual({ queued: 1, running: 0, succeeded: 0, dead: 0, cancelled: 0 });

    expect(await jobs.cancelJobsForShop(SHOP)).toBe(1);
    expect(await job(theirs.id)).toMatchObject({ status: "queued" });
    expect(await jobs.jobCountsForShop(SHOP)).toEqual({ queued: 0, running: 0, succeeded: 0, dead: 0, cancelled: 1 });
  });

  it("cancelJobsForShop keeps the kinds it is told to keep", async () => {
    const sync = await jobs.enqueueJob({ shop: SHOP, kind: "test.sync", payload: {} });
    const redact = await jobs.enqueueJob({ shop: SHOP, kind: "test.redact", payload: {} });
    expect(await jobs.cancelJobsForShop(SHOP, { exceptKinds: ["test.redact"] })).toBe(1);
    expect(await job(sync.id)).toMatchObject({ status: "cancelled" });
    expect(await job(redact.id)).toMatchObject({ status: "queued" });
  });
});

interface Child {
  process: ChildProcess;
  exited: Promise<void>;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  kill(): void;
}

/** tests/integration/jobs.child.ts in its own Node process (one process, so SIGKILL kills the worker itself). */
function startChild(args: string[], extraEnv: Record<string, string> = {}): Child {
  const preload = path.join(REPO_ROOT, "tests/support/skewed-clock.mjs");
  const child = spawn(process.execPath, ["--import", preload, "--import", "tsx", path.join(REPO_ROOT, "tests/integration/jobs.child.ts"), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, ...extraEnv },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    process: child,
    exited,
    async waitFor(pattern, timeoutMs = 20_000) {
      const printed = () => {
        const match = output.match(pattern);
        const exited = child.exitCode !== null || child.signalCode !== null;
        if (!match && exited) throw new Error(`worker process exited:\n${output}`);
        return match;
      };
      try {
        return (await waitFor(printed, Boolean, timeoutMs, `the worker process to print ${pattern}`))!;
      } catch (error) {
        throw new Error(`worker process never printed ${pattern}:\n${output}`, { cause: error });
      }
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}
