import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase } from "../support/database";
import { requestedQueryCost } from "../emulator/graphql/cost";
import * as documents from "../../app/shopify/sync-documents";
import { customerFromWebhook, fulfillmentFromWebhook, orderBundleFromWebhook, type OrderBundle } from "../../app/services/sync/records";
import { createAdminClient, AdminApiError } from "../../app/shopify/admin-client.server";
import { readJsonLines } from "../../app/services/sync/jsonl";

type Store = typeof import("../../app/models/sync-store.server");
type Prisma = (typeof import("../../app/db.server"))["default"];

const SHOP = "records-a.myshopify.com";
const OTHER = "records-b.myshopify.com";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "support-desk-sync-records-"));
const database = await createTestDatabase("sync");
const databaseUrl = database.url;
let store: Store;
let prisma: Prisma;

beforeAll(async () => {
  process.env.DATABASE_URL = databaseUrl;
  Object.assign(process.env, { SHOPIFY_API_KEY: "records-key", SHOPIFY_API_SECRET: "records-secret", SHOPIFY_APP_URL: "http://127.0.0.1:1" });
  store = await import("../../app/models/sync-store.server");
  prisma = (await import("../../app/db.server")).default;
});

afterAll(async () => {
  await prisma?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
  await database.drop();
});

beforeEach(async () => {
  for (const table of ["Customer", "Order", "OrderLineItem", "FulfillmentOrder", "Fulfillment"]) {
    await prisma.$executeRawUnsafe(`DELETE FROM "${table}"`);
  }
});

const customerBody = (updatedAt: string, firstName: string) => ({
  id: 7001,
  admin_graphql_api_id: "gid://shopify/Customer/7001",
  email: "asha@example.com",
  first_name: firstName,
  last_name: "Mwangi",
  phone: "+254700000001",
  tags: "vip, wholesale",
  state: "enabled",
  email_marketing_consent: { state: "subscribed", opt_in_level: "single_opt_in", consent_updated_at: "2026-01-02T10:00:00Z" },
  created_at: "2026-01-01T10:00:00Z",
  updated_at: updatedAt,
});

const orderBody = (updatedAt: string, tags: string, lineTitle = "Kikoi scarf") => ({
  id: 9001,
  admin_graphql_api_id: "gid://shopify/Order/9001",
  name: "#1001",
  order_number: 1001,
  email: "asha@example.com",
  customer: { id: 7001, admin_graphql_api_id: "gid://shopify/Customer/7001" },
  customer_locale: "sw",
  tags,
  financial_status: "paid",
  fulfillment_status: "partial",
  currency: "EUR",
  total_price: "42.50",
  processed_at: "2026-02-01T09:00:00Z",
  created_at: "2026-02-01T09:00:00Z",
  updated_at: updatedAt,
  line_items: [{ id: 1, admin_graphql_api_id: "gid://shopify/LineItem/1", title: lineTitle, variant_title: "Blue", sku: "KS-1", quantity: 2, price: "21.25" }],
  fulfillments: [
    {
      id: 55,
      admin_graphql_api_id: "gid://shopify/Fulfillment/55",
      order_id: 9001,
      name: "#1001-F1",
      status: "success",
      shipment_status: "in_transit",
      tracking_company: "DHL",
      tracking_numbers: ["JD0001"],
      tracking_urls: ["https://track.example/JD0001"],
      created_at: "2026-02-02T09:00:00Z",
      updated_at: updatedAt,
    },
  ],
});

const bundle = (body: Record<string, unknown>): OrderBundle => orderBundleFromWebhook(body)!;

