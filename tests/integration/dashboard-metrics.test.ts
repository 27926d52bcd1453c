import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../support/database";

/**
 * Every dashboard figure from fixed data, in process over a real SQLite file. The shop is in
 * Tallinn (UTC+2 in November) and opens Mon–Fri 09:00–17:00, so the figures show the time-zone
 * boundary (a ticket at 00:30 local Monday is Sunday in UTC) and business-hours arithmetic
 * (a Friday 16:00 ticket answered Monday 10:00 waited 2 business hours).
 */

type Dashboard = typeof import("../../app/models/dashboard.server");
type Prisma = (typeof import("../../app/db.server"))["default"];

const SHOP = "metrics-a.myshopify.com";
const OTHER = "metrics-b.myshopify.com";
const database = await createTestDatabase("metrics");
let prisma: Prisma;
let metrics: Dashboard;
const HOUR = 3_600_000;
// Local Tallinn time (UTC+2 throughout this November) → instant.
const at = (local: string) => new Date(`${local}:00+02:00`);

let n = 0;
async function ticket(shop: string, data: { channel: string; status: string; createdAt: string; firstResponseAt?: string; solvedAt?: string; slaDueAt?: string }) {
  n++;
  return prisma.ticket.create({
    data: {
      shop,
      number: n,
      subject: `T${n}`,
      channel: data.channel,
      status: data.status,
      replyToken: `tok-${n}`,
      createdAt: at(data.createdAt),
      lastMessageAt: at(data.createdAt),
      firstResponseAt: data.firstResponseAt ? at(data.firstResponseAt) : null,
      solvedAt: data.solvedAt ? at(data.solvedAt) : null,
      slaDueAt: data.slaDueAt ? at(data.slaDueAt) : null,
    },
  });
}

