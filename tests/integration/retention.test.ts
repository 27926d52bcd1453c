import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase } from "../support/database";
import { DEV_APP } from "../support/processes";
import { localParts, zonedToUtc } from "../../app/services/support/business-hours";

/**
 * Retention, run as the app runs it: the hourly `retention.prune` job, queued per shop and run by
 * the job runner's runDue() on a clock the test drives. Rows are written through the app's own
 * functions (webhooks recorded, jobs run, visits, votes, searches, emails), then dated back. Old
 * rows go, in batches of RETENTION_BATCH_SIZE; recent ones stay; the dashboard's visit and vote
 * counts are the same before and after; another shop's rows are never touched.
 */

type Prisma = typeof import("../../app/db.server")["default"];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "support-desk-retention-"));
const database = await createTestDatabase("retention");
const databaseUrl = database.url;
const SHOP = "retention-desk.myshopify.com";
const OTHER = "other-retention.myshopify.com";
const BATCH = 50;
const DAY = 86_400_000;
const HOUR = 3_600_000;

let prisma: Prisma;
let app: {
  jobs: typeof import("../../app/models/job.server");
  runner: typeof import("../../app/jobs/runner.server");
  types: typeof import("../../app/jobs/types");
  webhooks: typeof import("../../app/models/webhook-event.server");
  faq: typeof import("../../app/models/faq.server");
  storefront: typeof import("../../app/services/faq/storefront.server");
  insights: typeof import("../../app/models/faq-insights.server");
  dashboard: typeof import("../../app/models/dashboard.server");
  email: typeof import("../../app/models/outbound-email.server");
  sync: typeof import("../../app/models/sync-run.server");
  rateLimit: typeof import("../../app/models/rate-limit.server");
  retention: typeof import("../../app/services/retention/retention.server");
};

// The clock the app reads (Date only: timers, and Prisma's, keep real time).
let now = 0;
const setNow = (at: number) => {
  now = at;
  vi.setSystemTime(at);
};
const ago = (ms: number) => new Date(now - ms);

beforeAll(async () => {
  // db.server and env.server read the environment when first used, so the modules come after it is set.
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    SHOPIFY_API_KEY: DEV_APP.apiKey,
    SHOPIFY_API_SECRET: DEV_APP.apiSecret,
    SHOPIFY_APP_URL: "http://127.0.0.1:9",
    RETENTION_BATCH_SIZE: String(BATCH),
    // Batches keep their size here, however slow the machine (the bench shows them adapt).
    RETENTION_BATCH_MS: "600000",
  });
  app = {
    jobs: await import("../../app/models/job.server"),
    runner: await import("../../app/jobs/runner.server"),
    types: await import("../../app/jobs/types"),
    webhooks: await import("../../app/models/webhook-event.server"),
    faq: await import("../../app/models/faq.server"),
    storefront: await import("../../app/services/faq/storefront.server"),
    insights: await import("../../app/models/faq-insights.server"),
    dashboard: await import("../../app/models/dashboard.server"),
    email: await import("../../app/models/outbound-email.server"),
    sync: await import("../../app/models/sync-run.server"),
    rateLimit: await import("../../app/models/rate-limit.server"),
    retention: await import("../../app/services/retention/retention.server"),
  };
  prisma = (await import("../../app/db.server")).default;
  vi.useFakeTimers({ toFake: ["Date"] });
  setNow(Date.now());
}, 120_000);

afterAll(async () => {
  vi.useRealTimers();
  await prisma?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
  await database.drop();
});

const warnings: string[] = [];
const quietly = () =>
  vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(" ")));

/** What the test wrote for a shop: ids of what must go and what must stay. */
interface Seeded {
  article: number;
  votesBefore: { helpful: number; notHelpful: number };
  oldPeriod: { from: string; to: string };
  deflectionBefore: { visits: number; contacted: number };
  insightsBefore: { visits: number; contacted: number };
  recentVisits: number;
}

const noop = () => undefined;

