import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../support/database";

/**
 * Inbox search pages, walked forward and back: every page the one the plain order gives, for
 * words matched everywhere, only in old tickets, in every fourth and nowhere, with ties in the
 * sort key, in each sort. On PostgreSQL a search looks first in a window of the view by the
 * sort's index, then by the trigram index (app/models/ticket.server.ts searchedPage); a small
 * window here makes each way, and the window's end, come up within a few hundred tickets.
 */

type Tickets = typeof import("../../app/models/ticket.server");
type Prisma = (typeof import("../../app/db.server"))["default"];

const A = "pages-a.myshopify.com";
const B = "pages-b.myshopify.com";
const COUNT = 400;
const WINDOW = 25;
const PAGE = 7;
const database = await createTestDatabase("inbox_pages");
let tickets: Tickets;
let prisma: Prisma;

const base = Date.parse("2026-06-01T00:00:00Z");
/** Ticket n: "vintage" only in the oldest 30, "parcel" in every fourth, "question" in the others; two by two on one activity time. */
const subjectOf = (n: number) => (n <= 30 ? `Vintage lamp ${n}` : n % 4 === 0 ? `Parcel ${n} not here` : `Question ${n}`);
const rows = (shop: string) =>
  Array.from({ length: COUNT }, (_, i) => {
    const n = i + 1;
    return {
      shop,
      number: n,
      subject: subjectOf(n),
      status: n % 3 === 0 ? "solved" : "open",
      channel: "email",
      customerEmail: `shopper${n}@example.com`,
      customerName: `Shopper ${n}`,
      replyToken: `${shop}-${n}`,
      createdAt: new Date(base + n * 60_000),
      updatedAt: new Date(base + n * 60_000),
      lastMessageAt: new Date(base + Math.ceil(n / 2) * 120_000),
      slaDueAt: new Date(base + (n % 50) * 3_600_000),
      searchText: `${subjectOf(n).toLowerCase()}\nshopper ${n}\nshopper${n}@example.com`,
    };
  });

beforeAll(async () => {
  process.env.DATABASE_URL = database.url;
  Object.assign(process.env, { SHOPIFY_API_KEY: "pages-key", SHOPIFY_API_SECRET: "pages-secret", SHOPIFY_APP_URL: "http://127.0.0.1:1" });
  tickets = await import("../../app/models/ticket.server");
  prisma = (await import("../../app/db.server")).default;
  await prisma.ticket.createMany({ data: [...rows(A), ...rows(B)] });
});

afterAll(async () => {
  await prisma?.$disconnect();
  await database.drop();
});

type Row = { id: string; number: number; status: string; subject: string; lastMessageAt: Date; createdAt: Date; slaDueAt: Date | null };

/** The whole answer in the plain order, as the inbox sorts it. */
async function expected(shop: string, word: string, view: "all" | "open", sort: string): Promise<string[]> {
  const all = (await prisma.ticket.findMany({ where: { shop } })) as Row[];
  const matching = all.filter((t) => t.subject.toLowerCase().includes(word) && (view === "all" || t.status === "open"));
  const by = (key: (t: Row) => number, dir: 1 | -1) => (a: Row, b: Row) => dir * (key(a) - key(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const order = {
    activity: by((t) => t.lastMessageAt.getTime(), -1),
    newest: by((t) => t.createdAt.getTime(), -1),
    oldest: by((t) => t.createdAt.getTime(), 1),
    due: by((t) => t.slaDueAt!.getTime(), 1),
  }[sort]!;
  return matching.sort(order).map((t) => t.id);
}

const list = (shop: string, params: Record<string, string>) => tickets.listTickets(shop, tickets.InboxParams.parse(params), "staff-1", new Date(), PAGE, WINDOW);

describe.each(["activity", "newest", "oldest", "due"])("inbox search pages sorted by %s", (sort) => {
  it.each([
    ["question", "all"],
    ["parcel", "open"],
    ["vintage", "all"],
    ["vintage", "open"],
    ["zebra", "all"],
  ] as const)("%s in the %s view: forward then back, page by page", async (word, view) => {
    const want = await expected(A, word, view, sort);
    if (word !== "zebra") expect(want.length).toBeGreaterThan(PAGE);
    const params = { q: word.toUpperCase(), view, sort };
    // Forward to the end.
    const pages: string[][] = [];
    let page = await list(A, params);
    pages.push(page.tickets.map((t) => t.id));
    while (page.hasNext) {
      page = await list(A, { ...params, after: page.tickets.at(-1)!.id });
      pages.push(page.tickets.map((t) => t.id));
      expect(pages.length).toBeLessThan(100);
    }
    expect(pages.flat()).toEqual(want);
    expect(pages.slice(0, -1).every((p) => p.length === PAGE)).toBe(true);
    // Back to the start, each page as it was.
    for (let i = pages.length - 1; i > 0; i--) {
      const back = await list(A, { ...params, before: pages[i][0] });
      expect(back.tickets.map((t) => t.id)).toEqual(pages[i - 1]);
      expect(back.hasNext).toBe(true);
      expect(back.hasPrevious).toBe(i - 1 > 0);
    }
    // Never another shop's ticket, whatever the way the search took.
    const ids = new Set((await prisma.ticket.findMany({ where: { shop: B }, select: { id: true } })).map((t) => t.id));
    expect(pages.flat().some((id) => ids.has(id))).toBe(false);
  });
});
