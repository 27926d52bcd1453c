/**
 * Webhook to effect: `customers/update` deliveries recorded through the app's own receive path,
 * then processed by the durable runner (one delivery, one job) until every customer row holds
 * its delivery's data. Reports deliveries/s and checks zero lost, zero applied twice. Baseline in
 * the same run: the same customer upserts called directly, one at a time (the effect alone,
 * without the webhook's row, the job and its bookkeeping).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DEV_APP, migrateDatabase } from "../support/processes";

const SHOP = "bench-effect.myshopify.com";

function customerPayload(n: number, version: number) {
  const updatedAt = new Date(Date.UTC(2026, 10, 1) + version * 60_000 + n).toISOString();
  return {
    id: 7_000_000 + n,
    admin_graphql_api_id: `gid://shopify/Customer/${7_000_000 + n}`,
    email: `shopper${n}@example.com`,
    first_name: `Shopper${n}`,
    last_name: `Version${version}`,
    phone: null,
    state: "enabled",
    locale: "en",
    orders_count: n % 7,
    total_spent: "0.00",
    tags: "",
    created_at: "2026-01-01T00:00:00Z",
    updated_at: updatedAt,
  };
}

/** The effect alone, version 1 of every customer, one upsert at a time: the same-run baseline, ms. */
async function timeBareUpserts(deliveries: number): Promise<number> {
  const { upsertCustomers } = await import("../../app/models/sync-store.server");
  const { customerFromWebhook } = await import("../../app/services/sync/records");
  const started = performance.now();
  for (let n = 0; n < deliveries; n++) await upsertCustomers(SHOP, [customerFromWebhook(customerPayload(n, 1) as never)!]);
  return performance.now() - started;
}

type Prisma = (typeof import("../../app/db.server"))["default"];

/** What is wrong with the run's effects, or null: every customer holds its delivery, every delivery processed by one run. */
async function effectsFailure(prisma: Prisma, deliveries: number, version = 2): Promise<string | null> {
  const applied = await prisma.customer.count({ where: { shop: SHOP, lastName: `Version${version}` } });
  const processed = await prisma.webhookEvent.count({ where: { shop: SHOP, status: "processed" } });
  const attempts = await prisma.job.aggregate({ _sum: { attempts: true }, where: { shop: SHOP, kind: "webhook.process" } });
  if (applied !== deliveries) return `${applied} of ${deliveries} customers hold their delivery (lost: ${deliveries - applied})`;
  if (processed !== deliveries) return `${processed} of ${deliveries} deliveries processed`;
  if (attempts._sum.attempts !== deliveries) return `${attempts._sum.attempts} runs for ${deliveries} deliveries`;
  return null;
}

const perSecond = (count: number, elapsed: number) => ((count / elapsed) * 1000).toFixed(0);

/**
 * One runner in this process at each concurrency of `concurrencies` in turn (by default 1, the
 * app's default before jobs shared statements, and the app's default now), each pass a new
 * version of every customer.
 */
export async function benchWebhookEffect(opts: { deliveries: number; concurrencies?: number[] }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "support-desk-bench-effect-"));
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? `file:${path.join(dir, "effect.sqlite")}`;
  process.env.DATABASE_URL = databaseUrl;
  // The app's environment, as the app server gets it (the sync model reads the secret for redaction keys).
  Object.assign(process.env, { SHOPIFY_API_KEY: DEV_APP.apiKey, SHOPIFY_API_SECRET: DEV_APP.apiSecret, SHOPIFY_APP_URL: "http://localhost" });
  await migrateDatabase(databaseUrl);
  // db.server reads DATABASE_URL on import: the modules come after it is set.
  const { receiveWebhook } = await import("../../app/services/webhooks/receive.server");
  const { jobDefinitions, DEFAULT_JOB_CONCURRENCY } = await import("../../app/services/worker.server");
  const { createJobRunner } = await import("../../app/jobs/runner.server");
  const { isShopInstalled } = await import("../../app/models/shop.server");
  const prisma = (await import("../../app/db.server")).default;
  for (const table of ["Job", "WebhookEvent", "Customer"]) await prisma.$executeRawUnsafe(`DELETE FROM "${table}"`);

  const baselineMs = await timeBareUpserts(opts.deliveries);
  const concurrencies = opts.concurrencies ?? [1, DEFAULT_JOB_CONCURRENCY];

  const passes: { concurrency: number; ms: number; cpuMs: number }[] = [];
  for (const [pass, concurrency] of concurrencies.entries()) {
    const version = pass + 2;
    for (const table of ["Job", "WebhookEvent"]) await prisma.$executeRawUnsafe(`DELETE FROM "${table}"`);
    // The pipeline: the next version of every customer, each a delivery recorded as the webhook route does.
    const received = await Promise.all(
      Array.from({ length: opts.deliveries }, (_, n) =>
        receiveWebhook({ shop: SHOP, topic: "customers/update", eventId: `effect-${version}-${n}`, rawPayload: JSON.stringify(customerPayload(n, version)) }),
      ),
    );
    if (received.some((r) => r.duplicate)) throw new Error("a fresh delivery was taken for a duplicate");
    while ((await prisma.job.count()) < opts.deliveries) await new Promise((resolve) => setTimeout(resolve, 5));
    const runner = createJobRunner({ definitions: jobDefinitions, concurrency, pollIntervalMs: 50, isShopActive: isShopInstalled });
    const cpu = process.cpuUsage();
    const started = performance.now();
    runner.start();
    for (;;) {
      const open = await prisma.job.count({ where: { status: { in: ["queued", "running"] } } });
      if (open === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await runner.stop();
    const ms = performance.now() - started;
    const cpuUsage = process.cpuUsage(cpu);
    const failure = await effectsFailure(prisma, opts.deliveries, version);
    if (failure) throw new Error(`concurrency ${concurrency}: ${failure}`);
    passes.push({ concurrency, ms, cpuMs: (cpuUsage.user + cpuUsage.system) / 1000 });
  }
  await prisma.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });

  const engine = databaseUrl.startsWith("file:") ? "SQLite" : "PostgreSQL";
  return {
    report: () =>
      [
        `webhook-effect (${engine}, ${opts.deliveries} customers/update deliveries, one runner in this process; app default concurrency ${DEFAULT_JOB_CONCURRENCY})`,
        `  baseline (the upsert alone, one at a time): ${perSecond(opts.deliveries, baselineMs)} customers/s`,
        ...passes.map(
          (p) =>
            `  concurrency ${String(p.concurrency).padStart(2)}: ${perSecond(opts.deliveries, p.ms)} deliveries/s, ` +
            `${(p.cpuMs / opts.deliveries).toFixed(3)} ms of CPU each, ${(baselineMs / p.ms).toFixed(2)}× the bare effect's rate; none lost, none twice`,
        ),
        ...(passes.length > 1
          ? [`  concurrency ${passes.at(-1)!.concurrency} runs at ${(passes[0].ms / passes.at(-1)!.ms).toFixed(1)}× the rate of concurrency ${passes[0].concurrency}`]
          : []),
      ].join("\n"),
  };
}

