/**
 * One job runner in a process of its own, as `npm run worker` is, for the benches that put several
 * side by side: `tsx tests/bench/runner-process.ts` with DATABASE_URL, BENCH_RUNNER_JOBS (`noop`: a
 * job that does nothing; `app`: the app's own definitions) and BENCH_JOB_CONCURRENCY. Prints
 * `ready` once it listens for wake-ups; on SIGTERM stops, prints `cpu <ms>` and exits.
 */
import { DEV_APP } from "../support/processes";

Object.assign(process.env, { SHOPIFY_API_KEY: DEV_APP.apiKey, SHOPIFY_API_SECRET: DEV_APP.apiSecret, SHOPIFY_APP_URL: "http://localhost" });
const { createJobRunner } = await import("../../app/jobs/runner.server");
const { defineJob } = await import("../../app/jobs/types");

/** The kind benchJobRunnerPostgres queues. */
const BENCH_NOOP_KIND = "bench-noop";

const definitions =
  process.env.BENCH_RUNNER_JOBS === "app"
    ? (await import("../../app/services/worker.server")).jobDefinitions
    : [defineJob<{ n: number }>({ kind: BENCH_NOOP_KIND, async run() {} })];
const isShopActive =
  process.env.BENCH_RUNNER_JOBS === "app" ? (await import("../../app/models/shop.server")).isShopInstalled : undefined;
const runner = createJobRunner({
  definitions,
  concurrency: Number(process.env.BENCH_JOB_CONCURRENCY ?? 8),
  pollIntervalMs: 1_000,
  ...(isShopActive ? { isShopActive } : {}),
});
runner.start();
await runner.whenListening();
// CPU from here on: the jobs, not loading the app.
const cpu = process.cpuUsage();
console.log("ready");
process.on("SIGTERM", () => {
  void runner.stop().then(() => {
    const used = process.cpuUsage(cpu);
    console.log(`cpu ${(used.user + used.system) / 1000}`);
    process.exit(0);
  });
});
