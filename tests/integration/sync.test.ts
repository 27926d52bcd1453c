import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SHOP } from "../emulator/index";
import { buildWebhookPayload } from "../emulator/webhook-payloads";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA, waitFor } from "../support/wait";

/**
 * The sync end to end: the built app against the emulator. The first open of the app starts
 * the bulk sync; webhooks keep it current; reconciliation (every 2 s here) catches what no
 * webhook said.
 */

const SHOP = DEFAULT_SHOP;
const FAILING_SHOP = "failing-sync.myshopify.com";
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    shops: [SHOP, FAILING_SHOP],
    // A small bucket that refills fast: throttling binds, yet the suite stays quick.
    bucketSize: 1000,
    restoreRate: 400,
    appEnv: { SYNC_POLL_INTERVAL_MS: "100", SYNC_RECONCILE_INTERVAL_MS: "2000" },
  });
});

afterAll(async () => {
  await stack?.stop();
});

/** Opens the embedded app as the admin would: token exchange, then Shopify's afterAuth hook. */
async function openApp(shop: string) {
  const response = await fetch(`${stack.app.url}/app`, {
    headers: { Authorization: `Bearer ${stack.emulator.sessionToken(shop)}`, "User-Agent": BROWSER_UA },
  });
  expect(response.status).toBe(200);
  return response.text();
}

const count = (table: string, shop = SHOP) => stack.query<{ n: number }>(`SELECT COUNT(*) AS n FROM "${table}" WHERE shop = ?`, shop)[0].n;
const asDate = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string | number).toISOString());

interface RunRow {
  id: string;
  status: string;
  phase: string;
  error: string | null;
  customersTotal: number;
  ordersTotal: number;
  customersSynced: number;
  ordersSynced: number;
}

const bulkRun = (shop: string) => stack.query<RunRow>(`SELECT * FROM "SyncRun" WHERE shop = ? AND kind = 'bulk' ORDER BY startedAt DESC`, shop)[0];

const isoNow = (offsetMs = 0) => new Date(Math.floor((Date.now() + offsetMs) / 1000) * 1000).toISOString().replace(".000Z", "Z");

async function deliver(topic: string, payload: unknown) {
  const result = await stack.emulator.deliverWebhook({ shop: SHOP, topic, payload });
  expect(result.status).toBe(200);
  await waitFor(
    () => stack.query<{ status: string; error: string | null }>('SELECT status, error FROM "WebhookEvent" WHERE eventId = ?', result.eventId)[0],
    (row) => row?.status === "processed" || row?.status === "failed",
    15_000,
    `${topic} processed`,
  );
  return stack.query<{ status: string; error: string | null }>('SELECT status, error FROM "WebhookEvent" WHERE eventId = ?', result.eventId)[0];
}

const payloadFor = (topic: string, extra: Record<string, string> = {}) =>
  buildWebhookPayload(topic, { shop: SHOP, data: stack.emulator.store.shop(SHOP)!, scopes: stack.emulator.config.scopes, now: new Date(), ...extra }) as Record<
    string,
    unknown
  >;

