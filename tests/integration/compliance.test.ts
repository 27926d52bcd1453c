import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SHOP } from "../emulator/index";
import { startStack, type Stack } from "../support/stack";
import { waitFor as waitForCondition } from "../support/wait";

const OTHER_SHOP = "other-desk.myshopify.com";
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ shops: [DEFAULT_SHOP, OTHER_SHOP] });
});

afterAll(async () => {
  await stack?.stop();
});

const waitFor = <T>(read: () => T, done: (value: T) => boolean, timeoutMs = 10_000, label?: string) => waitForCondition(read, done, timeoutMs, label);

const eventStatus = (eventId: string) =>
  stack.query<{ status: string; error: string | null }>('SELECT status, error FROM "WebhookEvent" WHERE eventId = ?', eventId)[0];

async function deliverAndProcess(input: Parameters<Stack["emulator"]["deliverWebhook"]>[0]) {
  const result = await stack.emulator.deliverWebhook(input);
  expect(result.status).toBe(200);
  await waitFor(() => eventStatus(result.eventId), (row) => row?.status === "processed");
  return result;
}

/** Every text cell of every table in the app's database that contains the needle. */
function cellsContaining(needle: string): string[] {
  const tables = stack.database.tables().map((name) => ({ name }));
  const hits: string[] = [];
  for (const { name } of tables) {
    const columns = stack.database.columns(name).map((name) => ({ name }));
    for (const column of columns) {
      const rows = stack.query(`SELECT 1 FROM "${name}" WHERE lower(CAST("${column.name}" AS TEXT)) LIKE lower(?)`, `%${needle}%`);
      if (rows.length > 0) hits.push(`${name}.${column.name}`);
    }
  }
  return hits;
}

// Shopify's library answers bots (Node's fetch among them) with 410: speak as the admin's browser.
const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36";

function adminHeaders(shop: string, extra: Record<string, string> = {}) {
  return { Authorization: `Bearer ${stack.emulator.sessionToken(shop)}`, "User-Agent": BROWSER_UA, ...extra };
}

function authorizedGet(path: string, shop: string) {
  return fetch(`${stack.app.url}${path}`, { headers: adminHeaders(shop) });
}

