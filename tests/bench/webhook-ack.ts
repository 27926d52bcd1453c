/**
 * Webhook acknowledgement under a fixed arrival rate (open loop: each request is
 * sent at its scheduled time whatever the earlier ones are doing, and latency is
 * measured from that time, so a stall cannot hide itself).
 */
import crypto from "node:crypto";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import Database from "better-sqlite3";
import { DEV_APP, freePort, migrateDatabase, startAppServer } from "../support/processes";
import { summarize, fmt } from "./stats";

export interface WebhookAckOptions {
  /** Where jobs run: in the web server process (the default deployment) or in `npm run worker`. */
  worker: "in-process" | "separate";
  rate: number; // deliveries per second
  seconds: number;
  duplicateShare: number; // share of deliveries that repeat an earlier event id
  /** PostgreSQL (BENCH_POSTGRES_URL) with this many app processes taking turns, as behind a load balancer; default SQLite, one. */
  postgres?: { apps: number };
}

// Recorded and acknowledged at once; its effect (the shop's scopes, newest wins) runs as a job.
const BENCH_TOPIC = "app/scopes_update";

interface Delivery {
  eventId: string;
  body: string;
}

function sign(body: string, secret: string) {
  return crypto.createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

async function fire(
  agent: http.Agent,
  url: URL,
  delivery: Delivery,
  secret: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        hostname: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "Content-Length": Buffer.byteLength(delivery.body),
          "X-Shopify-Topic": BENCH_TOPIC,
          "X-Shopify-Hmac-Sha256": sign(delivery.body, secret),
          "X-Shopify-Shop-Domain": "bench-shop.myshopify.com",
          "X-Shopify-API-Version": "2026-10",
          "X-Shopify-Webhook-Id": crypto.randomUUID(),
          "X-Shopify-Event-Id": delivery.eventId,
          "X-Shopify-Triggered-At": new Date().toISOString(),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(delivery.body);
  });
}

function plan(options: WebhookAckOptions): Delivery[] {
  const total = Math.round(options.rate * options.seconds);
  const deliveries: Delivery[] = [];
  for (let i = 0; i < total; i++) {
    if (deliveries.length > 10 && Math.random() < options.duplicateShare) {
      // Shopify retries carry the original payload and event id.
      deliveries.push(deliveries[Math.floor(Math.random() * deliveries.length)]);
      continue;
    }
    const eventId = crypto.randomUUID();
    const body = JSON.stringify({
      id: i,
      previous: ["read_orders"],
      current: ["read_orders", "read_customers"],
      updated_at: new Date().toISOString(),
    });
    deliveries.push({ eventId, body });
  }
  return deliveries;
}

