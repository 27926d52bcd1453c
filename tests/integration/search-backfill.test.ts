import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../support/database";

/**
 * The search.backfill job over rows a release before search text wrote (searchText NULL, synced
 * emails as Shopify spelled them): after it, search finds them in any case and accent, emails are
 * lower case, rows the app wrote meanwhile are left as written, and a second pass changes nothing.
 */

type Backfill = typeof import("../../app/services/search/backfill.server");
type Runner = typeof import("../../app/jobs/runner.server");
type Tickets = typeof import("../../app/models/ticket.server");
type Customers = typeof import("../../app/models/customer.server");
type Faq = typeof import("../../app/models/faq.server");
type Prisma = (typeof import("../../app/db.server"))["default"];

const A = "backfill-a.myshopify.com";
const B = "backfill-b.myshopify.com";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "support-desk-search-backfill-"));
const database = await createTestDatabase("backfill");
const databaseUrl = database.url;
let backfill: Backfill;
let runner: Runner;
let tickets: Tickets;
let customers: Customers;
let faq: Faq;
let prisma: Prisma;

const SUBJECTS = ["Beden değişimi", "Şifre sıfırlama", "Ștefan: coletul", "Pakk pole jõudnud", "Agizo langu", "பணம் திரும்ப"];
const OLD_TICKETS = 1_150;

/** A ticket as the release before wrote it: no search text. */
const oldTicket = (shop: string, number: number, subject: string, extra: Record<string, unknown> = {}) =>
  prisma.ticket.create({
    data: {
      shop,
      number,
      subject,
      channel: "storefront",
      customerEmail: `shopper${number}@example.com`,
      customerName: number % 2 ? "İpek Işık" : "Kärt Tamm",
      replyToken: `token-${shop}-${number}`,
      ...extra,
    },
  });

const nullCount = async () =>
  (await prisma.ticket.count({ where: { searchText: null } })) +
  (await prisma.customer.count({ where: { searchText: null } })) +
  (await prisma.faqTranslation.count({ where: { searchText: null } }));

beforeAll(async () => {
  process.env.DATABASE_URL = databaseUrl;
  Object.assign(process.env, { SHOPIFY_API_KEY: "backfill-key", SHOPIFY_API_SECRET: "backfill-secret", SHOPIFY_APP_URL: "http://127.0.0.1:1" });
  backfill = await import("../../app/services/search/backfill.server");
  runner = await import("../../app/jobs/runner.server");
  tickets = await import("../../app/models/ticket.server");
  customers = await import("../../app/models/customer.server");
  faq = await import("../../app/models/faq.server");
  prisma = (await import("../../app/db.server")).default;

  const rows = Array.from({ length: OLD_TICKETS }, (_, i) => ({
    shop: A,
    number: i + 1,
    subject: SUBJECTS[i % SUBJECTS.length],
    channel: "storefront",
    customerEmail: `shopper${i + 1}@example.com`,
    customerName: i % 2 ? "İpek Işık" : "Kärt Tamm",
    replyToken: `token-a-${i + 1}`,
  }));
  await prisma.ticket.createMany({ data: rows });
  await oldTicket(B, 1, "Beden değişimi");
  await oldTicket(A, 5_000, "Erased", { redactedAt: new Date(), customerEmail: null, customerName: null });
  // Written by the app after the upgrade, while the backfill had not reached it: left as written.
  await oldTicket(A, 5_001, "Already folded", { searchText: "written by the app" });

  await prisma.customer.createMany({
    data: [
      { shop: A, shopifyId: "gid://shopify/Customer/1", firstName: "Şükrü", lastName: "Yılmaz", email: "Sukru.Yilmaz@Example.COM.TR" },
      { shop: A, shopifyId: "gid://shopify/Customer/2", firstName: "கமலா", lastName: "சுப்பிரமணியன்", email: "kamala@example.in" },
      { shop: A, shopifyId: "gid://shopify/Customer/3", deletedAt: new Date() },
      { shop: B, shopifyId: "gid://shopify/Customer/1", firstName: "Şükrü", lastName: "Yılmaz-B", email: "Sukru.Yilmaz@Example.COM.TR" },
    ],
  });
  await prisma.order.createMany({
    data: [
      { shop: A, shopifyId: "gid://shopify/Order/1", name: "#1001", email: "Sukru.Yilmaz@Example.COM.TR" },
      { shop: A, shopifyId: "gid://shopify/Order/2", name: "#1002", email: "already@example.com" },
      { shop: B, shopifyId: "gid://shopify/Order/1", name: "#1001", email: "MIXED@Example.com" },
    ],
  });
  const article = await prisma.faqArticle.create({ data: { shop: A } });
  await prisma.faqTranslation.create({
    data: { shop: A, articleId: article.id, locale: "tr", question: "Şifremi unuttum", answer: "Giriş sayfasından sıfırlayın.", answerHtml: "" },
  });
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
  await database.drop();
});

