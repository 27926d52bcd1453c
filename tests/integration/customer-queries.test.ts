import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../support/database";

/** The admin's customer queries over a real SQLite file: search, paging, and one shop never seeing another's. */

type Model = typeof import("../../app/models/customer.server");
type SyncStore = typeof import("../../app/models/sync-store.server");
type Prisma = (typeof import("../../app/db.server"))["default"];

const SHOP = "queries-a.myshopify.com";
const OTHER = "queries-b.myshopify.com";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "support-desk-customer-queries-"));
const database = await createTestDatabase("customers");
const databaseUrl = database.url;
let model: Model;
let syncStore: SyncStore;
let prisma: Prisma;

// One shopper per language (sw, tr, ro, et, ta, en), and a Turkish name with both of Turkish's i's.
const NAMES: [string, string][] = [
  ["Asha", "Mwangi"],
  ["Şükrü", "Yılmaz"],
  ["Ștefan", "Popescu"],
  ["Kärt", "Tamm"],
  ["கமலா", "சுப்பிரமணியன்"],
  ["Olivia", "100%_Real"],
  ["İpek", "Işık"],
];

/** A customer as the sync writes one (the same writer as the bulk export and webhooks). */
async function addCustomer(shop: string, n: number, first: string | null, last: string | null, email = `${first?.toLowerCase()}.${n}@example.com`) {
  await syncStore.upsertCustomers(shop, [
    {
      shopifyId: `gid://shopify/Customer/${n}`,
      firstName: first,
      lastName: last,
      email,
      phone: `+25470000${String(n).padStart(4, "0")}`,
      locale: "en",
      shopifyUpdatedAt: new Date(Date.UTC(2026, 0, 1) + n * 60_000),
    },
  ]);
}

beforeAll(async () => {
  process.env.DATABASE_URL = databaseUrl;
  // The sync writer keys erased customers with the app secret.
  Object.assign(process.env, { SHOPIFY_API_KEY: "queries-key", SHOPIFY_API_SECRET: "queries-secret", SHOPIFY_APP_URL: "http://127.0.0.1:1" });
  model = await import("../../app/models/customer.server");
  syncStore = await import("../../app/models/sync-store.server");
  prisma = (await import("../../app/db.server")).default;
  for (const [i, [first, last]] of NAMES.entries()) await addCustomer(SHOP, i + 1, first, last);
  // 120 more, to page through.
  for (let n = 100; n < 220; n++) await addCustomer(SHOP, n, `Filler${n}`, "Customer");
  // The other shop holds the same Shopify ids and the same names.
  for (const [i, [first, last]] of NAMES.entries()) await addCustomer(OTHER, i + 1, first, `${last}-other`);
  // Shopify keeps the address as the shopper typed it; the sync stores it in lower case.
  await addCustomer(SHOP, 300, "Mart", "Kask", "Mart.Kask@Example.EE");
  await addCustomer(SHOP, 900, "Deleted", "Person");
  await syncStore.markCustomerDeleted(SHOP, "gid://shopify/Customer/900", new Date());
  await addCustomer(SHOP, 901, null, null, "erased.901@example.com");
  await prisma.customer.updateMany({ where: { shop: SHOP, shopifyId: "gid://shopify/Customer/901" }, data: { redactedAt: new Date(), email: null, searchText: "" } });

  await prisma.order.create({
    data: { shop: SHOP, shopifyId: "gid://shopify/Order/1", name: "#1001", customerShopifyId: "gid://shopify/Customer/1", processedAt: new Date("2026-02-01") },
  });
  await prisma.order.create({
    data: { shop: OTHER, shopifyId: "gid://shopify/Order/1", name: "#9001", customerShopifyId: "gid://shopify/Customer/1", processedAt: new Date("2026-02-01") },
  });
  await prisma.fulfillment.create({
    data: {
      shop: SHOP,
      shopifyId: "gid://shopify/Fulfillment/1",
      orderShopifyId: "gid://shopify/Order/1",
      displayStatus: "IN_TRANSIT",
      tracking: JSON.stringify([
        { company: "DHL", number: "JD1", url: "https://track.example/JD1" },
        { company: "Evil", number: "X1", url: "javascript:alert(1)" },
      ]),
    },
  });
  await prisma.fulfillmentOrder.create({
    data: { shop: SHOP, shopifyId: "gid://shopify/FulfillmentOrder/1", orderShopifyId: "gid://shopify/Order/1", status: "ON_HOLD", holds: "not json" },
  });
});

