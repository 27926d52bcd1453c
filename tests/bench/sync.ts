/**
 * Sync benchmarks, in one process with the emulator and a fresh SQLite file:
 *
 * - bulk ingest: the emulator exports N customers and M orders as JSONL (bulk operations, as
 *   Shopify does); the app's own ingest (download stream → parse → map → upsert in batches,
 *   one transaction each) is timed against a raw batched INSERT of the same rows into the same
 *   tables of the same database (rows parsed beforehand, no conflict handling): the ratio of the
 *   two rates is the figure. Peak heap and RSS growth during the ingest show it streams.
 * - bulk ingest on PostgreSQL: the same ingest against PostgreSQL's own bulk rate on the same database
 *   (pg alone: COPY through a temporary table, or one unnest upsert per 2,000 rows; the faster).
 * - paged sync under throttling: a reconciliation pass from scratch against a small bucket;
 *   the share of the restore rate it used, and its failed requests (must be zero).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import v8 from "node:v8";
import vm from "node:vm";
import Database from "better-sqlite3";
import pg from "pg";
import { DEV_APP, migrateDatabase } from "../support/processes";
import { startEmulator, type Emulator } from "../emulator/index";
import { createStore } from "../emulator/store/index";

const SHOP = "bench-sync.myshopify.com";
const BASELINE_SHOP = "bench-baseline.myshopify.com";
const ENGINE_SHOP = "bench-engine.myshopify.com";

interface BulkOperation {
  id: string;
  status: string;
  url: string | null;
  objectCount: string;
  fileSize: string | null;
}

type AppModules = {
  client: typeof import("../../app/shopify/admin-client.server");
  documents: typeof import("../../app/shopify/sync-documents");
  bulk: typeof import("../../app/services/sync/bulk.server");
  reconcile: typeof import("../../app/services/sync/reconcile.server");
  records: typeof import("../../app/services/sync/records");
  jsonl: typeof import("../../app/services/sync/jsonl");
  prisma: (typeof import("../../app/db.server"))["default"];
  Prisma: typeof import("@prisma/client")["Prisma"];
};

let loadedWith: string | undefined;

async function loadApp(databaseUrl: string, emulatorUrl: string): Promise<AppModules> {
  // db.server reads DATABASE_URL on import and keeps its client: one database per process.
  if (loadedWith !== undefined && loadedWith !== databaseUrl) {
    throw new Error(`the app's modules are bound to ${loadedWith} already: run one sync case per process (run.ts does)`);
  }
  loadedWith = databaseUrl;
  // The admin-origin seam reads SHOPIFY_ADMIN_ORIGIN per call.
  process.env.DATABASE_URL = databaseUrl;
  process.env.SHOPIFY_ADMIN_ORIGIN = emulatorUrl;
  Object.assign(process.env, { SHOPIFY_API_KEY: DEV_APP.apiKey, SHOPIFY_API_SECRET: DEV_APP.apiSecret, SHOPIFY_APP_URL: "http://127.0.0.1:9" });
  return {
    client: await import("../../app/shopify/admin-client.server"),
    documents: await import("../../app/shopify/sync-documents"),
    bulk: await import("../../app/services/sync/bulk.server"),
    reconcile: await import("../../app/services/sync/reconcile.server"),
    records: await import("../../app/services/sync/records"),
    jsonl: await import("../../app/services/sync/jsonl"),
    prisma: (await import("../../app/db.server")).default,
    Prisma: (await import("@prisma/client")).Prisma,
  };
}

async function exportAll(app: AppModules, emulator: Emulator, query: string): Promise<BulkOperation> {
  const client = app.client.createAdminClient({ shop: SHOP, accessToken: emulator.accessTokenFor(SHOP) });
  const started = await client.request<{ bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: { message: string }[] } }>(
    app.documents.BULK_RUN_QUERY_MUTATION,
    { query },
  );
  const op = started.bulkOperationRunQuery.bulkOperation;
  if (!op) throw new Error(`bulk operation refused: ${JSON.stringify(started.bulkOperationRunQuery.userErrors)}`);
  for (;;) {
    const { bulkOperation } = await client.request<{ bulkOperation: BulkOperation }>(app.documents.BULK_OPERATION_QUERY, { id: op.id });
    if (bulkOperation.status === "COMPLETED") return bulkOperation;
    if (bulkOperation.status !== "CREATED" && bulkOperation.status !== "RUNNING") throw new Error(`bulk operation ${bulkOperation.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Rows of every table, parsed from the export once, for the raw-insert baseline. */