describe("search.backfill", () => {
  it("goes on from where a part stopped, one batch at a time", async () => {
    const before = await nullCount();
    const next = await backfill.backfillFor("Ticket", null, 0, 100);
    expect(next).toMatchObject({ table: "Ticket" });
    expect(await nullCount()).toBe(before - 100);
    const after = await backfill.backfillFor("Ticket", next!.after, 0, 100);
    expect(after!.after! > next!.after!).toBe(true);
    expect(await nullCount()).toBe(before - 200);
  });

  it("queues the next part of its pass when its time is up", async () => {
    const payload = { pass: "pass:test", part: 0, table: "Ticket" as const, after: null };
    await backfill.backfillPart(payload, 0, 50);
    const queued = await prisma.job.findMany({ where: { kind: "search.backfill", shop: backfill.EVERY_SHOP } });
    expect(queued).toHaveLength(1);
    expect(queued[0].key).toBe("pass:test:1");
    expect(JSON.parse(queued[0].payload)).toMatchObject({ pass: "pass:test", part: 1, table: "Ticket" });
    await prisma.job.deleteMany();
  });

  it("a pass through the job runner leaves nothing without search text, and search finds the old rows", async () => {
    await backfill.queueSearchBackfill();
    const worker = runner.createJobRunner({ definitions: [backfill.searchBackfillJob] });
    while ((await worker.runDue()) > 0);
    expect(await prisma.job.count({ where: { kind: "search.backfill", status: { not: "succeeded" } } })).toBe(0);
    expect(await nullCount()).toBe(0);

    const list = (shop: string, q: string) => tickets.listTickets(shop, tickets.InboxParams.parse({ view: "all", q }), "staff-1", new Date(), 250);
    const per = OLD_TICKETS / SUBJECTS.length;
    for (const q of ["beden", "BEDEN", "Beden değişimi", "degisimi"]) expect((await list(A, q)).tickets, q).toHaveLength(Math.ceil(per));
    for (const q of ["sifre", "ŞİFRE"]) expect((await list(A, q)).tickets.length, q).toBeGreaterThan(180);
    expect((await list(A, "stefan")).tickets.length).toBeGreaterThan(180);
    expect((await list(A, "joudnud")).tickets.length).toBeGreaterThan(180);
    expect((await list(A, "திரும்ப")).tickets.length).toBeGreaterThan(180);
    expect((await list(A, "shopper77@EXAMPLE.com")).tickets.map((t) => t.number)).toEqual([77]);
    // Half the tickets are İpek Işık's: a full page of 250.
    for (const q of ["ipek isik", "İPEK IŞIK", "kart tamm"]) expect((await list(A, q)).tickets, q).toHaveLength(250);
    // The other shop's ticket is its own.
    expect((await list(B, "beden")).tickets.map((t) => t.number)).toEqual([1]);
    expect((await list(A, "beden")).tickets.every((t) => t.number <= OLD_TICKETS)).toBe(true);

    const erased = await prisma.ticket.findFirstOrThrow({ where: { shop: A, number: 5_000 } });
    expect(erased.searchText).toBe("");
    const appWritten = await prisma.ticket.findFirstOrThrow({ where: { shop: A, number: 5_001 } });
    expect(appWritten.searchText).toBe("written by the app");

    const found = async (shop: string, query: string) =>
      (await customers.listCustomers(shop, { query })).customers.map((c) => [c.lastName, c.email]);
    expect(await found(A, "sukru yilmaz")).toEqual([["Yılmaz", "sukru.yilmaz@example.com.tr"]]);
    expect(await found(A, "SUKRU.YILMAZ@example.com.tr")).toEqual([["Yılmaz", "sukru.yilmaz@example.com.tr"]]);
    expect(await found(A, "சுப்பிர")).toEqual([["சுப்பிரமணியன்", "kamala@example.in"]]);
    expect(await found(B, "yilmaz")).toEqual([["Yılmaz-B", "sukru.yilmaz@example.com.tr"]]);
    const tamil = await prisma.customer.findFirstOrThrow({ where: { shop: A, shopifyId: "gid://shopify/Customer/2" } });
    expect(tamil.searchText).toBe("கமலா\nசுப்பிரமணியன்\nkamala@example.in");
    expect((await prisma.customer.findFirstOrThrow({ where: { shop: A, shopifyId: "gid://shopify/Customer/3" } })).searchText).toBe("");

    const orders = await prisma.order.findMany({ orderBy: [{ shop: "asc" }, { name: "asc" }], select: { shop: true, email: true } });
    expect(orders.map((o) => o.email)).toEqual(["sukru.yilmaz@example.com.tr", "already@example.com", "mixed@example.com"]);

    const articles = await faq.listArticles(A, { query: "sifremi" });
    expect(articles.articles.map((a) => a.question)).toEqual(["Şifremi unuttum"]);
    expect((await faq.listArticles(A, { query: "GIRIS SAYFASINDAN" })).total).toBe(1);
    expect((await faq.listArticles(B, { query: "sifremi" })).total).toBe(0);
  });

  it("a second pass changes nothing", async () => {
    const snapshot = async () =>
      JSON.stringify([
        await prisma.ticket.findMany({ orderBy: { id: "asc" }, select: { id: true, searchText: true, updatedAt: true } }),
        await prisma.customer.findMany({ orderBy: { id: "asc" } }),
        await prisma.order.findMany({ orderBy: { id: "asc" } }),
        await prisma.faqTranslation.findMany({ orderBy: { id: "asc" } }),
      ]);
    const before = await snapshot();
    await backfill.queueSearchBackfill();
    const worker = runner.createJobRunner({ definitions: [backfill.searchBackfillJob] });
    expect(await worker.runDue()).toBe(1);
    expect(await worker.runDue()).toBe(0);
    expect(await snapshot()).toBe(before);
  });
});