async function drive(target: URL | URL[], deliveries: Delivery[], rate: number, secret: string) {
  const urls = Array.isArray(target) ? target : [target];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let errors = 0;
  const start = performance.now() + 50;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < deliveries.length; i++) {
    const scheduled = start + (i * 1000) / rate;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    // From the scheduled time when running late (a stall must show), from the send when early.
    const from = Math.min(scheduled, performance.now());
    pending.push(
      fire(agent, urls[i % urls.length], deliveries[i], secret).then(
        (status) => {
          latencies.push(performance.now() - from);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        },
        () => {
          errors += 1;
        },
      ),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  return { latencies, statuses, errors };
}

type CountRow = { n: number; eventId?: string };

/** Reads counts from the bench's database, either engine (SQL in PostgreSQL's quoting, which SQLite takes too). */
async function counter(databaseUrl: string): Promise<((sql: string) => Promise<CountRow[]>) & { close(): Promise<void> }> {
  if (databaseUrl.startsWith("file:")) {
    const db = new Database(databaseUrl.slice("file:".length), { readonly: true, fileMustExist: true });
    return Object.assign(async (sql: string) => db.prepare(sql).all() as CountRow[], { close: async () => void db.close() });
  }
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return Object.assign(
    async (sql: string) => (await client.query(sql)).rows.map((r) => ({ ...r, n: Number(r.n) })) as CountRow[],
    { close: () => client.end() },
  );
}

/** The same load against a bare HTTP server that only reads the body and answers 200: the machine's floor. */
async function baseline(deliveries: Delivery[], rate: number, secret: string) {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  const result = await drive(new URL(`http://127.0.0.1:${port}/webhooks`), deliveries, rate, secret);
  await new Promise((r) => server.close(r));
  return result;
}

export async function benchWebhookAck(options: WebhookAckOptions) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "support-desk-bench-"));
  let databaseUrl = `file:${path.join(dir, "bench.sqlite")}`;
  let dropDatabase = async () => undefined as void;
  if (options.postgres) {
    const { BENCH_POSTGRES_URL, benchPostgresDatabase } = await import("./postgres");
    if (!BENCH_POSTGRES_URL) return { report: () => "webhook-ack-postgres: skipped (set BENCH_POSTGRES_URL to a PostgreSQL server)" };
    const database = await benchPostgresDatabase("ack");
    databaseUrl = database.url;
    dropDatabase = database.drop;
  } else {
    await migrateDatabase(databaseUrl);
  }
  const engine = options.postgres ? "PostgreSQL" : "SQLite";
  const serverOptions = {
    databaseUrl,
    adminOrigin: "http://127.0.0.1:9", // webhooks never call Shopify
    appBridgeUrl: "http://127.0.0.1:9/cdn/app-bridge.js",
    scopes: "read_orders",
  };
  const separate = options.worker === "separate";
  const extraEnv = process.env.BENCH_APP_ENV ? Object.fromEntries(process.env.BENCH_APP_ENV.split(",").map((kv) => kv.split("="))) : {};
  const appCount = options.postgres?.apps ?? 1;
  const apps = await Promise.all(
    Array.from({ length: appCount }, async () =>
      startAppServer({ ...serverOptions, port: await freePort(), env: separate ? { JOB_WORKER: "off", ...extraEnv } : extraEnv }),
    ),
  );
  // On PostgreSQL the worker runs jobs side by side (JOB_CONCURRENCY; SQLite has one writer anyway).
  const workerEnv = options.postgres ? { JOB_CONCURRENCY: process.env.BENCH_JOB_CONCURRENCY ?? "16" } : {};
  const worker = separate ? await startAppServer({ ...serverOptions, port: await freePort(), script: "worker.mjs", env: workerEnv }) : undefined;
  const targets = apps.map((app) => new URL(`${app.url}/webhooks`));
  const count = await counter(databaseUrl);
  try {
    const deliveries = plan(options);
    const unique = new Set(deliveries.map((d) => d.eventId)).size;
    const floor = await baseline(deliveries, options.rate, DEV_APP.apiSecret);
    // Warm the app's code paths before measuring.
    const warmup = plan({ ...options, seconds: 1 });
    const warmupUnique = new Set(warmup.map((d) => d.eventId)).size;
    await drive(targets, warmup, options.rate, DEV_APP.apiSecret);
    const measured = await drive(targets, deliveries, options.rate, DEV_APP.apiSecret);

    // Every effect done: each unique event processed by exactly one job.
    const drainStart = performance.now();
    const outstanding = async () => (await count(`SELECT COUNT(*) AS n FROM "WebhookEvent" WHERE status != 'processed'`))[0]?.n ?? 0;
    while ((await outstanding()) > 0 && performance.now() - drainStart < 60_000) await new Promise((r) => setTimeout(r, 100));
    const drainMs = performance.now() - drainStart;
    const unprocessed = await outstanding();
    const jobsPerEvent = await count(`SELECT COUNT(*) AS n FROM "Job" j JOIN "WebhookEvent" e ON j."key" = e."id" GROUP BY e."id" HAVING COUNT(*) > 1`);
    const ids = deliveries.map((d) => d.eventId);
    const stored = new Set<string>();
    const rows = await count(`SELECT "eventId", COUNT(*) AS n FROM "WebhookEvent" GROUP BY "eventId"`);
    let duplicateRows = jobsPerEvent.reduce((sum, row) => sum + row.n - 1, 0);
    for (const row of rows) {
      stored.add(row.eventId!);
      if (row.n > 1) duplicateRows += row.n - 1;
    }
    const lost = new Set(ids.filter((id) => !stored.has(id))).size;

    // Figures are not judged, but a run that loses, repeats or leaves events undone is broken.
    const non200 = [...measured.statuses].filter(([status]) => status !== 200);
    if (lost > 0 || duplicateRows > 0 || unprocessed > 0 || non200.length > 0) {
      throw new Error(
        `webhook pipeline broken: lost ${lost}, duplicate effects ${duplicateRows}, unprocessed after ${(drainMs / 1000).toFixed(0)} s ${unprocessed}, ` +
          `statuses ${JSON.stringify(Object.fromEntries(measured.statuses))}`,
      );
    }
    const app_ = summarize(measured.latencies);
    const base = summarize(floor.latencies);
    return {
      name: `webhook acknowledgement (${options.worker} worker)`,
      deliveries: deliveries.length,
      uniqueEvents: unique,
      duplicates: deliveries.length - unique,
      rate: options.rate,
      statuses: Object.fromEntries(measured.statuses),
      errors: measured.errors,
      lost,
      duplicateEffects: duplicateRows,
      app: app_,
      baseline: base,
      p99Ratio: app_.p99 / base.p99,
      report() {
        return [
          `webhook acknowledgement, ${appCount > 1 ? `${appCount} app processes taking turns, ` : ""}jobs ${separate ? "in a separate worker process" : "in the server process"} — ${deliveries.length} deliveries at ${options.rate}/s (${deliveries.length - unique} duplicates), HMAC checked, written to ${engine} before 200`,
          `  app:      p50 ${fmt(app_.p50)}  p95 ${fmt(app_.p95)}  p99 ${fmt(app_.p99)}  max ${fmt(app_.max)}`,
          `  baseline: p50 ${fmt(base.p50)}  p95 ${fmt(base.p95)}  p99 ${fmt(base.p99)}  (bare node:http 200, same load, same run)`,
          `  p99 ratio app/baseline: ${(app_.p99 / base.p99).toFixed(1)}×   target p99 < 50 ms: ${app_.p99 < 50 ? "met" : "NOT met"}`,
          `  statuses ${JSON.stringify(Object.fromEntries(measured.statuses))}, transport errors ${measured.errors}, lost ${lost}, duplicate effects ${duplicateRows}`,
          `  effects: all ${unique + warmupUnique} events processed ${unprocessed === 0 ? "" : `except ${unprocessed} `}within ${(drainMs / 1000).toFixed(1)} s after the last acknowledgement (one job each)`,
        ].join("\n");
      },
    };
  } finally {
    await count.close();
    await worker?.stop();
    await Promise.all(apps.map((app) => app.stop()));
    await dropDatabase();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