async function parseRows(app: AppModules, url: string) {
  const tables: Record<string, Record<string, unknown>[]> = { Customer: [], Order: [], OrderLineItem: [], FulfillmentOrder: [], Fulfillment: [] };
  const response = await fetch(url);
  for await (const line of app.jsonl.readJsonLines(response.body!)) {
    const parent = typeof line.__parentId === "string" ? line.__parentId : "";
    switch (app.jsonl.gidType(line.id)) {
      case "Customer":
        tables.Customer.push({ ...app.records.customerFromGraphql(line) });
        break;
      case "Order": {
        const order = app.records.orderFromGraphql(line);
        tables.Order.push({ ...order });
        for (const f of (line.fulfillments as Record<string, unknown>[]) ?? []) tables.Fulfillment.push({ ...app.records.fulfillmentFromGraphql(f, order.shopifyId) });
        break;
      }
      case "LineItem":
        tables.OrderLineItem.push({ ...app.records.lineItemFromGraphql(line, parent) });
        break;
      case "FulfillmentOrder":
        tables.FulfillmentOrder.push({ ...app.records.fulfillmentOrderFromGraphql(line, parent) });
        break;
    }
  }
  return tables;
}

/**
 * The baseline: the engine's own bulk rate. better-sqlite3 with one prepared upsert per table
 * (the same conflict target as the app's), run row by row, one transaction per 2,000 rows, values
 * bound as Prisma's adapter stores them; no Prisma in the way.
 */
function engineUpserts(databaseUrl: string, tables: Record<string, Record<string, unknown>[]>): { rows: number; ms: number } {
  const db = new Database(databaseUrl.replace(/^file:/, ""));
  db.pragma("busy_timeout = 5000");
  const bind = (v: unknown) => (v === undefined ? null : v instanceof Date ? v.toISOString().replace("Z", "+00:00") : typeof v === "boolean" ? Number(v) : v);
  let rows = 0;
  const started = performance.now();
  for (const [table, list] of Object.entries(tables)) {
    if (list.length === 0) continue;
    const columns = Object.keys(list[0]);
    const statement = db.prepare(
      `INSERT INTO "${table}" ("id", "shop", ${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${["?", "?", ...columns.map(() => "?")].join(", ")})` +
        ` ON CONFLICT ("shop", "shopifyId") DO UPDATE SET ${columns.map((c) => `"${c}" = excluded."${c}"`).join(", ")}`,
    );
    const batch = db.transaction((chunk: Record<string, unknown>[]) => {
      for (const row of chunk) statement.run(crypto.randomUUID(), ENGINE_SHOP, ...columns.map((c) => bind(row[c])));
    });
    for (let start = 0; start < list.length; start += 2000) {
      const chunk = list.slice(start, start + 2000);
      batch(chunk);
      rows += chunk.length;
    }
  }
  const ms = performance.now() - started;
  db.close();
  return { rows, ms };
}

/** For comparison: plain multi-row INSERTs through Prisma, same batch sizes, one transaction per 2,000 rows. */
async function rawInsert(app: AppModules, tables: Record<string, Record<string, unknown>[]>): Promise<{ rows: number; ms: number }> {
  const { prisma, Prisma } = app;
  let rows = 0;
  const started = performance.now();
  for (const [table, list] of Object.entries(tables)) {
    if (list.length === 0) continue;
    const columns = Object.keys(list[0]);
    const head = Prisma.raw(`INSERT INTO "${table}" ("id", "shop", ${columns.map((c) => `"${c}"`).join(", ")}) VALUES `);
    for (let start = 0; start < list.length; start += 2000) {
      const chunk = list.slice(start, start + 2000);
      await prisma.$transaction(async (tx) => {
        for (let i = 0; i < chunk.length; i += 400) {
          const values = chunk
            .slice(i, i + 400)
            .map((row) => Prisma.sql`(${Prisma.join([crypto.randomUUID(), BASELINE_SHOP, ...columns.map((c) => row[c] ?? null)])})`);
          await tx.$executeRaw`${head}${Prisma.join(values)}`;
        }
      });
      rows += chunk.length;
    }
  }
  return { rows, ms: performance.now() - started };
}