/**
 * PostgreSQL with worker processes: the same `customers/update` deliveries recorded through the
 * app's receive path, then processed by `workers` runner processes with the app's own job
 * definitions (tests/bench/runner-process.ts), woken by LISTEN/NOTIFY. Zero lost, zero twice.
 * Baseline in the same run: the bare upserts, one at a time, from this process.
 */
export async function benchWebhookEffectPostgres(opts: { deliveries: number; workers: number; concurrency: number }) {
  const { BENCH_POSTGRES_URL, benchPostgresDatabase, startRunnerProcess } = await import("./postgres");
  if (!BENCH_POSTGRES_URL) return { report: () => "webhook-effect-postgres: skipped (set BENCH_POSTGRES_URL to a PostgreSQL server)" };
  const database = await benchPostgresDatabase("effect");
  process.env.DATABASE_URL = database.url;
  Object.assign(process.env, { SHOPIFY_API_KEY: DEV_APP.apiKey, SHOPIFY_API_SECRET: DEV_APP.apiSecret, SHOPIFY_APP_URL: "http://localhost" });
  const { receiveWebhook } = await import("../../app/services/webhooks/receive.server");
  const prisma = (await import("../../app/db.server")).default;
  try {
    const baselineMs = await timeBareUpserts(opts.deliveries);

    const runners = await Promise.all(
      Array.from({ length: opts.workers }, () =>
        startRunnerProcess({ DATABASE_URL: database.url, BENCH_RUNNER_JOBS: "app", BENCH_JOB_CONCURRENCY: String(opts.concurrency) }),
      ),
    );
    const started = performance.now();
    const received = await Promise.all(
      Array.from({ length: opts.deliveries }, (_, n) =>
        receiveWebhook({ shop: SHOP, topic: "customers/update", eventId: `effect-${n}`, rawPayload: JSON.stringify(customerPayload(n, 2)) }),
      ),
    );
    if (received.some((r) => r.duplicate)) throw new Error("a fresh delivery was taken for a duplicate");
    for (;;) {
      const processed = await prisma.webhookEvent.count({ where: { shop: SHOP, status: "processed" } });
      if (processed >= opts.deliveries) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const ms = performance.now() - started;
    const cpu = (await Promise.all(runners.map((r) => r.stop()))).reduce((a, b) => a + b, 0);
    const failure = await effectsFailure(prisma, opts.deliveries);
    if (failure) throw new Error(failure);
    return {
      report: () =>
        [
          `webhook-effect-postgres (${opts.deliveries} customers/update deliveries, ${opts.workers} worker processes, concurrency ${opts.concurrency} each)`,
          `  received and processed: ${perSecond(opts.deliveries, ms)} deliveries/s, ${(cpu / opts.deliveries).toFixed(3)} ms of worker CPU each; none lost, none twice`,
          `  baseline (the upsert alone, one at a time): ${perSecond(opts.deliveries, baselineMs)} customers/s`,
          `  ratio: the pipeline runs at ${(baselineMs / ms).toFixed(2)}× the rate of the bare effect`,
        ].join("\n"),
    };
  } finally {
    await prisma.$disconnect();
    await database.drop();
  }
}