afterAll(async () => {
  await prisma?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
  await database.drop();
});

const names = (rows: { firstName: string | null; lastName: string | null }[]) => rows.map((r) => `${r.firstName} ${r.lastName}`);

describe("listing customers", () => {
  it("searches names, email and phone in any case and with or without accents, in all six languages", async () => {
    const found = async (query: string) => names((await model.listCustomers(SHOP, { query })).customers);
    const variants: [string[], string][] = [
      [["asha MWANGI", "ASHA", "mwangi asha"], "Asha Mwangi"],
      [["Yılmaz", "yilmaz", "YILMAZ", "sukru", "ŞÜKRÜ YILMAZ", "şükrü"], "Şükrü Yılmaz"],
      [["İpek Işık", "ipek isik", "IPEK ISIK", "ışık", "İPEK"], "İpek Işık"],
      // Romanian's comma-below Ș and the cedilla Ş some keyboards type fold alike.
      [["ștefan", "Stefan", "ȘTEFAN", "Ştefan", "ștefan.3@"], "Ștefan Popescu"],
      [["kärt", "KART", "Kärt Tamm", "kart tamm"], "Kärt Tamm"],
      [["சுப்பிர", "கமலா சுப்பிரமணியன்"], "கமலா சுப்பிரமணியன்"],
      [["olivia", "OLIVIA"], "Olivia 100%_Real"],
      [["mart.kask@example.ee", "MART.KASK@EXAMPLE.EE", "Mart.Kask@"], "Mart Kask"],
    ];
    for (const [queries, name] of variants) for (const query of queries) expect(await found(query), query).toEqual([name]);
    expect(await found("+254700000004")).toEqual(["Kärt Tamm"]);
    // Wildcards typed (SQLite's LIKE reads % and _ as such; Prisma does not escape them) only widen a search.
    expect(await found("100%_")).toContain("Olivia 100%_Real");
    expect(await found("nobody-like-this")).toEqual([]);
    // Tamil's vowel signs are marks too: folding keeps them, so a word missing one is another word.
    expect(await found("சுபபிர")).toEqual([]);
  });

  it("stores what Shopify sent as it was, the email in lower case and the search text folded", async () => {
    const tamil = await prisma.customer.findFirstOrThrow({ where: { shop: SHOP, shopifyId: "gid://shopify/Customer/5" } });
    expect([tamil.firstName, tamil.lastName]).toEqual(["கமலா", "சுப்பிரமணியன்"]);
    expect(tamil.searchText).toBe("கமலா\nசுப்பிரமணியன்\nகமலா.5@example.com\n+254700000005");
    const mart = await prisma.customer.findFirstOrThrow({ where: { shop: SHOP, shopifyId: "gid://shopify/Customer/300" } });
    expect([mart.firstName, mart.email, mart.searchText]).toEqual(["Mart", "mart.kask@example.ee", "mart\nkask\nmart.kask@example.ee\n+254700000300"]);
    const deleted = await prisma.customer.findFirstOrThrow({ where: { shop: SHOP, shopifyId: "gid://shopify/Customer/900" } });
    expect([deleted.firstName, deleted.email, deleted.searchText]).toEqual([null, null, ""]);
  });

  it("a webhook that leaves a searched field out keeps the search text true to the stored row", async () => {
    await syncStore.upsertCustomers(SHOP, [{ shopifyId: "gid://shopify/Customer/300", lastName: "Mägi", shopifyUpdatedAt: new Date(Date.UTC(2026, 1, 1)) }]);
    expect(names((await model.listCustomers(SHOP, { query: "magi" })).customers)).toEqual(["Mart Mägi"]);
    expect(names((await model.listCustomers(SHOP, { query: "MART.KASK@" })).customers)).toEqual(["Mart Mägi"]);
    const mart = await prisma.customer.findFirstOrThrow({ where: { shop: SHOP, shopifyId: "gid://shopify/Customer/300" } });
    expect(mart.searchText).toBe("mart\nmagi\nmart.kask@example.ee\n+254700000300");
  });

  it("never lists another shop's customers, deleted ones or erased ones", async () => {
    const all = [];
    let page = await model.listCustomers(SHOP, { take: 250 });
    all.push(...page.customers);
    expect(page.hasNext).toBe(false);
    expect(all).toHaveLength(NAMES.length + 121);
    expect(names(all).some((n) => n.includes("-other") || n.includes("Person"))).toBe(false);
    page = await model.listCustomers(OTHER, { query: "Mwangi" });
    expect(names(page.customers)).toEqual(["Asha Mwangi-other"]);
    // The other shop's copies are never found from this one, in any spelling.
    for (const query of ["other", "MWANGI-OTHER", "yilmaz-other", "சுப்பிரமணியன்-other"]) {
      expect((await model.listCustomers(SHOP, { query })).customers, query).toEqual([]);
    }
    expect(names((await model.listCustomers(OTHER, { query: "sukru" })).customers)).toEqual(["Şükrü Yılmaz-other"]);
    // Deleted and erased customers are found by nothing.
    for (const query of ["deleted", "person", "erased.901"]) expect((await model.listCustomers(SHOP, { query })).customers, query).toEqual([]);
  });

  it("pages forward and back by cursor, every customer exactly once, newest change first", async () => {
    const seen: string[] = [];
    let page = await model.listCustomers(SHOP, { take: 50 });
    expect(page.hasPrevious).toBe(false);
    const pages = [page];
    seen.push(...page.customers.map((c) => c.id));
    while (page.hasNext) {
      page = await model.listCustomers(SHOP, { take: 50, after: page.customers[page.customers.length - 1].id });
      pages.push(page);
      seen.push(...page.customers.map((c) => c.id));
    }
    expect(pages).toHaveLength(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(NAMES.length + 121);
    const times = pages.flatMap((p) => p.customers.map((c) => c.shopifyUpdatedAt!.getTime()));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    // Back from the last page gives the middle page again.
    const back = await model.listCustomers(SHOP, { take: 50, before: pages[2].customers[0].id });
    expect(back.customers.map((c) => c.id)).toEqual(pages[1].customers.map((c) => c.id));
    expect(back.hasPrevious).toBe(true);
    expect(back.hasNext).toBe(true);
  });

  it("ignores a cursor that names no visible customer of this shop", async () => {
    const foreign = await prisma.customer.findFirstOrThrow({ where: { shop: OTHER } });
    const page = await model.listCustomers(SHOP, { take: 10, after: foreign.id });
    expect(page.hasPrevious).toBe(false);
    expect(page.customers).toHaveLength(10);
    expect((await model.listCustomers(SHOP, { take: 10, before: "nonsense" })).customers).toHaveLength(10);
  });
});

describe("one customer", () => {
  it("comes with their orders, holds and http(s) tracking only; malformed JSON is tolerated", async () => {
    const asha = await prisma.customer.findFirstOrThrow({ where: { shop: SHOP, firstName: "Asha" } });
    const found = await model.customerForShop(SHOP, asha.id);
    expect(found?.orders.map((o) => o.name)).toEqual(["#1001"]);
    const [order] = found!.orders;
    expect(order.fulfillments[0].tracking).toEqual([
      { company: "DHL", number: "JD1", url: "https://track.example/JD1" },
      { company: "Evil", number: "X1", url: null },
    ]);
    expect(order.fulfillmentOrders[0]).toMatchObject({ status: "ON_HOLD", holds: [] });
  });

  it("is not found from another shop, nor when deleted or erased", async () => {
    const asha = await prisma.customer.findFirstOrThrow({ where: { shop: SHOP, firstName: "Asha" } });
    expect(await model.customerForShop(OTHER, asha.id)).toBeNull();
    const otherAsha = await prisma.customer.findFirstOrThrow({ where: { shop: OTHER, firstName: "Asha" } });
    const theirs = await model.customerForShop(OTHER, otherAsha.id);
    expect(theirs?.orders.map((o) => o.name)).toEqual(["#9001"]);
    for (const gone of await prisma.customer.findMany({ where: { shop: SHOP, OR: [{ deletedAt: { not: null } }, { redactedAt: { not: null } }] } })) {
      expect(await model.customerForShop(SHOP, gone.id)).toBeNull();
    }
    expect(await model.customerForShop(SHOP, "no-such-id")).toBeNull();
  });

  it("parses holds and keeps notes", () => {
    expect(model.parseHolds(JSON.stringify([{ reason: "INVENTORY_OUT_OF_STOCK", reasonNotes: "Back next week" }, { nope: 1 }, 3]))).toEqual([
      { reason: "INVENTORY_OUT_OF_STOCK", reasonNotes: "Back next week" },
    ]);
    expect(model.safeHttpUrl("data:text/html,hi")).toBeNull();
    expect(model.safeHttpUrl("http://track.example/x")).toBe("http://track.example/x");
  });
});

describe("customer changes from webhooks running side by side", () => {
  const A = "queries-c.myshopify.com";
  const B = "queries-d.myshopify.com";
  const ID = "gid://shopify/Customer/500";
  const at = (minutes: number) => new Date(Date.UTC(2026, 2, 1) + minutes * 60_000);

  it("are written together: copies of one customer leave the newest, each shop its own row", async () => {
    // Made in one turn, as jobs running together make them: one shared write (on PostgreSQL a
    // statement may touch a row only once, so copies of one customer go in turns).
    await Promise.all([
      syncStore.applyCustomerChange(A, { shopifyId: ID, firstName: "Middle", shopifyUpdatedAt: at(2) }),
      syncStore.applyCustomerChange(A, { shopifyId: ID, firstName: "Newest", shopifyUpdatedAt: at(3) }),
      syncStore.applyCustomerChange(B, { shopifyId: ID, firstName: "Other shop", shopifyUpdatedAt: at(1) }),
      syncStore.applyCustomerChange(A, { shopifyId: ID, firstName: "Oldest", shopifyUpdatedAt: at(1) }),
      syncStore.applyCustomerChange(A, { shopifyId: ID, firstName: "Middle again", shopifyUpdatedAt: at(2) }),
    ]);
    const rows = await prisma.customer.findMany({ where: { shopifyId: ID, shop: { in: [A, B] } }, orderBy: { shop: "asc" } });
    expect(rows.map((r) => [r.shop, r.firstName, r.shopifyUpdatedAt?.toISOString()])).toEqual([
      [A, "Newest", at(3).toISOString()],
      [B, "Other shop", at(1).toISOString()],
    ]);
  });

  it("one write naming a customer more than once leaves the newest copy, on either engine", async () => {
    const id = "gid://shopify/Customer/503";
    await syncStore.upsertCustomers(A, [
      { shopifyId: id, firstName: "Second", shopifyUpdatedAt: at(8) },
      { shopifyId: id, firstName: "Third", shopifyUpdatedAt: at(9) },
      { shopifyId: id, firstName: "First", shopifyUpdatedAt: at(7) },
    ]);
    const row = await prisma.customer.findFirstOrThrow({ where: { shop: A, shopifyId: id } });
    expect([row.firstName, row.shopifyUpdatedAt?.toISOString()]).toEqual(["Third", at(9).toISOString()]);
  });

  it("a change the database refuses fails only its own caller", async () => {
    const outcomes = await Promise.allSettled([
      syncStore.applyCustomerChange(A, { shopifyId: "gid://shopify/Customer/501", firstName: "Kept", shopifyUpdatedAt: at(5) }),
      syncStore.applyCustomerChange(A, { shopifyId: null as unknown as string, firstName: "No id", shopifyUpdatedAt: at(5) }),
      syncStore.applyCustomerChange(A, { shopifyId: "gid://shopify/Customer/502", firstName: "Also kept", shopifyUpdatedAt: at(5) }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const kept = await prisma.customer.findMany({ where: { shop: A, shopifyId: { in: ["gid://shopify/Customer/501", "gid://shopify/Customer/502"] } } });
    expect(kept.map((r) => r.firstName).sort()).toEqual(["Also kept", "Kept"]);
  });
});