describe("compliance webhooks", () => {
  const customer = () => stack.emulator.store.shop(DEFAULT_SHOP)!.customers[3];

  it("customers/data_request assembles what the app holds on the customer as a downloadable export", async () => {
    const c = customer();
    const result = await deliverAndProcess({ shop: DEFAULT_SHOP, topic: "customers/data_request", customer: c.email! });
    const [request] = stack.query<{ id: string; status: string; email: string }>(
      'SELECT id, status, email FROM "DataRequest" WHERE shop = ?',
      DEFAULT_SHOP,
    );
    expect(request).toMatchObject({ status: "ready", email: c.email });

    // Through the admin: the export downloads for this shop only.
    const response = await authorizedGet(`/app/privacy/${request.id}/export`, DEFAULT_SHOP);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain("attachment");
    const exported = await response.json();
    expect(exported.customer.email).toBe(c.email);
    expect(exported.data.webhookDeliveries.some((d: { topic: string }) => d.topic === "customers/data_request")).toBe(true);
    expect(result.eventId).toBeTruthy();

    const elsewhere = await authorizedGet(`/app/privacy/${request.id}/export`, OTHER_SHOP);
    expect(elsewhere.status).toBe(404);
  });

  it("a data request delivered many times, concurrently, is answered once", async () => {
    const eventId = crypto.randomUUID();
    const c = stack.emulator.store.shop(DEFAULT_SHOP)!.customers[5];
    const before = stack.query('SELECT id FROM "DataRequest"').length;
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "customers/data_request", customer: c.email!, eventId }),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    await waitFor(() => eventStatus(eventId), (row) => row?.status === "processed");
    expect(stack.query('SELECT id FROM "DataRequest"').length).toBe(before + 1);
  });

  it("customers/redact leaves no trace of the customer's email, phone or ids anywhere, synced records included", async () => {
    const c = customer();
    // The app is open and has synced the shop: the customer and their orders are stored.
    await authorizedGet("/app", DEFAULT_SHOP);
    await waitFor(
      () => stack.query<{ status: string }>(`SELECT status FROM "SyncRun" WHERE shop = ? AND kind = 'bulk'`, DEFAULT_SHOP)[0],
      (run) => run?.status === "succeeded",
      30_000,
    );
    const synced = () =>
      stack.query('SELECT 1 FROM "Customer" WHERE shop = ? AND firstName = ? AND lastName = ?', DEFAULT_SHOP, c.firstName, c.lastName);
    expect(synced().length).toBe(1);
    const orderIds = stack.emulator.store.shop(DEFAULT_SHOP)!.orders.filter((o) => o.customerId === c.id).map((o) => o.id);
    expect(orderIds.length).toBeGreaterThan(0);
    expect(cellsContaining(c.email!)).toEqual(expect.arrayContaining(["Customer.email", "Order.email"]));
    await deliverAndProcess({ shop: DEFAULT_SHOP, topic: "customers/redact", customer: c.email! });

    const legacyId = String(c.legacyResourceId);
    for (const needle of [c.email!, c.phone!, `Customer/${legacyId}`, `"id":${legacyId}`].filter(Boolean)) {
      expect(cellsContaining(needle), `"${needle}" should be gone`).toEqual([]);
    }
    // The name is gone from the synced customer (other customers may share a first or last name).
    expect(synced()).toEqual([]);
    for (const needle of [c.firstName, c.lastName].filter((n): n is string => Boolean(n))) {
      const holders = stack.emulator.store.shop(DEFAULT_SHOP)!.customers.filter((o) => o.id !== c.id && (o.firstName === needle || o.lastName === needle));
      if (holders.length === 0) expect(cellsContaining(needle), `"${needle}" should be gone`).toEqual([]);
    }
    // Their orders keep their totals and statuses for metrics, without contact details or tracking.
    for (const id of orderIds) {
      const [order] = stack.query<{ email: string | null; phone: string | null; redactedAt: string | null }>(
        'SELECT email, phone, redactedAt FROM "Order" WHERE shop = ? AND shopifyId = ?',
        DEFAULT_SHOP,
        id,
      );
      expect(order).toMatchObject({ email: null, phone: null });
      expect(order.redactedAt).not.toBeNull();
    }
    // Anonymous records stay for counts: the request is kept, without who made it.
    const requests = stack.query<{ status: string; email: string | null; export: string | null }>(
      'SELECT status, email, export FROM "DataRequest" WHERE status = ?',
      "redacted",
    );
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((r) => r.email === null && r.export === null)).toBe(true);
  });

  it("an older app/scopes_update arriving late never overwrites a newer one", async () => {
    await authorizedGet("/app", DEFAULT_SHOP); // the shop is installed: its row exists
    const newer = { previous: ["read_orders"], current: ["read_orders", "read_customers"], updated_at: "2026-11-20T10:00:00Z" };
    const older = { previous: [], current: ["read_orders"], updated_at: "2026-11-19T10:00:00Z" };
    await deliverAndProcess({ shop: DEFAULT_SHOP, topic: "app/scopes_update", payload: newer });
    await deliverAndProcess({ shop: DEFAULT_SHOP, topic: "app/scopes_update", payload: older });
    const [shop] = stack.query<{ scopes: string }>('SELECT scopes FROM "Shop" WHERE shop = ?', DEFAULT_SHOP);
    expect(shop.scopes).toBe("read_orders,read_customers");
  });

  it("a delivery written down but not processed before a crash is processed after the restart", async () => {
    await stack.restartApp({ env: { JOB_WORKER: "off" } });
    const result = await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "customers/data_request" });
    expect(result.status).toBe(200);
    // Written down and its job queued (the app's last step for a delivery), with no worker to run it.
    await waitFor(
      () => stack.query<{ status: string }>(`SELECT j.status FROM "Job" j JOIN "WebhookEvent" e ON e.id = j.key AND e.shop = j.shop WHERE e.eventId = ?`, result.eventId),
      (rows) => rows.length === 1 && rows[0].status === "queued",
      10_000,
      "the delivery's job, queued",
    );
    expect(eventStatus(result.eventId)?.status).toBe("received");
    await stack.restartApp({ crash: true });
    await waitFor(() => eventStatus(result.eventId), (row) => row?.status === "processed");
  });

  it("a delivery whose effect keeps failing is retried, then shown as failed, and can be retried by hand", async () => {
    // Not Shopify's shape: the customer is missing, so every attempt fails.
    const result = await stack.emulator.deliverWebhook({
      shop: DEFAULT_SHOP,
      topic: "customers/redact",
      payload: { shop_domain: DEFAULT_SHOP, orders_to_redact: [] },
    });
    expect(result.status).toBe(200);
    const job = await waitFor(
      () => stack.query<{ id: string; status: string; attempts: number; lastError: string }>(
        `SELECT id, status, attempts, lastError FROM "Job" WHERE kind = 'webhook.compliance' AND status = 'dead'`,
      )[0],
      (row) => Boolean(row),
      20_000,
    );
    expect(job.attempts).toBeGreaterThan(1);
    expect(job.lastError).toMatch(/customers\/redact payload/);
    expect(eventStatus(result.eventId)?.status).toBe("failed");

    // The merchant sees it and retries it (it fails again, but the retry ran).
    const form = new URLSearchParams({ intent: "retry", jobId: job.id });
    const retry = await fetch(`${stack.app.url}/app/health?_data=routes%2Fapp.health`, {
      method: "POST",
      body: form,
      headers: adminHeaders(DEFAULT_SHOP, { "Content-Type": "application/x-www-form-urlencoded" }),
    });
    expect(retry.status).toBe(200);
    await waitFor(
      () => stack.query<{ attempts: number; status: string }>('SELECT attempts, status FROM "Job" WHERE id = ?', job.id)[0],
      (row) => row.attempts > job.attempts && row.status === "dead",
      20_000,
    );

    // Another shop cannot retry it.
    const foreign = await fetch(`${stack.app.url}/app/health?_data=routes%2Fapp.health`, {
      method: "POST",
      body: form,
      headers: adminHeaders(OTHER_SHOP, { "Content-Type": "application/x-www-form-urlencoded" }),
    });
    expect(foreign.status).toBe(404);
  });

  it("app/uninstalled removes sessions and stops the shop's work; privacy requests still run", async () => {
    await authorizedGet("/app", OTHER_SHOP);
    expect(stack.query('SELECT id FROM "Session" WHERE shop = ?', OTHER_SHOP).length).toBe(1);
    await deliverAndProcess({ shop: OTHER_SHOP, topic: "app/uninstalled" });
    expect(stack.query('SELECT id FROM "Session" WHERE shop = ?', OTHER_SHOP)).toEqual([]);
    const [shop] = stack.query<{ uninstalledAt: string | null }>('SELECT uninstalledAt FROM "Shop" WHERE shop = ?', OTHER_SHOP);
    expect(shop.uninstalledAt).not.toBeNull();
    // Ordinary work for the uninstalled shop is cancelled, not run…
    const ordinary = await stack.emulator.deliverWebhook({ shop: OTHER_SHOP, topic: "app/scopes_update" });
    expect(ordinary.status).toBe(200);
    const [event] = stack.query<{ id: string }>('SELECT id FROM "WebhookEvent" WHERE eventId = ?', ordinary.eventId);
    await waitFor(
      () => stack.query<{ status: string }>('SELECT status FROM "Job" WHERE key = ?', event.id)[0],
      (job) => job?.status === "cancelled",
    );
    expect(eventStatus(ordinary.eventId)?.status).toBe("received");
    // …while compliance work is still done.
    await deliverAndProcess({ shop: OTHER_SHOP, topic: "customers/data_request" });
  });

  it("shop/redact deletes every row of the shop and nothing of another shop", async () => {
    const tablesWithShop = stack
      .database.tables().map((name) => ({ name }))
      .map((t) => t.name)
      .filter((name) => stack.database.columns(name).map((name) => ({ name })).some((c) => c.name === "shop"));
    expect(tablesWithShop).toEqual(expect.arrayContaining(["Session", "Shop", "WebhookEvent", "Job", "DataRequest"]));
    const otherBefore = Object.fromEntries(
      tablesWithShop.map((t) => [t, stack.query(`SELECT 1 FROM "${t}" WHERE shop = ?`, DEFAULT_SHOP).length]),
    );

    // A job of the shop is running on some worker: it could write again after the erasure, so
    // shop/redact waits (fails and is retried) until it is done, and erases nothing meanwhile.
    const now = new Date().toISOString();
    stack.execute(
      `INSERT INTO "Job" ("id", "shop", "kind", "key", "payload", "status", "attempts", "maxAttempts", "runAt", "lockedAt", "lockedBy", "createdAt", "updatedAt")
       VALUES ('in-flight-job', ?, 'sync.reconcile', 'in-flight', '{}', 'running', 1, 8, ?, ?, 'another-worker', ?, ?)`,
      OTHER_SHOP,
      now,
      now,
      now,
      now,
    );
    const result = await stack.emulator.deliverWebhook({ shop: OTHER_SHOP, topic: "shop/redact" });
    expect(result.status).toBe(200);
    await waitFor(
      () => eventStatus(result.eventId),
      (event) => event?.error === "shop/redact waits for 1 running job of the shop to finish",
      10_000,
      "shop/redact waiting for the running job",
    );
    expect(stack.query(`SELECT 1 FROM "Shop" WHERE shop = ?`, OTHER_SHOP)).toHaveLength(1);
    expect(stack.query(`SELECT 1 FROM "DataRequest" WHERE shop = ?`, OTHER_SHOP).length).toBeGreaterThan(0);
    stack.execute(`UPDATE "Job" SET "status" = 'succeeded', "lockedAt" = NULL, "lockedBy" = NULL WHERE "id" = 'in-flight-job'`);
    await waitFor(
      () => tablesWithShop.map((t) => stack.query(`SELECT 1 FROM "${t}" WHERE shop = ?`, OTHER_SHOP).length),
      (counts) => counts.every((n) => n === 0),
    );
    for (const table of tablesWithShop) {
      expect(stack.query(`SELECT 1 FROM "${table}" WHERE shop = ?`, DEFAULT_SHOP).length, table).toBeGreaterThanOrEqual(
        otherBefore[table] > 0 ? 1 : 0,
      );
    }
  });
});