async function seedShop(shop: string): Promise<Seeded> {
  await prisma.shop.create({ data: { shop, name: shop, ianaTimezone: "Pacific/Auckland" } });

  // Jobs: run by a runner, then dated back. 5,100 old ones are more than one pass's 100 batches.
  const ok = app.types.defineJob({ kind: "test.ok", run: async () => noop() });
  const failing = app.types.defineJob({
    kind: "test.fails",
    maxAttempts: 1,
    run: async () => Promise.reject(new Error("boom")),
  });
  const runner = app.runner.createJobRunner({ definitions: [ok, failing], concurrency: 4 });
  const spy = quietly();
  const done = await app.jobs.enqueueJobs([
    ...Array.from({ length: 3 }, (_, n) => ({ shop, kind: ok.kind, key: `old-${n}`, payload: {} })),
    { shop, kind: ok.kind, key: "recent", payload: {} },
    { shop, kind: failing.kind, key: "dead-old", payload: {}, maxAttempts: 1 },
    { shop, kind: failing.kind, key: "dead-recent", payload: {}, maxAttempts: 1 },
  ]);
  await runner.runDue();
  spy.mockRestore();
  const [oldIds, recentId, deadOld, deadRecent] = [
    done.slice(0, 3).map((j) => j.id),
    done[3].id,
    done[4].id,
    done[5].id,
  ];
  await prisma.job.updateMany({ where: { shop, id: { in: oldIds } }, data: { updatedAt: ago(8 * DAY) } });
  await prisma.job.updateMany({ where: { shop, id: recentId }, data: { updatedAt: ago(6 * DAY) } });
  await prisma.job.updateMany({ where: { shop, id: deadOld }, data: { updatedAt: ago(91 * DAY) } });
  await prisma.job.updateMany({ where: { shop, id: deadRecent }, data: { updatedAt: ago(30 * DAY) } });
  const bulkOld = ago(10 * DAY);
  await prisma.job.createMany({
    data: Array.from({ length: 5_100 }, (_, n) => ({
      shop,
      kind: ok.kind,
      key: `bulk-${n}`,
      payload: "{}",
      status: "succeeded",
      maxAttempts: 1,
      runAt: bulkOld,
      updatedAt: bulkOld,
      finishedAt: bulkOld,
    })),
  });
  // A job still waiting is never touched, however old.
  await app.jobs.enqueueJob({ shop, kind: ok.kind, key: "waiting", payload: {}, runAt: new Date(now + 365 * DAY) });
  await prisma.job.updateMany({ where: { shop, key: "waiting" }, data: { updatedAt: ago(400 * DAY) } });

  // Webhooks: written down as deliveries are, processed or failed, then dated back.
  const record = (eventId: string) =>
    app.webhooks.recordWebhook({
      shop,
      topic: "customers/update",
      eventId,
      rawPayload: JSON.stringify({ id: eventId, note: "x".repeat(2_000) }),
    });
  const processed = async (eventId: string, age: number) => {
    const { id } = await record(eventId);
    await app.webhooks.markWebhookProcessed(shop, id);
    await prisma.webhookEvent.updateMany({ where: { shop, id }, data: { receivedAt: ago(age) } });
  };
  for (let n = 0; n < 120; n++) await processed(`old-${n}`, 8 * DAY);
  await processed("two-hours-ago", 2 * HOUR);
  await processed("six-days-ago", 6 * DAY);
  for (const [eventId, age] of [
    ["failed-old", 91 * DAY],
    ["failed-recent", 30 * DAY],
  ] as const) {
    const { id } = await record(eventId);
    await app.webhooks.markWebhookProcessed(shop, id, "could not apply");
    await prisma.webhookEvent.updateMany({ where: { shop, id }, data: { receivedAt: ago(age) } });
  }
  const waiting = await record("never-processed");
  await prisma.webhookEvent.updateMany({ where: { shop, id: waiting.id }, data: { receivedAt: ago(200 * DAY) } });

  // Sync runs: old finished ones go, the newest finished of each kind stays however old.
  for (const [kind, age] of [
    ["reconcile", 30 * DAY],
    ["reconcile", 20 * DAY],
    ["bulk", 60 * DAY],
    ["reconcile", 1 * DAY],
  ] as const) {
    const run = await app.sync.createSyncRun(shop, kind);
    await app.sync.updateSyncRun(shop, run.id, { status: "succeeded", finishedAt: ago(age) });
    await prisma.syncRun.updateMany({ where: { shop, id: run.id }, data: { startedAt: ago(age) } });
  }

  // The FAQ: an article, votes on it, searches, help-panel visits (some ending in a contact form).
  const saved = await app.faq.saveArticle(shop, null, {
    question_en: "How long does delivery take?",
    answer_en: "Two to four days.",
    published: "on",
  });
  if (!("ok" in saved)) throw new Error(JSON.stringify(saved.errors));
  const article = saved.id;
  for (let n = 0; n < 70; n++) await app.storefront.voteArticle(shop, article, `old-vote-visit-${n}`, n % 3 !== 0);
  await prisma.faqVote.updateMany({
    where: { shop, visitId: { startsWith: "old-vote-visit-" } },
    data: { updatedAt: ago(100 * DAY) },
  });
  for (let n = 0; n < 5; n++) await app.storefront.voteArticle(shop, article, `new-vote-visit-${n}`, n % 2 === 0);
  for (const query of ["delivery", "refund policy", "gift card"]) {
    await app.storefront.searchFaq(shop, { query, locale: "en", record: true, visitId: null });
  }
  await prisma.faqSearch.updateMany({
    where: { shop, sample: { in: ["refund policy", "gift card"] } },
    data: { lastSearchedAt: ago(100 * DAY) },
  });

  // 150 visits over three local days 120 days back, around Auckland's midnights (noon UTC or so), and 12 recent ones.
  const oldDay = localParts(new Date(now - 120 * DAY), "Pacific/Auckland");
  const aucklandMidnight = zonedToUtc(oldDay.year, oldDay.month, oldDay.day, 0, "Pacific/Auckland").getTime();
  let visit = 0;
  for (let day = 0; day < 3; day++) {
    for (let n = 0; n < 50; n++) {
      const visitId = `old-visit-${visit++}`;
      if (n % 4 === 0) await app.storefront.markVisitContacted(shop, visitId, null, "en");
      else await app.storefront.recordVisit(shop, visitId, "en");
      // Half just before the local midnight, half just after: local days, not UTC days.
      const at = aucklandMidnight + day * DAY + (n % 2 === 0 ? -30 * 60_000 : 30 * 60_000);
      await prisma.helpVisit.updateMany({ where: { shop, visitId }, data: { startedAt: new Date(at) } });
    }
  }
  for (let n = 0; n < 12; n++) {
    if (n % 3 === 0) await app.storefront.markVisitContacted(shop, `new-visit-${n}`, null, "en");
    else await app.storefront.recordVisit(shop, `new-visit-${n}`, "en");
  }
  const local = (at: number) => new Intl.DateTimeFormat("en-CA", { timeZone: "Pacific/Auckland" }).format(new Date(at));
  const oldPeriod = { from: local(aucklandMidnight - 2 * DAY), to: local(aucklandMidnight + 4 * DAY) };

  // Emails: a sent one long ago loses its text; a recent one and one waiting in the outbox keep theirs.
  for (const [purpose, status, age] of [
    ["reply", "sent", 200 * DAY],
    ["reply", "sent", 10 * DAY],
    ["reply", "outbox", 400 * DAY],
  ] as const) {
    const email = await app.email.createOutboundEmail(shop, {
      purpose,
      messageId: `<${purpose}-${status}-${age}@${shop}>`,
      fromAddress: `support@${shop}`,
      toAddress: "shopper@example.com",
      subject: `About your order (${age / DAY} days)`,
      text: "Your parcel is on its way.",
      html: "<p>Your parcel is on its way.</p>",
    });
    await app.email.updateOutboundEmail(shop, email.id, { status, sentAt: status === "sent" ? ago(age) : null });
    await prisma.outboundEmail.updateMany({ where: { shop, id: email.id }, data: { createdAt: ago(age) } });
  }

  // Rate-limit buckets: one used a while ago (full again by now), one full again only in a week.
  await app.rateLimit.takeTokens(shop, [{ key: "idle-shopper", capacity: 5, refillPerMinute: 5 }], now - 10 * 60_000);
  await app.rateLimit.takeTokens(shop, [{ key: "busy-shopper", capacity: 5, refillPerMinute: 1 / (7 * 24 * 60) }], now);

  const article0 = (await app.faq.articleForShop(shop, article))!;
  const before = await app.dashboard.dashboard(shop, oldPeriod);
  const insights = await app.insights.faqInsights(shop);
  return {
    article,
    votesBefore: { helpful: article0.helpful, notHelpful: article0.notHelpful },
    oldPeriod,
    deflectionBefore: { visits: before.current.deflection.visits, contacted: before.current.deflection.contacted },
    insightsBefore: { visits: insights.visits, contacted: insights.contacted },
    recentVisits: 12,
  };
}