describe("webhook bodies become rows", () => {
  it("maps a REST customer, with tags, consent and ids as gids", () => {
    const row = customerFromWebhook(customerBody("2026-03-01T00:00:00Z", "Asha"))!;
    expect(row).toMatchObject({
      shopifyId: "gid://shopify/Customer/7001",
      firstName: "Asha",
      email: "asha@example.com",
      tags: "vip, wholesale",
      state: "ENABLED",
      emailMarketingState: "SUBSCRIBED",
    });
    expect(row.shopifyUpdatedAt?.toISOString()).toBe("2026-03-01T00:00:00.000Z");
    // Keys the body does not carry stay undefined, so applying it never blanks them.
    expect("locale" in row).toBe(false);
  });

  it("maps a REST order with its line items and fulfillments, statuses as GraphQL spells them", () => {
    const { order, lineItems, fulfillments } = bundle(orderBody("2026-03-01T00:00:00Z", "gift"));
    expect(order).toMatchObject({ name: "#1001", financialStatus: "PAID", fulfillmentStatus: "PARTIALLY_FULFILLED", customerShopifyId: "gid://shopify/Customer/7001" });
    expect(lineItems).toEqual([expect.objectContaining({ shopifyId: "gid://shopify/LineItem/1", orderShopifyId: "gid://shopify/Order/9001", quantity: 2 })]);
    expect(fulfillments[0]).toMatchObject({ displayStatus: "IN_TRANSIT", status: "SUCCESS" });
    expect(JSON.parse(fulfillments[0].tracking!)).toEqual([{ company: "DHL", number: "JD0001", url: "https://track.example/JD0001" }]);
    expect("estimatedDeliveryAt" in fulfillments[0]).toBe(false);
  });

  it("refuses bodies without an id", () => {
    expect(customerFromWebhook({ email: "x@example.com" })).toBeNull();
    expect(orderBundleFromWebhook({ name: "#1" })).toBeNull();
    expect(fulfillmentFromWebhook({ id: 1 })).toBeNull();
  });
});

describe("synced rows: newest wins, per shop", () => {
  const customerRow = (updatedAt: string, firstName: string) => customerFromWebhook(customerBody(updatedAt, firstName))!;
  const firstName = async (shop = SHOP) =>
    (await prisma.customer.findUnique({ where: { shop_shopifyId: { shop, shopifyId: "gid://shopify/Customer/7001" } } }))?.firstName;

  it("an older customer update never overwrites a newer one; an equal one is harmless", async () => {
    await store.upsertCustomers(SHOP, [customerRow("2026-03-02T00:00:00Z", "Newer")]);
    const written = await store.upsertCustomers(SHOP, [customerRow("2026-03-01T00:00:00Z", "Older")]);
    expect(written.size).toBe(0);
    expect(await firstName()).toBe("Newer");
    await store.upsertCustomers(SHOP, [customerRow("2026-03-02T00:00:00Z", "Newer")]);
    await store.upsertCustomers(SHOP, [customerRow("2026-03-03T00:00:00Z", "Newest")]);
    expect(await firstName()).toBe("Newest");
    expect(await prisma.customer.count({ where: { shop: SHOP } })).toBe(1);
  });

  it("a deleted customer stays deleted (personal fields cleared) whatever arrives late", async () => {
    await store.upsertCustomers(SHOP, [customerRow("2026-03-01T00:00:00Z", "Asha")]);
    await store.markCustomerDeleted(SHOP, "gid://shopify/Customer/7001", new Date("2026-03-05T00:00:00Z"));
    await store.upsertCustomers(SHOP, [customerRow("2026-03-04T00:00:00Z", "Late")]);
    const row = await prisma.customer.findFirstOrThrow({ where: { shop: SHOP } });
    expect(row).toMatchObject({ firstName: null, email: null, phone: null });
    expect(row.deletedAt).not.toBeNull();
  });

  it("a customer erased by customers/redact keeps no Shopify id, and no late update or delete brings one back", async () => {
    const personal = await import("../../app/models/synced-personal-data.server");
    await store.upsertCustomers(SHOP, [customerFromWebhook(customerBody("2026-03-01T10:00:00Z", "Asha"))!]);
    await store.applyOrderBundles(SHOP, [bundle(orderBody("2026-03-01T10:00:00Z", ""))]);
    await store.upsertCustomers(OTHER, [customerFromWebhook(customerBody("2026-03-01T10:00:00Z", "Asha"))!]);
    const subject = { customerId: "7001", email: "asha@example.com", phone: null, orderIds: ["9001"] };
    expect(await personal.redactSyncedCustomers(SHOP, subject)).toBe(1);
    expect(await personal.redactSyncedOrders(SHOP, subject)).toBe(1);

    const held = async () => JSON.stringify(await prisma.$queryRawUnsafe(`SELECT * FROM "Customer" WHERE shop = '${SHOP}'`)) + JSON.stringify(await prisma.$queryRawUnsafe(`SELECT * FROM "Order" WHERE shop = '${SHOP}'`));
    for (const trace of ["Customer/7001", "Asha", "Mwangi", "asha@example.com", "+254700000001"]) expect(await held()).not.toContain(trace);

    await store.upsertCustomers(SHOP, [customerFromWebhook(customerBody("2026-04-01T10:00:00Z", "Asha"))!]);
    await store.markCustomerDeleted(SHOP, "gid://shopify/Customer/7001", new Date());
    await store.applyOrderBundles(SHOP, [bundle(orderBody("2026-04-01T10:00:00Z", "late"))]);
    for (const trace of ["Customer/7001", "Asha", "asha@example.com"]) expect(await held()).not.toContain(trace);
    expect(await prisma.customer.count({ where: { shop: SHOP } })).toBe(1);
    // The other shop's customer with the same id is untouched.
    expect(await prisma.customer.findFirst({ where: { shop: OTHER } })).toMatchObject({ shopifyId: "gid://shopify/Customer/7001", firstName: "Asha" });
  });

  it("the same Shopify id in two shops is two records, and one shop's write never touches the other's", async () => {
    await store.upsertCustomers(SHOP, [customerRow("2026-03-01T00:00:00Z", "InA")]);
    await store.upsertCustomers(OTHER, [customerRow("2026-03-09T00:00:00Z", "InB")]);
    await store.markCustomerDeleted(OTHER, "gid://shopify/Customer/7001", new Date());
    expect(await firstName(SHOP)).toBe("InA");
    expect(await prisma.customer.count()).toBe(2);
  });

  it("a stale order leaves its line items alone; a fulfillment update without dates keeps the estimated delivery", async () => {
    await store.applyOrderBundles(SHOP, [bundle(orderBody("2026-03-02T00:00:00Z", "new"))]);
    await prisma.fulfillment.updateMany({ where: { shop: SHOP }, data: { estimatedDeliveryAt: new Date("2026-03-10T00:00:00Z") } });

    const result = await store.applyOrderBundles(SHOP, [bundle(orderBody("2026-03-01T00:00:00Z", "old", "Stale title"))]);
    expect(result.stale).toBe(1);
    const order = await prisma.order.findFirstOrThrow({ where: { shop: SHOP } });
    expect(order.tags).toBe("new");
    expect((await prisma.orderLineItem.findFirstOrThrow({ where: { shop: SHOP } })).title).toBe("Kikoi scarf");

    const delayed = { ...orderBody("2026-03-03T00:00:00Z", "new").fulfillments[0], shipment_status: "delayed" };
    await store.applyFulfillments(SHOP, [fulfillmentFromWebhook(delayed)!]);
    const fulfillment = await prisma.fulfillment.findFirstOrThrow({ where: { shop: SHOP } });
    expect(fulfillment.displayStatus).toBe("DELAYED");
    expect(fulfillment.estimatedDeliveryAt?.toISOString()).toBe("2026-03-10T00:00:00.000Z");
  });

  it("applying the same order many times, concurrently, leaves one row of each", async () => {
    const body = bundle(orderBody("2026-03-02T00:00:00Z", "x"));
    await Promise.all(Array.from({ length: 8 }, () => store.applyOrderBundles(SHOP, [body])));
    expect(await prisma.order.count({ where: { shop: SHOP } })).toBe(1);
    expect(await prisma.orderLineItem.count({ where: { shop: SHOP } })).toBe(1);
    expect(await prisma.fulfillment.count({ where: { shop: SHOP } })).toBe(1);
  });
});