async function tableRows(app: AppModules, shop: string) {
  const counts = await Promise.all([
    app.prisma.customer.count({ where: { shop } }),
    app.prisma.order.count({ where: { shop } }),
    app.prisma.orderLineItem.count({ where: { shop } }),
    app.prisma.fulfillmentOrder.count({ where: { shop } }),
    app.prisma.fulfillment.count({ where: { shop } }),
  ]);
  return counts.reduce((a, b) => a + b, 0);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * The app's ingest of the exports, with memory sampled while it runs. Heap growth alone says little
 * (the collector runs when it likes), so every 5 batches (10,000 lines) a full collection measures
 * what the ingest actually keeps; those pauses are left out of its time.
 */
async function measuredIngest(app: AppModules, ops: BulkOperation[]) {
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  gc();
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  let retainedMax = 0;
  let gcMs = 0;
  let batches = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 20);
  const onBatch = async () => {
    if (++batches % 5 !== 0) return;
    const t = performance.now();
    gc();
    retainedMax = Math.max(retainedMax, process.memoryUsage().heapUsed - before.heapUsed);
    gcMs += performance.now() - t;
  };
  const ingestStarted = performance.now();
  for (const op of ops) await app.bulk.ingestBulkResult(SHOP, op.url!, onBatch);
  const ms = performance.now() - ingestStarted - gcMs;
  clearInterval(sampler);
  return { ms, memory: { retainedMax, samples: Math.floor(batches / 5), peakHeap: peakHeap - before.heapUsed, peakRss: peakRss - before.rss } };
}

const memoryLine = (fileBytes: number, m: { retainedMax: number; samples: number; peakHeap: number; peakRss: number }) =>
  `  memory during ingest, for ${mb(fileBytes)} of JSONL: live heap after a full collection at most +${mb(m.retainedMax)} (sampled ${m.samples} times); ` +
  `heap before collection up to +${mb(m.peakHeap)}, RSS up to +${mb(m.peakRss)} (the emulator's store shares this process)`;

export async function benchBulkIngest(opts: { customers: number; orders: number }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "support-desk-bench-sync-"));
  const databaseUrl = `file:${path.join(dir, "bench.sqlite")}`;
  await migrateDatabase(databaseUrl);
  const seedStarted = performance.now();
  const store = createStore({ shops: [SHOP], customersPerShop: opts.customers, ordersPerShop: opts.orders });
  const seedMs = performance.now() - seedStarted;
  const emulator = await startEmulator({ ...DEV_APP, appUrl: "http://127.0.0.1:9", store });
  try {
    const app = await loadApp(databaseUrl, emulator.url);
    const exportStarted = performance.now();
    const customersOp = await exportAll(app, emulator, app.documents.BULK_CUSTOMERS_QUERY);
    const ordersOp = await exportAll(app, emulator, app.documents.BULK_ORDERS_QUERY);
    const exportMs = performance.now() - exportStarted;
    const fileBytes = Number(customersOp.fileSize ?? 0) + Number(ordersOp.fileSize ?? 0);

    const ingest = await measuredIngest(app, [customersOp, ordersOp]);
    const ingestedRows = await tableRows(app, SHOP);

    const parseStarted = performance.now();
    const tables = { ...(await parseRows(app, customersOp.url!)) };
    const orderTables = await parseRows(app, ordersOp.url!);
    const parseMs = performance.now() - parseStarted;
    for (const key of Object.keys(orderTables)) tables[key] = [...tables[key], ...orderTables[key]];
    const engine = engineUpserts(databaseUrl, tables);
    const baseline = await rawInsert(app, tables);
    await app.prisma.$disconnect();

    const ingestMs = ingest.ms;
    const ingestRate = ingestedRows / (ingestMs / 1000);
    const engineRate = engine.rows / (engine.ms / 1000);
    const rawRate = baseline.rows / (baseline.ms / 1000);
    return {
      report: () =>
        [
          `bulk sync ingest (${opts.customers.toLocaleString("en")} customers, ${opts.orders.toLocaleString("en")} orders → ${ingestedRows.toLocaleString("en")} rows; ` +
            `JSONL ${mb(fileBytes)}; store seeded in ${(seedMs / 1000).toFixed(1)} s, exported in ${(exportMs / 1000).toFixed(1)} s)`,
          `  app ingest:       ${Math.round(ingestRate).toLocaleString("en")} rows/s (${(ingestMs / 1000).toFixed(1)} s, stream → parse → upsert, newest wins)`,
          `  of which download, parse and mapping alone (no writes): ${(parseMs / 1000).toFixed(1)} s`,
          `  engine (baseline, same database): ${Math.round(engineRate).toLocaleString("en")} rows/s (${(engine.ms / 1000).toFixed(1)} s; better-sqlite3, prepared upserts, 2,000 rows a transaction)`,
          `  ratio: ${((ingestRate / engineRate) * 100).toFixed(0)}% of the engine's own bulk rate (target ≥ 50%)`,
          `  for comparison, multi-row INSERTs through Prisma: ${Math.round(rawRate).toLocaleString("en")} rows/s (the app at ${((ingestRate / rawRate) * 100).toFixed(0)}% of it)`,
          memoryLine(fileBytes, ingest.memory),
        ].join("\n"),
    };
  } finally {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A value in COPY's text format: `\N` for null, times in UTC, the format's escapes. */
function copyText(value: unknown): string {
  if (value === null || value === undefined) return "\\N";
  const text = value instanceof Date ? value.toISOString() : typeof value === "boolean" ? (value ? "t" : "f") : String(value);
  return text.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"));
}

/** `COPY … FROM STDIN` with the whole data in one go (pg's client runs any object that can submit itself). */
function copyFrom(client: pg.PoolClient, sql: string, data: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let failure: Error | undefined;
    const copy = {
      submit: (connection: { query(text: string): void }) => connection.query(sql),
      handleCopyInResponse: (connection: { sendCopyFromChunk(chunk: Buffer): void; endCopyFrom(): void }) => {
        connection.sendCopyFromChunk(Buffer.from(data));
        connection.endCopyFrom();
      },
      handleCommandComplete: () => undefined,
      handleError: (error: Error) => (failure = error),
      handleReadyForQuery: () => (failure ? reject(failure) : resolve()),
    };
    void client.query(copy as unknown as pg.QueryConfig);
  });
}