beforeAll(async () => {
  const databaseUrl = database.url;
  Object.assign(process.env, { DATABASE_URL: databaseUrl, SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "http://127.0.0.1:1" });
  prisma = (await import("../../app/db.server")).default;
  metrics = await import("../../app/models/dashboard.server");
  for (const shop of [SHOP, OTHER]) await prisma.shop.create({ data: { shop, ianaTimezone: "Europe/Tallinn" } });
  const weekdays = JSON.stringify({ mon: [["09:00", "17:00"]], tue: [["09:00", "17:00"]], wed: [["09:00", "17:00"]], thu: [["09:00", "17:00"]], fri: [["09:00", "17:00"]], sat: [], sun: [] });
  await prisma.supportSettings.create({ data: { shop: SHOP, businessHours: weekdays, timeZone: "Europe/Tallinn" } });

  // Previous week: one ticket, Sunday 23:30 local, still open, overdue.
  await ticket(SHOP, { channel: "email", status: "open", createdAt: "2026-11-22T23:30", slaDueAt: "2026-11-24T12:00" });
  // This week (Mon 23 – Sun 29 November).
  const t1 = await ticket(SHOP, { channel: "storefront", status: "solved", createdAt: "2026-11-23T08:00", firstResponseAt: "2026-11-23T10:00", solvedAt: "2026-11-24T10:00" });
  const t2 = await ticket(SHOP, { channel: "email", status: "open", createdAt: "2026-11-27T16:00", firstResponseAt: "2026-11-30T10:00" });
  await ticket(SHOP, { channel: "storefront", status: "pending", createdAt: "2026-11-23T00:30", firstResponseAt: "2026-11-23T09:15" });
  const t4 = await ticket(SHOP, { channel: "delay_notice", status: "solved", createdAt: "2026-11-25T12:00", firstResponseAt: "2026-11-25T12:30", solvedAt: "2026-11-25T15:00" });
  // Another shop's busy week must not count.
  for (let i = 0; i < 5; i++) await ticket(OTHER, { channel: "email", status: "solved", createdAt: "2026-11-24T10:00", firstResponseAt: "2026-11-24T10:05", solvedAt: "2026-11-24T11:00" });

  await prisma.satisfactionSurvey.createMany({
    data: [
      { shop: SHOP, ticketId: t1.id, sentAt: at("2026-11-24T10:00"), rating: 5, ratedAt: at("2026-11-24T18:00") },
      { shop: SHOP, ticketId: t4.id, sentAt: at("2026-11-25T15:00"), rating: 3, ratedAt: at("2026-11-26T09:00") },
      { shop: SHOP, ticketId: "no-answer", sentAt: at("2026-11-26T15:00") },
      { shop: OTHER, ticketId: "x", sentAt: at("2026-11-24T10:00"), rating: 1, ratedAt: at("2026-11-24T11:00") },
    ],
  });
  const notice = (id: string, ticketId: string, status: string, when: string) => ({
    shop: SHOP, dedupeKey: id, trigger: "carrier_delayed", orderShopifyId: `gid://shopify/Order/${id}`, orderName: "#1", source: "test", status, ticketId, sendAfter: at(when), createdAt: at(when), decidedAt: at(when),
  });
  await prisma.delayNotice.createMany({ data: [notice("n1", t4.id, "sent", "2026-11-26T10:00"), notice("n2", t2.id, "sent", "2026-11-28T10:00"), notice("n3", t2.id, "skipped", "2026-11-28T11:00")] });
  await prisma.ticketMessage.createMany({
    data: [
      { shop: SHOP, ticketId: t4.id, kind: "customer", body: "Thanks, fine", createdAt: at("2026-11-26T12:00") },
      // Before the notice: not an answer to it.
      { shop: SHOP, ticketId: t2.id, kind: "customer", body: "Where is it?", createdAt: at("2026-11-27T16:00") },
    ],
  });
  await prisma.helpVisit.createMany({
    data: [
      { shop: SHOP, visitId: "v1", locale: "en", startedAt: at("2026-11-23T12:00") },
      { shop: SHOP, visitId: "v2", locale: "en", startedAt: at("2026-11-24T12:00"), contacted: true },
      { shop: SHOP, visitId: "v3", locale: "tr", startedAt: at("2026-11-25T12:00") },
      { shop: SHOP, visitId: "v4", locale: "tr", startedAt: at("2026-11-29T23:59") },
      { shop: SHOP, visitId: "v5", locale: "tr", startedAt: at("2026-11-30T00:01") },
    ],
  });
  await prisma.faqSearch.create({ data: { shop: SHOP, locale: "tr", query: "kapida odeme", sample: "kapıda ödeme", searches: 3, noResult: 3, lastSearchedAt: at("2026-11-26T10:00") } });
});

afterAll(async () => {
  await prisma?.$disconnect();
  await database.drop();
});