/** Every row of a shop, table by table (for "untouched"). */
async function snapshot(shop: string) {
  const where = { where: { shop } };
  return {
    jobs: await prisma.job.count(where),
    webhooks: await prisma.webhookEvent.findMany({ ...where, orderBy: { id: "asc" } }),
    syncRuns: await prisma.syncRun.count(where),
    visits: await prisma.helpVisit.count(where),
    votes: await prisma.faqVote.count(where),
    searches: await prisma.faqSearch.count(where),
    emails: await prisma.outboundEmail.findMany({ ...where, orderBy: { id: "asc" } }),
    buckets: await prisma.rateLimitBucket.count(where),
  };
}

describe("retention", () => {
  let seeded: Seeded;
  let other: Awaited<ReturnType<typeof snapshot>>;
  const batches: { shop: string; what: string; rows: number }[] = [];
  let runner: ReturnType<(typeof app.runner)["createJobRunner"]>;

  beforeAll(async () => {
    seeded = await seedShop(SHOP);
    await seedShop(OTHER);
    other = await snapshot(OTHER);
    app.retention.onRetentionBatch((batch) => batches.push(batch));
    runner = app.runner.createJobRunner({ definitions: [app.retention.retentionJob] });
  }, 120_000);

  const retentionJobs = () =>
    prisma.job.findMany({ where: { shop: SHOP, kind: "retention.prune" }, orderBy: { runAt: "asc" } });

  it("runs as the shop's hourly job: once per slot, whichever process queues it", async () => {
    await app.retention.scheduleRetention(SHOP);
    await app.retention.scheduleRetention(SHOP);
    // A worker starting elsewhere queues the same slot for every installed shop: still one job.
    await app.retention.scheduleRetentionForAllShops();
    const queued = (await retentionJobs()).filter((j) => j.status === "queued");
    expect(queued).toHaveLength(1);
    // The other shop got its own, which this test never runs.
    await prisma.job.deleteMany({ where: { shop: OTHER, kind: "retention.prune" } });
    // Not due before its slot.
    expect(await runner.runDue()).toBe(0);
    expect(queued[0].runAt.getTime()).toBeGreaterThan(now);
    expect(queued[0].runAt.getTime() % 3_600_000).toBe(0);
  });

  it("deletes old rows in bounded batches, keeps recent ones and what the dashboard counts", async () => {
    const [slot] = await retentionJobs();
    setNow(slot.runAt.getTime() + 1_000);
    expect(await runner.runDue()).toBe(1);
    // 5,100 old jobs are more than one pass does: a follow-up job a second later does the rest.
    const followUp = (await retentionJobs()).find((j) => j.key.includes(":more:"));
    expect(followUp?.status).toBe("queued");
    const oldFinished = () =>
      prisma.job.count({
        where: { shop: SHOP, kind: "test.ok", status: "succeeded", updatedAt: { lt: ago(7 * DAY) } },
      });
    expect(await oldFinished()).toBe(5_100 + 3 - app.retention.MAX_BATCHES_PER_PASS * BATCH);
    setNow(now + 2_000);
    expect(await runner.runDue()).toBe(1);
    expect(await oldFinished()).toBe(0);

    expect(batches.length).toBeGreaterThan(0);
    expect(batches.every((b) => b.shop === SHOP && b.rows > 0 && b.rows <= BATCH)).toBe(true);
    const rows = (what: string) => batches.filter((b) => b.what === what).map((b) => b.rows);
    expect(rows("help visits")).toEqual([50, 50, 50]);
    expect(rows("processed webhooks")).toEqual([50, 50, 20]);
    expect(rows("finished jobs").reduce((a, b) => a + b, 0)).toBe(5_103);

    // Jobs: finished ones older than 7 days and dead ones older than 90 go; waiting ones never.
    const keys = (
      await prisma.job.findMany({ where: { shop: SHOP, kind: { startsWith: "test." } }, select: { key: true } })
    )
      .map((j) => j.key)
      .sort();
    expect(keys).toEqual(["dead-recent", "recent", "waiting"]);
    // Webhooks: processed ones older than 7 days go; failed ones stay 90 days; an unprocessed one stays.
    const events = (await prisma.webhookEvent.findMany({ where: { shop: SHOP }, select: { eventId: true } }))
      .map((e) => e.eventId)
      .sort();
    expect(events).toEqual(["failed-recent", "never-processed", "six-days-ago", "two-hours-ago"]);
    // A delivery Shopify retries within its 4-hour window is still known; one from 8 days ago is not.
    expect(
      (
        await app.webhooks.recordWebhook({
          shop: SHOP,
          topic: "customers/update",
          eventId: "two-hours-ago",
          rawPayload: "{}",
        })
      ).duplicate
    ).toBe(true);
    expect(
      (await app.webhooks.recordWebhook({ shop: SHOP, topic: "customers/update", eventId: "old-0", rawPayload: "{}" }))
        .duplicate
    ).toBe(false);
    // Sync runs: the newest finished reconcile and bulk stay.
    const runs = await prisma.syncRun.findMany({ where: { shop: SHOP }, select: { kind: true, startedAt: true } });
    expect(runs.map((r) => `${r.kind} ${Math.round((now - r.startedAt.getTime()) / DAY)}`).sort()).toEqual([
      "bulk 60",
      "reconcile 1",
    ]);

    // Visits: the old ones are daily counts now, by Auckland's day; the dashboard reads the same.
    expect(await prisma.helpVisit.count({ where: { shop: SHOP } })).toBe(seeded.recentVisits);
    const days = await prisma.helpVisitDay.findMany({ where: { shop: SHOP }, orderBy: { day: "asc" } });
    expect(days.map((d) => d.visits)).toEqual([25, 50, 50, 25]);
    expect(days.reduce((sum, d) => sum + d.contacted, 0)).toBe(39);
    const after = await app.dashboard.dashboard(SHOP, seeded.oldPeriod);
    expect({ visits: after.current.deflection.visits, contacted: after.current.deflection.contacted }).toEqual(
      seeded.deflectionBefore
    );
    expect(seeded.deflectionBefore).toEqual({ visits: 150, contacted: 39 });
    const insights = await app.insights.faqInsights(SHOP);
    expect({ visits: insights.visits, contacted: insights.contacted }).toEqual(seeded.insightsBefore);

    // Votes: counted into the article, so its figures do not move.
    expect(await prisma.faqVote.count({ where: { shop: SHOP } })).toBe(5);
    const article = (await app.faq.articleForShop(SHOP, seeded.article))!;
    expect({ helpful: article.helpful, notHelpful: article.notHelpful }).toEqual(seeded.votesBefore);
    expect(seeded.votesBefore).toEqual({ helpful: 46 + 3, notHelpful: 24 + 2 });

    // Searches: a term searched lately stays; those nobody searched for 90 days go.
    expect((await prisma.faqSearch.findMany({ where: { shop: SHOP } })).map((s) => s.query)).toEqual(["delivery"]);

    // Emails: only the long-sent one lost its text; every email is still listed.
    const emails = await prisma.outboundEmail.findMany({ where: { shop: SHOP }, orderBy: { createdAt: "asc" } });
    expect(emails.map((e) => [e.status, e.text === "" && e.html === "", e.bodyPrunedAt !== null])).toEqual([
      ["outbox", false, false],
      ["sent", true, true],
      ["sent", false, false],
    ]);

    // Rate-limit buckets: the idle one, full again, is gone; the one still refilling stays.
    expect(await prisma.rateLimitBucket.count({ where: { shop: SHOP } })).toBe(1);

    // The other shop's rows, every one, as they were.
    expect(await snapshot(OTHER)).toEqual(other);
  }, 60_000);

  it("queues the next slot, and a later pass finds nothing more to do", async () => {
    const queued = (await retentionJobs()).filter((j) => j.status === "queued");
    expect(queued).toHaveLength(1);
    const before = await snapshot(SHOP);
    const counted = batches.length;
    setNow(queued[0].runAt.getTime() + 1_000);
    expect(await runner.runDue()).toBe(1);
    expect(batches.length).toBe(counted);
    const after = await snapshot(SHOP);
    // Only the job rows moved: the pass that just ran, and the next slot queued.
    expect({ ...after, jobs: 0 }).toEqual({ ...before, jobs: 0 });
    expect(after.jobs).toBe(before.jobs + 1);
  });

  it("halves a batch that took longer than RETENTION_BATCH_MS, down to 10 rows", async () => {
    const shop = "slow-disk.myshopify.com";
    await prisma.faqSearch.createMany({
      data: Array.from({ length: 200 }, (_, n) => ({
        shop,
        locale: "en",
        query: `term ${n}`,
        sample: `term ${n}`,
        searches: 1,
        lastSearchedAt: ago(100 * DAY),
      })),
    });
    const sizes: number[] = [];
    const stop = app.retention.onRetentionBatch((b) => b.shop === shop && sizes.push(b.rows));
    // Every batch counts as slow against a target of a microsecond.
    await app.retention.pruneShop(shop, { ...app.retention.retentionPolicy(), batchMs: 0.001 });
    stop();
    expect(sizes.slice(0, 5)).toEqual([50, 25, 12, 10, 10]);
    expect(sizes.every((n) => n <= 50)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(200);
    expect(await prisma.faqSearch.count({ where: { shop } })).toBe(0);
  });
});