describe("first sync", () => {
  it("imports every customer and order with line items, fulfillment orders and fulfillments, exactly", async () => {
    await openApp(SHOP);
    const run = await waitFor(() => bulkRun(SHOP), (r) => r?.status === "succeeded" || r?.status === "failed", 60_000, "bulk sync");
    expect(run.error).toBeNull();
    expect(run).toMatchObject({ status: "succeeded", phase: "done" });

    const data = stack.emulator.store.shop(SHOP)!;
    expect(run).toMatchObject({
      customersTotal: data.customers.length,
      ordersTotal: data.orders.length,
      customersSynced: data.customers.length,
      ordersSynced: data.orders.length,
    });
    expect(count("Customer")).toBe(data.customers.length);
    expect(count("Order")).toBe(data.orders.length);
    expect(count("OrderLineItem")).toBe(data.orders.reduce((n, o) => n + o.lineItems.length, 0));
    expect(count("FulfillmentOrder")).toBe(data.orders.reduce((n, o) => n + o.fulfillmentOrders.length, 0));
    expect(count("Fulfillment")).toBe(data.orders.reduce((n, o) => n + o.fulfillments.length, 0));
    // Nothing landed in the other shop.
    expect(count("Customer", FAILING_SHOP)).toBe(0);

    // Spot checks, one per language and per kind of record.
    for (const locale of ["en", "sw", "et", "ta", "ro", "tr"]) {
      const c = data.customers.find((x) => x.locale === locale)!;
      const [row] = stack.query<Record<string, unknown>>('SELECT * FROM "Customer" WHERE shop = ? AND shopifyId = ?', SHOP, c.id);
      expect(row, locale).toMatchObject({ firstName: c.firstName, lastName: c.lastName, email: c.email, locale: c.locale });
      expect(asDate(row.shopifyUpdatedAt)).toBe(new Date(c.updatedAt).toISOString());
    }
    const shipped = data.orders.find((o) => o.fulfillments.some((f) => f.trackingInfo.length > 0 && f.estimatedDeliveryAt))!;
    const fulfillment = shipped.fulfillments.find((f) => f.trackingInfo.length > 0 && f.estimatedDeliveryAt)!;
    const [f] = stack.query<Record<string, unknown>>('SELECT * FROM "Fulfillment" WHERE shop = ? AND shopifyId = ?', SHOP, fulfillment.id);
    expect(f).toMatchObject({ orderShopifyId: shipped.id, displayStatus: fulfillment.displayStatus });
    expect(JSON.parse(f.tracking as string)[0]).toEqual(fulfillment.trackingInfo[0]);
    expect(asDate(f.estimatedDeliveryAt)).toBe(new Date(fulfillment.estimatedDeliveryAt!).toISOString());

    const held = data.orders.flatMap((o) => o.fulfillmentOrders).find((fo) => fo.fulfillmentHolds.length > 0)!;
    const [fo] = stack.query<Record<string, unknown>>('SELECT * FROM "FulfillmentOrder" WHERE shop = ? AND shopifyId = ?', SHOP, held.id);
    expect(fo.status).toBe(held.status);
    expect(JSON.parse(fo.holds as string)[0].reason).toBe(held.fulfillmentHolds[0].reason);

    const [order] = stack.query<Record<string, unknown>>('SELECT * FROM "Order" WHERE shop = ? AND shopifyId = ?', SHOP, shipped.id);
    expect(order).toMatchObject({ name: shipped.name, email: shipped.email, customerShopifyId: shipped.customerId, fulfillmentStatus: shipped.displayFulfillmentStatus });
    expect(order.totalPrice).toBe(shipped.totalPrice);
  });

  it("opening the app again does not start another full sync", async () => {
    await openApp(SHOP);
    expect(stack.query(`SELECT id FROM "SyncRun" WHERE shop = ? AND kind = 'bulk'`, SHOP)).toHaveLength(1);
  });

  it("a bulk operation that fails is reported in plain words, on the run and on the home page", async () => {
    stack.emulator.bulk.failNext(FAILING_SHOP, "INTERNAL_SERVER_ERROR");
    await openApp(FAILING_SHOP);
    const run = await waitFor(() => bulkRun(FAILING_SHOP), (r) => r?.status === "failed" || r?.status === "succeeded", 30_000, "failed run");
    expect(run.status).toBe("failed");
    expect(run.error).toMatch(/export of your customers failed on Shopify's side/);
    expect(count("Customer", FAILING_SHOP)).toBe(0);
    const home = await openApp(FAILING_SHOP);
    expect(home).toContain("failed on Shopify&#x27;s side");
  });
});

describe("webhooks after the first sync", () => {
  it("orders/updated applies the change; an older copy delivered late changes nothing", async () => {
    const data = stack.emulator.store.shop(SHOP)!;
    const order = data.orders[10];
    data.updateOrder(order.id, { tags: ["rush"], updatedAt: isoNow(60_000) });
    const current = payloadFor("orders/updated", { order: order.id });
    expect(await deliver("orders/updated", current)).toMatchObject({ status: "processed" });
    const tags = () => stack.query<{ tags: string }>('SELECT tags FROM "Order" WHERE shop = ? AND shopifyId = ?', SHOP, order.id)[0].tags;
    expect(tags()).toBe("rush");

    const stale = { ...current, tags: "stale", updated_at: isoNow(-3_600_000) };
    expect(await deliver("orders/updated", stale)).toMatchObject({ status: "processed" });
    expect(tags()).toBe("rush");
  });

  it("customers/update and customers/delete", async () => {
    const data = stack.emulator.store.shop(SHOP)!;
    const customer = data.customers[7];
    data.updateCustomer(customer.id, { firstName: "Renamed", updatedAt: isoNow(60_000) });
    await deliver("customers/update", payloadFor("customers/update", { customer: customer.id }));
    const row = () => stack.query<Record<string, unknown>>('SELECT * FROM "Customer" WHERE shop = ? AND shopifyId = ?', SHOP, customer.id)[0];
    expect(row().firstName).toBe("Renamed");

    await deliver("customers/delete", payloadFor("customers/delete", { customer: customer.id }));
    expect(row()).toMatchObject({ firstName: null, email: null });
    expect(row().deletedAt).not.toBeNull();
  });

  it("fulfillment_orders/placed_on_hold reads the fulfillment order fresh and stores the hold", async () => {
    const data = stack.emulator.store.shop(SHOP)!;
    const order = data.orders.find((o) => o.fulfillmentOrders.some((fo) => fo.status === "OPEN" && fo.fulfillmentHolds.length === 0))!;
    const fo = order.fulfillmentOrders.find((x) => x.status === "OPEN" && x.fulfillmentHolds.length === 0)!;
    const at = isoNow(60_000);
    data.updateFulfillmentOrder(fo.id, {
      status: "ON_HOLD",
      updatedAt: at,
      fulfillmentHolds: [
        {
          __typename: "FulfillmentHold",
          id: `${fo.id.replace("FulfillmentOrder", "FulfillmentHold")}9`,
          reason: "INVENTORY_OUT_OF_STOCK",
          reasonNotes: "Back in stock next week",
          displayReason: "Inventory out of stock",
          handle: null,
          heldByRequestingApp: false,
        },
      ],
    });
    const outcome = await deliver("fulfillment_orders/placed_on_hold", payloadFor("fulfillment_orders/placed_on_hold", { fulfillmentOrder: fo.id }));
    expect(outcome).toMatchObject({ status: "processed" });
    const [row] = stack.query<{ status: string; holds: string }>('SELECT status, holds FROM "FulfillmentOrder" WHERE shop = ? AND shopifyId = ?', SHOP, fo.id);
    expect(row.status).toBe("ON_HOLD");
    expect(JSON.parse(row.holds)).toEqual([{ reason: "INVENTORY_OUT_OF_STOCK", reasonNotes: "Back in stock next week" }]);
  });

  it("a body that can never apply is recorded as failed with the reason, not retried", async () => {
    const outcome = await deliver("orders/updated", { name: "#9999" });
    expect(outcome.status).toBe("failed");
    expect(outcome.error).toMatch(/orders\/updated: no order id/);
  });
});

describe("reconciliation", () => {
  it("recovers a change no webhook announced, paging under the throttle without a failed request", async () => {
    const data = stack.emulator.store.shop(SHOP)!;
    const before = stack.emulator.graphqlStats(SHOP);
    const customer = data.customers[12];
    const order = data.orders[20];
    const changedAt = Date.now();
    // Changed in Shopify, and nobody told the app.
    data.updateCustomer(customer.id, { lastName: "Missed-Webhook", updatedAt: isoNow(1_000) });
    data.updateOrder(order.id, { tags: ["recovered"], updatedAt: isoNow(1_000) });
    // And every other order moved too (a bulk edit in Shopify's admin, say): many pages to catch up.
    for (const other of data.orders) if (other.id !== order.id) data.updateOrder(other.id, { updatedAt: isoNow(1_000) });

    // A pass that started after the changes has run to its end…
    const passes = () =>
      stack.query<{ status: string; startedAt: string; error: string | null }>(
        `SELECT status, startedAt, customersSynced, ordersSynced, requests, error FROM "SyncRun" WHERE shop = ? AND kind = 'reconcile' ORDER BY startedAt`,
        SHOP,
      );
    await waitFor(
      () => ({
        passes: passes(),
        // Shown if this times out: the pass jobs and what the emulator saw.
        jobs: stack.query(`SELECT status, attempts, runAt, lastError FROM "Job" WHERE shop = ? AND kind = 'sync.reconcile'`, SHOP),
        graphql: stack.emulator.graphqlStats(SHOP),
      }),
      ({ passes }) => passes.some((p) => p.status === "succeeded" && new Date(p.startedAt).getTime() >= changedAt),
      60_000,
      "a reconciliation pass started after the changes",
    );
    expect(passes().filter((p) => p.status === "failed")).toEqual([]);

    // …and brought in what no webhook said.
    expect(stack.query<{ lastName: string }>('SELECT lastName FROM "Customer" WHERE shop = ? AND shopifyId = ?', SHOP, customer.id)[0].lastName).toBe(
      "Missed-Webhook",
    );
    expect(stack.query<{ tags: string }>('SELECT tags FROM "Order" WHERE shop = ? AND shopifyId = ?', SHOP, order.id)[0].tags).toBe("recovered");
    const stale = stack
      .query<{ shopifyId: string; shopifyUpdatedAt: string | number }>(`SELECT shopifyId, shopifyUpdatedAt FROM "Order" WHERE shop = ?`, SHOP)
      .filter((row) => new Date(row.shopifyUpdatedAt).getTime() < changedAt);
    expect(stale).toEqual([]);
    // The pass asked for many times what the bucket holds (1,000 points, 400 a second): the client
    // waited for it to refill before each page, and Shopify never had to refuse a request.
    const after = stack.emulator.graphqlStats(SHOP);
    expect(after.requestedCost - before.requestedCost).toBeGreaterThan(5_000);
    expect(after.throttled).toBe(before.throttled);
    expect(after.throttled).toBe(0);
    // Every sync job did its work on its first attempt: no request failed and needed a retry.
    const retried = stack.query(`SELECT kind, attempts, lastError FROM "Job" WHERE shop = ? AND kind LIKE 'sync.%' AND (attempts > 1 OR status = 'dead')`, SHOP);
    expect(retried).toEqual([]);
  }, 120_000);
});