describe("dashboard figures", () => {
  const week = { from: "2026-11-23", to: "2026-11-29" };

  it("times storefront chats in seconds of the clock and counts the missed ones", async () => {
    // A week of its own (9–15 November): answered after 30 s, 90 s and 8 minutes, and never.
    const start = at("2026-11-10T14:00");
    const answers = [30, 90, 480, null];
    for (const [i, seconds] of answers.entries()) {
      n++;
      const createdAt = new Date(start.getTime() + i * HOUR);
      await prisma.ticket.create({
        data: {
          shop: SHOP,
          number: n,
          subject: `Chat ${n}`,
          channel: "chat",
          // Closed: not part of the backlog the next case counts.
          status: "closed",
          replyToken: `tok-${n}`,
          createdAt,
          lastMessageAt: createdAt,
          firstResponseAt: seconds === null ? null : new Date(createdAt.getTime() + seconds * 1000),
        },
      });
    }
    const d = await metrics.dashboard(SHOP, { from: "2026-11-09", to: "2026-11-15" }, at("2026-11-15T20:00"));
    expect(d.current.chat).toEqual({ conversations: 4, firstResponse: { median: 90, p90: 480 }, missed: 2 });
    expect(d.current.byChannel).toEqual({ chat: 4 });
    expect(d.before.chat).toEqual({ conversations: 0, firstResponse: { median: null, p90: null }, missed: 0 });
    const csv = metrics.dashboardCsv(d);
    expect(csv).toContain('"chat first response, median (seconds)",90,');
    expect(csv).toContain("chats missed (no answer within 5 minutes),2,0");
  });

  it("counts tickets by local day, including across the UTC date line", async () => {
    const d = await metrics.dashboard(SHOP, week, at("2026-11-29T20:00"));
    expect(d.previous).toEqual({ from: "2026-11-16", to: "2026-11-22" });
    expect(d.current.created).toBe(4);
    expect(d.before.created).toBe(1);
    expect(d.current.solved).toBe(2);
    expect(d.current.byChannel).toEqual({ storefront: 2, email: 1, delay_notice: 1 });
    expect(d.series.map((s) => [s.date, s.created, s.solved])).toEqual([
      ["2026-11-23", 2, 0],
      ["2026-11-24", 0, 1],
      ["2026-11-25", 1, 1],
      ["2026-11-26", 0, 0],
      ["2026-11-27", 1, 0],
      ["2026-11-28", 0, 0],
      ["2026-11-29", 0, 0],
    ]);
  });

  it("measures first response and resolution in business hours: median and 90th percentile", async () => {
    const d = await metrics.dashboard(SHOP, week, at("2026-11-29T20:00"));
    // 0.25 h (Mon 00:30 → 09:15), 0.5 h, 1 h (Mon 08:00 → 10:00), 2 h (Fri 16:00 → Mon 10:00).
    expect(d.current.firstResponse).toEqual({ median: 0.5 * HOUR, p90: 2 * HOUR, count: 4 });
    // 3 h (Wed 12:00 → 15:00) and 9 h (Mon 08:00 → Tue 10:00: 8 h Monday + 1 h Tuesday).
    expect(d.current.resolution).toEqual({ median: 3 * HOUR, p90: 9 * HOUR, count: 2 });
    expect(d.before.firstResponse).toEqual({ median: null, p90: null, count: 0 });
  });

  it("scores satisfaction, delay notices answered, deflection, backlog and unanswered searches", async () => {
    const d = await metrics.dashboard(SHOP, week, at("2026-11-29T20:00"));
    expect(d.current.csat).toEqual({ score: 0.5, average: 4, rated: 2, sent: 3, responseRate: 2 / 3 });
    expect(d.current.delayNotices).toEqual({ sent: 2, ledToReply: 1 });
    expect(d.current.deflection).toEqual({ visits: 4, contacted: 1, rate: 0.75 });
    expect(d.backlog).toBe(3);
    expect(d.overdue).toBe(1);
    expect(d.unanswered).toEqual([{ sample: "kapıda ödeme", locale: "tr", noResult: 3 }]);
  });

  it("exports the same figures as CSV", async () => {
    const csv = metrics.dashboardCsv(await metrics.dashboard(SHOP, week, at("2026-11-29T20:00")));
    const lines = csv.trim().split("\n");
    expect(lines[0]).toBe("figure,2026-11-23 to 2026-11-29,2026-11-16 to 2026-11-22");
    expect(lines).toContain("tickets created,4,1");
    expect(lines).toContain('"first response, median (business hours)",0.50,');
    expect(lines).toContain('"CSAT, % satisfied (4-5)",50.0,');
    expect(lines).toContain("2026-11-23,2,0");
  });

  it("an empty shop has no figures, not zeros pretending to be data", async () => {
    const d = await metrics.dashboard(OTHER, { from: "2026-12-01", to: "2026-12-07" }, at("2026-12-07T20:00"));
    expect(d.current.firstResponse.median).toBeNull();
    expect(d.current.csat.score).toBeNull();
    expect(d.current.deflection.rate).toBeNull();
    expect(d.current.created).toBe(0);
  });

  it("handles a period across the end of daylight saving time", () => {
    // Tallinn leaves summer time on 25 October 2026: that local day has 25 hours.
    const { start, end } = metrics.periodBounds({ from: "2026-10-25", to: "2026-10-25" }, "Europe/Tallinn");
    expect((end.getTime() - start.getTime()) / HOUR).toBe(25);
    expect(metrics.lastDays(7, "Europe/Tallinn", new Date("2026-11-29T22:30:00Z"))).toEqual({ from: "2026-11-24", to: "2026-11-30" });
  });
});
