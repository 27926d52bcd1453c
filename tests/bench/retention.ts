/**
 * Retention: twice over, `webhooks` processed deliveries (1.5 KB payloads), their succeeded jobs,
 * help visits and searches, all older than their windows, are pruned by the app's own pass
 * (app/services/retention) in its batches. Reported: rows a second, the longest single batch (how
 * long a webhook could wait behind it for SQLite's writer) and the database's size after each
 * round, which stays flat: what one round deletes, the next reuses. Also the storefront rate
 * limit's cost per proxy request (one upsert of the request's buckets) against a primary-key read.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import { DEV_APP, migrateDatabase } from "../support/processes";
import { fmt, summarize } from "./stats";

const SHOP = "bench-retention.myshopify.com";
const DAY = 86_400_000;
const CHUNK = 1_000;

export async function benchRetention(opts: { webhooks: number; rateLimitRequests: number }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "support-desk-bench-retention-"));
  const dbFile = path.join(dir, "bench.sqlite");
  const databaseUrl = `file:${dbFile}`;
  await migrateDatabase(databaseUrl);
  // db.server reads DATABASE_URL on import and keeps its client: one database per process.
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    SHOPIFY_API_KEY: DEV_APP.apiKey,
    SHOPIFY_API_SECRET: DEV_APP.apiSecret,
    SHOPIFY_APP_URL: "http://127.0.0.1:9",
  });
  const prisma = (await import("../../app/db.server")).default;
  const retention = await import("../../app/services/retention/retention.server");
  const { takeTokens } = await import("../../app/models/rate-limit.server");
  try {
    await prisma.shop.create({ data: { shop: SHOP, name: "Bench", ianaTimezone: "Europe/Tallinn" } });
    const policy = retention.retentionPolicy();
    const payload = JSON.stringify({ id: 1, email: "shopper@example.com", note: "x".repeat(1_400) });

    /** Deliveries and jobs, plus a visit and a search for every tenth delivery of each chunk. */
    const seededRows = (n: number) => {
      let rows = 2 * n;
      for (let start = 0; start < n; start += CHUNK) rows += 2 * Math.ceil(Math.min(CHUNK, n - start) / 10);
      return rows;
    };

    /** Writes one round of old rows: deliveries and their jobs, visits and searches, by createMany. */
    async function seedRound(round: number) {
      const old = new Date(Date.now() - 120 * DAY);
      for (let start = 0; start < opts.webhooks; start += CHUNK) {
        const n = Math.min(CHUNK, opts.webhooks - start);
        const ids = Array.from({ length: n }, () => crypto.randomUUID());
        await prisma.webhookEvent.createMany({
          data: ids.map((id, i) => ({
            id,
            shop: SHOP,
            topic: "customers/update",
            eventId: `r${round}-${start + i}`,
            payload,
            status: "processed",
            receivedAt: old,
            processedAt: old,
          })),
        });
        await prisma.job.createMany({
          data: ids.map((id) => ({
            shop: SHOP,
            kind: "webhook.process",
            key: id,
            payload: JSON.stringify({ webhookEventId: id }),
            status: "succeeded",
            maxAttempts: 8,
            runAt: old,
            updatedAt: old,
            finishedAt: old,
          })),
        });
        const tenth = Math.ceil(n / 10);
        await prisma.helpVisit.createMany({
          data: Array.from({ length: tenth }, (_, i) => ({
            shop: SHOP,
            visitId: `r${round}-${start + i}`,
            locale: "en",
            startedAt: old,
            contacted: i % 5 === 0,
          })),
        });
        await prisma.faqSearch.createMany({
          data: Array.from({ length: tenth }, (_, i) => ({
            shop: SHOP,
            locale: "en",
            query: `q r${round} ${start + i}`,
            sample: "q",
            searches: 1,
            lastSearchedAt: old,
          })),
        });
      }
      return seededRows(opts.webhooks);
    }

    const sqliteBytes = async () => {
      const [pages] = await prisma.$queryRawUnsafe<{ n: number | bigint }[]>(
        `SELECT page_count AS n FROM pragma_page_count`
      );
      const [free] = await prisma.$queryRawUnsafe<{ n: number | bigint }[]>(
        `SELECT freelist_count AS n FROM pragma_freelist_count`
      );
      const [size] = await prisma.$queryRawUnsafe<{ n: number | bigint }[]>(
        `SELECT page_size AS n FROM pragma_page_size`
      );
      const pageSize = Number(size.n);
      return { file: Number(pages.n) * pageSize, used: (Number(pages.n) - Number(free.n)) * pageSize };
    };
    const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

    const empty = await sqliteBytes();
    const rounds: {
      rows: number;
      seconds: number;
      batches: number[];
      afterSeed: { file: number; used: number };
      afterPrune: { file: number; used: number };
    }[] = [];
    for (let round = 0; round < 2; round++) {
      const rows = await seedRound(round);
      const afterSeed = await sqliteBytes();
      const batches: number[] = [];
      const stop = retention.onRetentionBatch((batch) => batches.push(batch.ms));
      const started = performance.now();
      let deleted = 0;
      // A backlog takes more than one pass (each does at most 100 batches of a kind), as the job's follow-ups do.
      for (let more = true; more; ) {
        const pass = await retention.pruneShop(SHOP, policy);
        deleted += Object.values(pass.done).reduce((a, b) => a + b, 0);
        more = pass.more;
      }
      const seconds = (performance.now() - started) / 1000;
      stop();
      if (deleted !== rows) throw new Error(`round ${round + 1}: pruned ${deleted} rows of ${rows}`);
      // The WAL is folded back into the file, as SQLite does on its own at checkpoints.
      await prisma.$queryRawUnsafe(`PRAGMA wal_checkpoint(TRUNCATE)`);
      rounds.push({ rows, seconds, batches, afterSeed, afterPrune: await sqliteBytes() });
    }
    const remaining = await prisma.webhookEvent.count({ where: { shop: SHOP } });
    if (remaining !== 0) throw new Error(`${remaining} deliveries left after retention`);

    // The rate limit on a proxy request: one upsert of its buckets (shopper address, customer, the shop's ceiling).
    const limit = { capacity: 60, refillPerMinute: 60 };
    const limited: number[] = [];
    const read: number[] = [];
    for (let i = 0; i < opts.rateLimitRequests; i++) {
      let started = performance.now();
      await takeTokens(
        SHOP,
        [
          { key: `ip-${i % 500}`, ...limit },
          { key: `customer-${i % 200}`, ...limit },
          { key: "*", capacity: 3_000, refillPerMinute: 3_000 },
        ],
        Date.now()
      );
      limited.push(performance.now() - started);
      started = performance.now();
      await prisma.shop.findUnique({ where: { shop: SHOP }, select: { shop: true } });
      read.push(performance.now() - started);
    }
    const rl = summarize(limited);
    const pk = summarize(read);

    return {
      report: () =>
        [
          `retention (${opts.webhooks.toLocaleString("en")} old processed webhooks + their jobs + ${(
            opts.webhooks / 10
          ).toLocaleString("en")} visits and searches a round; batches of up to ${
            policy.batchSize
          } rows, halved while one takes over ${policy.batchMs} ms; SQLite)`,
          ...rounds.map((r, i) => {
            const b = summarize(r.batches);
            return (
              `  round ${i + 1}: ${r.rows.toLocaleString("en")} rows pruned in ${r.seconds.toFixed(1)} s = ${Math.round(
                r.rows / r.seconds
              ).toLocaleString("en")} rows/s; ` +
              `${b.count} batches, p50 ${fmt(b.p50)}, max ${fmt(b.max)} (the longest a webhook waits behind one); ` +
              `database ${mb(r.afterSeed.file)} seeded → ${mb(r.afterPrune.file)} file, ${mb(
                r.afterPrune.used
              )} in use after`
            );
          }),
          `  database size flat: in use ${mb(empty.used)} empty, ${mb(rounds[0].afterPrune.used)} after round 1, ${mb(
            rounds[1].afterPrune.used
          )} after round 2; file ${mb(rounds[0].afterPrune.file)} then ${mb(
            rounds[1].afterPrune.file
          )} (freed pages reused)`,
          `rate limit per proxy request (3 buckets, one upsert; ${opts.rateLimitRequests.toLocaleString(
            "en"
          )} requests): p50 ${fmt(rl.p50)}, p95 ${fmt(rl.p95)}; a primary-key read (baseline, same run): p50 ${fmt(
            pk.p50
          )}, p95 ${fmt(pk.p95)}`,
        ].join("\n"),
    };
  } finally {
    await prisma.$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