describe("reading a bulk export", () => {
  /** A web stream that is not Node's own class (Remix's fetch polyfill brings another). */
  const foreignStream = (chunks: Uint8Array[]) => {
    let i = 0;
    return { getReader: () => ({ read: async () => (i < chunks.length ? { done: false, value: chunks[i++] } : { done: true }), releaseLock: () => undefined }) };
  };
  const collect = async (body: unknown) => {
    const out: Record<string, unknown>[] = [];
    for await (const line of readJsonLines(body as ReadableStream<Uint8Array>)) out.push(line);
    return out;
  };

  it("yields each line's object however the bytes are cut, from any stream class", async () => {
    const text = '{"id":"gid://shopify/Customer/1","firstName":"Şükrü"}\r\n\n{"id":"gid://shopify/Customer/2","lastName":"சுப்பிரமணியன்"}';
    const bytes = new TextEncoder().encode(text);
    // Cut every 3 bytes: multi-byte letters and the CRLF fall across chunks; no final newline.
    const chunks = Array.from({ length: Math.ceil(bytes.length / 3) }, (_, i) => bytes.slice(i * 3, i * 3 + 3));
    const expected = [
      { id: "gid://shopify/Customer/1", firstName: "Şükrü" },
      { id: "gid://shopify/Customer/2", lastName: "சுப்பிரமணியன்" },
    ];
    expect(await collect(foreignStream(chunks))).toEqual(expected);
    expect(await collect(new Blob([bytes]).stream())).toEqual(expected);
  });

  it("stops at a truncated line with its number", async () => {
    const bytes = new TextEncoder().encode('{"id":"gid://shopify/Order/1"}\n{"id":"gid://shopify/Or');
    await expect(collect(foreignStream([bytes]))).rejects.toThrow(/line 2 of the bulk export is not JSON/);
  });
});

