/**
 * `npm run bench`: the project's performance cases, each printed with a baseline
 * measured in the same run. Needs a build (`npm run build`), which it makes when missing.
 * Options: --only <name>[,<name>…] to run some cases; --quick for a short run (CI runs it: every
 * case must run, its figures are not judged). Exits non-zero when a case fails or overruns.
 *
 * Each case runs in a process of its own (this script again, with --case): app modules read
 * DATABASE_URL once on import and keep one database client per process, so a second case in the
 * same process would write to the first one's (deleted) database; and memory figures start clean.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureBuild, REPO_ROOT } from "../support/processes";
import { benchWebhookAck } from "./webhook-ack";
import { benchBulkIngest, benchBulkIngestPostgres, benchPagedSync } from "./sync";
import { benchInbox } from "./inbox";
import { benchFaqSearch } from "./faq-search";
import { benchDelayNotice } from "./delay-notice";
import { benchJobRunner, benchJobRunnerPostgres } from "./job-runner";
import { benchWebhookEffect, benchWebhookEffectPostgres } from "./webhook-effect";
import { benchRetention } from "./retention";
import { benchChat } from "./chat";

const args = process.argv.slice(2);
const valueOf = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
const quick = args.includes("--quick");

const cases: Record<string, () => Promise<{ report(): string }>> = {
  "webhook-ack": () =>
    benchWebhookAck({ worker: "in-process", rate: Number(process.env.BENCH_RATE ?? 500), seconds: quick ? 2 : 10, duplicateShare: 0.1 }),
  "webhook-ack-worker": () =>
    benchWebhookAck({ worker: "separate", rate: Number(process.env.BENCH_RATE ?? 500), seconds: quick ? 2 : 10, duplicateShare: 0.1 }),
  "webhook-ack-postgres": () =>
    benchWebhookAck({
      worker: "separate",
      rate: Number(process.env.BENCH_RATE ?? 1_000),
      seconds: quick ? 2 : 10,
      duplicateShare: 0.1,
      postgres: { apps: 2 },
    }),
  "bulk-ingest": () => benchBulkIngest(quick ? { customers: 5_000, orders: 10_000 } : { customers: 50_000, orders: 100_000 }),
  "bulk-ingest-postgres": () => benchBulkIngestPostgres(quick ? { customers: 5_000, orders: 10_000 } : { customers: 50_000, orders: 100_000 }),
  "paged-sync": () =>
    benchPagedSync(
      quick
        ? { customers: 1_000, orders: 400, bucketSize: 1_000, restoreRate: 1_000 }
        : { customers: 4_000, orders: 2_000, bucketSize: 2_000, restoreRate: 1_000 },
    ),
  inbox: () => benchInbox({ tickets: quick ? 10_000 : 100_000, rounds: quick ? 3 : 10 }),
  "inbox-postgres": () => benchInbox({ tickets: quick ? 100_000 : 1_000_000, rounds: quick ? 3 : 10, postgres: true }),
  "delay-notice": () => benchDelayNotice({ events: quick ? 20 : 60 }),
  "job-runner": () => benchJobRunner({ jobs: quick ? 2_000 : 20_000, concurrency: Number(process.env.BENCH_JOB_CONCURRENCY ?? 8) }),
  "job-runner-postgres": () =>
    benchJobRunnerPostgres({ jobs: quick ? 2_000 : 20_000, concurrency: Number(process.env.BENCH_JOB_CONCURRENCY ?? 32), workers: quick ? [1, 2] : [1, 2, 4] }),
  "webhook-effect": () =>
    benchWebhookEffect({
      deliveries: quick ? 1_000 : 10_000,
      concurrencies: process.env.BENCH_JOB_CONCURRENCY ? [Number(process.env.BENCH_JOB_CONCURRENCY)] : undefined,
    }),
  "webhook-effect-postgres": () =>
    benchWebhookEffectPostgres({ deliveries: quick ? 1_000 : 10_000, workers: 2, concurrency: Number(process.env.BENCH_JOB_CONCURRENCY ?? 16) }),
  "faq-search": () => benchFaqSearch({ articles: quick ? 1_000 : 5_000, rounds: quick ? 3 : 20 }),
  chat: () => benchChat({ connections: quick ? 200 : 1_000, conversations: 10, rounds: quick ? 2 : 4 }),
  "chat-postgres": () => benchChat({ connections: quick ? 200 : 1_000, conversations: 10, rounds: quick ? 2 : 4, postgres: true }),
  retention: () => benchRetention({ webhooks: quick ? 5_000 : 100_000, rateLimitRequests: quick ? 500 : 5_000 }),
};

/** How long a case may take before it counts as broken (a hang must not stall CI). */
const CASE_TIMEOUT_MS = Number(process.env.BENCH_CASE_TIMEOUT_MS ?? (quick ? 180_000 : 1_200_000));