/**
 * PostgreSQL's own bulk rate, two ways on pg alone, 2,000 rows a transaction, the same conflict target
 * and update as the SQLite baseline: `COPY` into a temporary table, then one `INSERT … SELECT … ON
 * CONFLICT DO UPDATE`; or one `INSERT … SELECT * FROM unnest($1::type[], …) ON CONFLICT DO UPDATE`.
 */
async function postgresEngineUpserts(url: string, tables: Record<string, Record<string, unknown>[]>, way: "copy" | "unnest", shop: string) {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const client = await pool.connect();
  let rows = 0;
  try {
    const started = performance.now();
    for (const [table, list] of Object.entries(tables)) {
      if (list.length === 0) continue;
      const columns = ["id", "shop", ...Object.keys(list[0])];
      const names = columns.map((c) => `"${c}"`).join(", ");
      const conflict = ` ON CONFLICT ("shop", "shopifyId") DO UPDATE SET ${columns
        .slice(2)
        .map((c) => `"${c}" = excluded."${c}"`)
        .join(", ")}`;
      const types = await client.query<{ name: string; type: string }>(
        `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0`,
        [`"${table}"`],
      );
      const typeOf = new Map(types.rows.map((r) => [r.name, r.type]));
      const stage = `stage_${table.toLowerCase()}`;
      if (way === "copy") await client.query(`CREATE TEMP TABLE ${stage} (LIKE "${table}" INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`);
      for (let start = 0; start < list.length; start += 2000) {
        const chunk = list.slice(start, start + 2000);
        const tuples = chunk.map((row) => [crypto.randomUUID(), shop, ...columns.slice(2).map((c) => row[c] ?? null)]);
        await client.query("BEGIN");
        if (way === "copy") {
          await copyFrom(client, `COPY ${stage} (${names}) FROM STDIN`, tuples.map((t) => t.map(copyText).join("\t") + "\n").join(""));
          await client.query(`INSERT INTO "${table}" (${names}) SELECT ${names} FROM ${stage}${conflict}`);
        } else {
          const casts = columns.map((c, i) => `$${i + 1}::${typeOf.get(c)}[]`).join(", ");
          const arrays = columns.map((_, i) => tuples.map((t) => (t[i] instanceof Date ? (t[i] as Date).toISOString() : t[i])));
          await client.query(`INSERT INTO "${table}" (${names}) SELECT * FROM unnest(${casts})${conflict}`, arrays);
        }
        await client.query("COMMIT");
        rows += chunk.length;
      }
    }
    return { rows, ms: performance.now() - started };
  } finally {
    client.release();
    await pool.end();
  }
}

/**
 * The same ingest on PostgreSQL (BENCH_POSTGRES_URL), against PostgreSQL's own bulk rate measured
 * in the same run on the same database: the faster of COPY and unnest (postgresEngineUpserts).
 */