describe("sync queries", () => {
  it("reconciliation looks two minutes behind its cursor, in Shopify's search syntax", async () => {
    const { changedSince } = await import("../../app/services/sync/reconcile.server");
    expect(changedSince(null)).toBeNull();
    expect(changedSince(new Date("2026-11-24T10:00:00.500Z"))).toBe("updated_at:>='2026-11-24T09:58:00Z'");
  });

  it("every page and refresh stays under Shopify's 1,000-point ceiling per query", () => {
    const pages: [string, string, Record<string, unknown>][] = [
      ["customers page", documents.CUSTOMERS_PAGE_QUERY, { first: documents.CUSTOMERS_PAGE_SIZE }],
      [
        "orders page",
        documents.ORDERS_PAGE_QUERY,
        { first: documents.ORDERS_PAGE_SIZE, lineItems: documents.ORDER_LINE_ITEMS_LIMIT, children: documents.ORDER_CHILDREN_LIMIT },
      ],
      [
        "order refresh",
        documents.ORDER_REFRESH_QUERY,
        { id: "gid://shopify/Order/1", lineItems: documents.REFRESH_LINE_ITEMS_LIMIT, children: documents.ORDER_CHILDREN_LIMIT },
      ],
    ];
    for (const [name, source, variables] of pages) {
      const cost = requestedQueryCost(source, variables);
      expect(cost, name).toBeLessThanOrEqual(1000);
      expect(cost, `${name} uses most of what one query may cost`).toBeGreaterThan(300);
    }
  });
});

describe("the throttle-aware Admin client", () => {
  const cost = (available: number, requested = 100) => ({
    cost: { requestedQueryCost: requested, actualQueryCost: requested, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: available, restoreRate: 50 } },
  });
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

  function scripted(answers: (() => Response)[]) {
    const sleeps: number[] = [];
    let calls = 0;
    const client = createAdminClient({
      shop: SHOP,
      accessToken: "t",
      fetch: (async () => answers[Math.min(calls++, answers.length - 1)]()) as typeof fetch,
      sleep: async (ms) => void sleeps.push(ms),
      backoffBaseMs: 10,
    });
    return { client, sleeps, calls: () => calls };
  }

  it("waits for the bucket and retries a THROTTLED answer instead of failing", async () => {
    const { client, sleeps, calls } = scripted([
      () => json({ errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }], extensions: cost(20) }),
      () => json({ data: { shop: { name: "A" } }, extensions: cost(900) }),
    ]);
    await expect(client.request("query Shop { shop { name } }")).resolves.toEqual({ shop: { name: "A" } });
    expect(calls()).toBe(2);
    expect(client.stats.throttled).toBe(1);
    // 80 points missing at 50 a second: about 1.6 s.
    expect(sleeps[0]).toBeGreaterThanOrEqual(1600);
    expect(sleeps[0]).toBeLessThan(1700);
  });

  it("waits before a request it expects the bucket cannot pay for", async () => {
    const { client, sleeps } = scripted([() => json({ data: { shop: { name: "A" } }, extensions: cost(10, 100) })]);
    await client.request("query Shop { shop { name } }");
    expect(sleeps).toEqual([]);
    await client.request("query Shop { shop { name } }");
    expect(sleeps.length).toBe(1);
    expect(sleeps[0]).toBeGreaterThan(1700); // 90 points at 50/s, less the instants that passed
  });

  it("retries a 5xx with backoff, and names a refused token plainly", async () => {
    const flaky = scripted([() => json({ errors: "oops" }, 503), () => json({ data: { ok: 1 }, extensions: cost(900) })]);
    await expect(flaky.client.request("query Ok { shop { name } }")).resolves.toEqual({ ok: 1 });
    expect(flaky.sleeps).toEqual([10]);

    const refused = scripted([() => json({ errors: "[API] Invalid API key or access token" }, 401)]);
    await expect(refused.client.request("query Ok { shop { name } }")).rejects.toThrow(AdminApiError);
    await expect(refused.client.request("query Ok { shop { name } }")).rejects.toThrow(/access token was refused/);
  });

  it("reports GraphQL errors with the operation's name", async () => {
    const { client } = scripted([() => json({ errors: [{ message: "Field 'nope' doesn't exist on type 'Shop'" }], extensions: cost(900) })]);
    await expect(client.request("query Broken { shop { nope } }")).rejects.toThrow(/^Broken: Field 'nope'/);
  });
});