/** In the case's own process: run it, print its report, exit 0 or 1 (open handles cannot keep it alive). */
async function runCase(name: string): Promise<never> {
  try {
    const result = await cases[name]();
    console.log(result.report());
    process.exit(0);
  } catch (error) {
    console.log(`${name}: FAILED — ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  }
}

/** One case in a child process (its own process group, so whatever it started goes with it). */
function spawnCase(name: string): Promise<{ ok: boolean; ms: number; why?: string }> {
  const started = performance.now();
  const tsx = path.join(REPO_ROOT, "node_modules/tsx/dist/cli.mjs");
  const child = spawn(process.execPath, [tsx, fileURLToPath(import.meta.url), "--case", name, ...(quick ? ["--quick"] : [])], {
    cwd: REPO_ROOT,
    stdio: "inherit",
    detached: true,
  });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup("SIGTERM");
    setTimeout(() => killGroup("SIGKILL"), 5_000).unref();
  }, CASE_TIMEOUT_MS);
  const interrupted = (signal: NodeJS.Signals) => {
    killGroup(signal);
    process.exit(130);
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  return new Promise((resolve) => {
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      process.off("SIGINT", interrupted);
      process.off("SIGTERM", interrupted);
      // The case's servers, should any outlive it.
      killGroup("SIGKILL");
      const ms = performance.now() - started;
      if (timedOut) resolve({ ok: false, ms, why: `did not finish within ${CASE_TIMEOUT_MS / 1000} s` });
      else if (code === 0) resolve({ ok: true, ms });
      else resolve({ ok: false, ms, why: signal ? `killed by ${signal}` : code === 1 ? undefined : `exit code ${code}` });
    });
  });
}

async function main() {
  const single = valueOf("--case");
  if (single) {
    if (!(single in cases)) throw new Error(`no bench case ${single}`);
    await runCase(single);
  }
  const only = valueOf("--only")?.split(",").filter(Boolean);
  const unknown = (only ?? []).filter((name) => !(name in cases));
  if (unknown.length > 0) {
    console.error(`No bench case ${unknown.join(", ")}; the cases: ${Object.keys(cases).join(", ")}`);
    process.exit(2);
  }
  await ensureBuild(console.log);
  const started = performance.now();
  const outcomes: { name: string; ok: boolean; ms: number; why?: string }[] = [];
  for (const name of Object.keys(cases)) {
    if (only && !only.includes(name)) continue;
    const outcome = await spawnCase(name);
    if (!outcome.ok && outcome.why) console.log(`${name}: FAILED — ${outcome.why}`);
    outcomes.push({ name, ...outcome });
  }
  const failed = outcomes.filter((o) => !o.ok);
  console.log(
    `\nbench${quick ? " (quick)" : ""}: ${outcomes.length - failed.length} of ${outcomes.length} cases ran in ${((performance.now() - started) / 1000).toFixed(0)} s ` +
      `(${outcomes.map((o) => `${o.name} ${(o.ms / 1000).toFixed(0)} s${o.ok ? "" : " FAILED"}`).join(", ")})`,
  );
  process.exitCode = failed.length > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