export async function benchBulkIngestPostgres(opts: { customers: number; orders: number }) {
  const { BENCH_POSTGRES_URL, benchPostgresDatabase } = await import("./postgres");
  if (!BENCH_POSTGRES_URL) return { report: () => "bulk-ingest-postgres: skipped (set BENCH_POSTGRES_URL to a PostgreSQL server)" };
  const database = await benchPostgresDatabase("ingest");
  const store = createStore({ shops: [SHOP], customersPerShop: opts.customers, ordersPerShop: opts.orders });
  const emulator = await startEmulator({ ...DEV_APP, appUrl: "http://127.0.0.1:9", store });
  try {
    const app = await loadApp(database.url, emulator.url);
    const customersOp = await exportAll(app, emulator, app.documents.BULK_CUSTOMERS_QUERY);
    const ordersOp = await exportAll(app, emulator, app.documents.BULK_ORDERS_QUERY);
    const fileBytes = Number(customersOp.fileSize ?? 0) + Number(ordersOp.fileSize ?? 0);

    const ingest = await measuredIngest(app, [customersOp, ordersOp]);
    const ingestedRows = await tableRows(app, SHOP);

    const tables = { ...(await parseRows(app, customersOp.url!)) };
    const orderTables = await parseRows(app, ordersOp.url!);
    for (const key of Object.keys(orderTables)) tables[key] = [...tables[key], ...orderTables[key]];
    const copy = await postgresEngineUpserts(database.url, tables, "copy", ENGINE_SHOP);
    const unnest = await postgresEngineUpserts(database.url, tables, "unnest", BASELINE_SHOP);
    await app.prisma.$disconnect();

    const rate = (r: { rows: number; ms: number }) => r.rows / (r.ms / 1000);
    const ingestRate = ingestedRows / (ingest.ms / 1000);
    const engine = rate(copy) >= rate(unnest) ? { name: "COPY into a temporary table, then INSERT … SELECT … ON CONFLICT", ...copy } : { name: "INSERT … SELECT * FROM unnest(…) ON CONFLICT", ...unnest };
    const rows = (r: number) => `${Math.round(r).toLocaleString("en")} rows/s`;
    return {
      report: () =>
        [
          `bulk sync ingest on PostgreSQL (${opts.customers.toLocaleString("en")} customers, ${opts.orders.toLocaleString("en")} orders → ${ingestedRows.toLocaleString("en")} rows; JSONL ${mb(fileBytes)})`,
          `  app ingest:       ${rows(ingestRate)} (${(ingest.ms / 1000).toFixed(1)} s, stream → parse → upsert, newest wins)`,
          `  engine (baseline, same database, pg alone, 2,000 rows a transaction): COPY ${rows(rate(copy))}, unnest ${rows(rate(unnest))}; the faster is ${engine.name}`,
          `  ratio: ${((ingestRate / rate(engine)) * 100).toFixed(0)}% of the engine's own bulk rate (target ≥ 50%)`,
          memoryLine(fileBytes, ingest.memory),
        ].join("\n"),
    };
  } finally {
    await emulator.close();
    await database.drop();
  }
}

export async function benchPagedSync(opts: { customers: number; orders: number; bucketSize: number; restoreRate: number }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "support-desk-bench-paged-"));
  const databaseUrl = `file:${path.join(dir, "bench.sqlite")}`;
  await migrateDatabase(databaseUrl);
  const store = createStore({ shops: [SHOP], customersPerShop: opts.customers, ordersPerShop: opts.orders });
  const emulator = await startEmulator({ ...DEV_APP, appUrl: "http://127.0.0.1:9", store, bucketSize: opts.bucketSize, restoreRate: opts.restoreRate });
  try {
    const app = await loadApp(databaseUrl, emulator.url);
    const client = app.client.createAdminClient({ shop: SHOP, accessToken: emulator.accessTokenFor(SHOP) });
    const started = performance.now();
    let failed = 0;
    const result = await app.reconcile.reconcileShop(SHOP, client).catch((error) => {
      failed++;
      throw error;
    });
    const seconds = (performance.now() - started) / 1000;
    await app.prisma.$disconnect();
    // The bucket starts full: what it held at the start is a gift, not restore rate.
    const restored = Math.max(0, client.stats.actualCost - opts.bucketSize);
    const share = restored / (seconds * opts.restoreRate);
    return {
      report: () =>
        [
          `paged sync under throttling (${result.customers.toLocaleString("en")} customers, ${result.orders.toLocaleString("en")} orders; bucket ${opts.bucketSize}, restore ${opts.restoreRate}/s)`,
          `  ${result.requests} requests in ${seconds.toFixed(1)} s, ${client.stats.actualCost.toLocaleString("en")} points spent; waited ${(client.stats.waitedMs / 1000).toFixed(1)} s for the bucket`,
          `  restore rate used: ${(share * 100).toFixed(1)}% (target ≥ 90%); THROTTLED answers ${client.stats.throttled} (retried); failed requests ${failed}`,
        ].join("\n"),
    };
  } finally {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
