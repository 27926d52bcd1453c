/**
 * The durable job runner with no-op jobs: how many a second one runner gets through, and how
 * much of this process's CPU each costs (claim, run, record). Baseline in the same run: the
 * same number of rows queued (the enqueue cost, one statement per 200 jobs), so the figure
 * reads as "running a job costs N times queueing one".
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrateDatabase } from "../support/processes";

export async function benchJobRunner(opts: { jobs: number; concurrency: number }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "support-desk-bench-jobs-"));
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? `file:${path.join(dir, "jobs.sqlite")}`;
  process.env.DATABASE_URL = databaseUrl;
  await migrateDatabase(databaseUrl);
  // db.server reads DATABASE_URL on import: the modules come after it is set.
  const { enqueueJobs } = await import("../../app/models/job.server");
  const { createJobRunner } = await import("../../app/jobs/runner.server");
  const { defineJob } = await import("../../app/jobs/types");
  const prisma = (await import("../../app/db.server")).default;
  await prisma.job.deleteMany();

  let ran = 0;
  const noop = defineJob<{ n: number }>({
    kind: "bench-noop",
    async run() {
      ran += 1;
    },
  });
  const shops = ["bench-jobs-a.myshopify.com", "bench-jobs-b.myshopify.com"];
  const inputs = Array.from({ length: opts.jobs }, (_, n) => ({
    shop: shops[n % shops.length],
    kind: noop.kind,
    key: `noop-${n}`,
    payload: { n },
  }));

  const enqueueCpu = process.cpuUsage();
  const enqueueStarted = performance.now();
  await enqueueJobs(inputs, { ignoreExisting: true });
  const enqueueMs = performance.now() - enqueueStarted;
  const enqueueCpuMs = cpuMs(process.cpuUsage(enqueueCpu));

  const runner = createJobRunner({ definitions: [noop], concurrency: opts.concurrency, pollIntervalMs: 50 });
  const runCpu = process.cpuUsage();
  const runStarted = performance.now();
  runner.start();
  while (ran < opts.jobs) await new Promise((resolve) => setTimeout(resolve, 5));
  await runner.stop();
  const runMs = performance.now() - runStarted;
  const runCpuMs = cpuMs(process.cpuUsage(runCpu));

  const succeeded = await prisma.job.count({ where: { status: "succeeded" } });
  await prisma.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
  if (succeeded !== opts.jobs) throw new Error(`${succeeded} of ${opts.jobs} jobs recorded as succeeded`);
  if (ran !== opts.jobs) throw new Error(`${ran} runs for ${opts.jobs} jobs`);

  const engine = databaseUrl.startsWith("file:") ? "SQLite" : "PostgreSQL";
  return {
    report: () =>
      [
        `job-runner (${engine}, ${opts.jobs} no-op jobs, one runner, concurrency ${opts.concurrency})`,
        `  run:     ${((opts.jobs / runMs) * 1000).toFixed(0)} jobs/s, ${(runCpuMs / opts.jobs).toFixed(3)} ms of CPU per job`,
        `  baseline (queueing them): ${((opts.jobs / enqueueMs) * 1000).toFixed(0)} jobs/s, ` +
          `${(enqueueCpuMs / opts.jobs).toFixed(3)} ms of CPU per job`,
        `  ratio: running costs ${(runCpuMs / Math.max(enqueueCpuMs, 0.001)).toFixed(1)}× the CPU of queueing`,
      ].join("\n"),
  };
}

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

/**
 * PostgreSQL, runners side by side: 1, 2 and 4 worker processes (tests/bench/runner-process.ts,
 * each with `concurrency` slots) on one database, `jobs` no-op jobs queued at once by this process;
 * they wake by LISTEN/NOTIFY and claim with SKIP LOCKED. Reports jobs/s and the workers' CPU per
 * job for each count; baseline in the same run: queueing them.
 */
export async function benchJobRunnerPostgres(opts: { jobs: number; concurrency: number; workers: number[] }) {
  const { BENCH_POSTGRES_URL, benchPostgresDatabase, startRunnerProcess } = await import("./postgres");
  if (!BENCH_POSTGRES_URL) return { report: () => "job-runner-postgres: skipped (set BENCH_POSTGRES_URL to a PostgreSQL server)" };
  const database = await benchPostgresDatabase("jobs");
  process.env.DATABASE_URL = database.url;
  const { enqueueJobs } = await import("../../app/models/job.server");
  const prisma = (await import("../../app/db.server")).default;
  const rows: string[] = [];
  let round = 0;
  try {
    for (const workers of opts.workers) {
      await prisma.job.deleteMany();
      const runners = await Promise.all(
        Array.from({ length: workers }, () => startRunnerProcess({ DATABASE_URL: database.url, BENCH_RUNNER_JOBS: "noop", BENCH_JOB_CONCURRENCY: String(opts.concurrency) })),
      );
      round += 1;
      const inputs = Array.from({ length: opts.jobs }, (_, n) => ({
        shop: `bench-jobs-${n % 4}.myshopify.com`,
        kind: "bench-noop",
        key: `r${round}-${n}`,
        payload: { n },
      }));
      const enqueueStarted = performance.now();
      await enqueueJobs(inputs, { ignoreExisting: true });
      const enqueueMs = performance.now() - enqueueStarted;
      for (;;) {
        const done = await prisma.job.count({ where: { status: "succeeded" } });
        if (done >= opts.jobs) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const ms = performance.now() - enqueueStarted;
      const cpu = (await Promise.all(runners.map((r) => r.stop()))).reduce((a, b) => a + b, 0);
      const attempts = await prisma.job.aggregate({ _sum: { attempts: true } });
      if (attempts._sum.attempts !== opts.jobs) throw new Error(`${attempts._sum.attempts} runs for ${opts.jobs} jobs with ${workers} workers`);
      rows.push(
        `  ${workers} worker${workers > 1 ? "s" : " "}: ${((opts.jobs / ms) * 1000).toFixed(0).padStart(5)} jobs/s, ` +
          `${(cpu / opts.jobs).toFixed(3)} ms of worker CPU per job; queueing them: ${((opts.jobs / enqueueMs) * 1000).toFixed(0)} jobs/s; each ran once`,
      );
    }
  } finally {
    await prisma.$disconnect();
    await database.drop();
  }
  return {
    report: () =>
      [`job-runner-postgres (${opts.jobs} no-op jobs queued at once, worker processes side by side, concurrency ${opts.concurrency} each)`, ...rows].join("\n"),
  };
}
