import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SHOP } from "../emulator/index";
import { DEV_APP } from "../support/processes";
import { startStack, type Stack } from "../support/stack";
import { waitFor } from "../support/wait";

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
});

interface EventRow {
  topic: string;
  eventId: string;
  status: string;
  shop: string;
}

const events = (eventId: string) =>
  stack.query<EventRow>('SELECT topic, eventId, status, shop FROM "WebhookEvent" WHERE eventId = ?', eventId);

async function postRaw(body: string, headers: Record<string, string>) {
  const response = await fetch(`${stack.app.url}/webhooks`, { method: "POST", body, headers });
  return { status: response.status, text: await response.text() };
}

describe("webhooks signed like Shopify's", () => {
  it("accepts a signed delivery, writes it down and processes it", async () => {
    const result = await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "app/scopes_update" });
    expect(result.status).toBe(200);
    const rows = await waitFor(() => events(result.eventId), (r) => r[0]?.status === "processed");
    expect(rows).toEqual([{ topic: "app/scopes_update", eventId: result.eventId, status: "processed", shop: DEFAULT_SHOP }]);
  });

  it("refuses a forged delivery with 401 and stores nothing", async () => {
    const result = await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "app/uninstalled", forgeSignature: true });
    expect(result.status).toBe(401);
    expect(events(result.eventId)).toEqual([]);
  });

  it("stores one row for an event delivered many times, concurrently", async () => {
    const eventId = crypto.randomUUID();
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "customers/data_request", eventId }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(events(eventId)).toHaveLength(1);
    const again = await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "customers/data_request", eventId });
    expect(again.status).toBe(200);
    expect(events(eventId)).toHaveLength(1);
  });

  it("answers 400, not 500, to a signed body that is not JSON", async () => {
    const body = "{not json";
    const hmac = crypto.createHmac("sha256", DEV_APP.apiSecret).update(body).digest("base64");
    const eventId = crypto.randomUUID();
    const result = await postRaw(body, {
      "Content-Type": "application/json",
      "X-Shopify-Hmac-Sha256": hmac,
      "X-Shopify-Topic": "app/uninstalled",
      "X-Shopify-Shop-Domain": DEFAULT_SHOP,
      "X-Shopify-Event-Id": eventId,
      "X-Shopify-Webhook-Id": crypto.randomUUID(),
    });
    expect(result.status).toBe(400);
    expect(result.text).toMatch(/not valid JSON/);
    expect(events(eventId)).toEqual([]);
  });

  it("answers 400 to a signed delivery without a shop domain", async () => {
    const body = "{}";
    const hmac = crypto.createHmac("sha256", DEV_APP.apiSecret).update(body).digest("base64");
    const result = await postRaw(body, {
      "X-Shopify-Hmac-Sha256": hmac,
      "X-Shopify-Topic": "app/uninstalled",
      "X-Shopify-Event-Id": crypto.randomUUID(),
    });
    expect(result.status).toBe(400);
  });

  it("refuses GET", async () => {
    const response = await fetch(`${stack.app.url}/webhooks`);
    expect(response.status).toBe(405);
  });

  it("app/uninstalled removes the shop's sessions and keeps its data", async () => {
    // A session, as token exchange would have stored it.
    stack.execute(
      `INSERT INTO "Session" (id, shop, state, isOnline, accessToken) VALUES (?, ?, '', false, ?)`,
      `offline_${DEFAULT_SHOP}`,
      DEFAULT_SHOP,
      stack.emulator.accessTokenFor(DEFAULT_SHOP),
    );
    stack.execute(`INSERT INTO "Shop" (shop, name, installedAt, updatedAt) VALUES (?, 'Demo', ?, ?)`, DEFAULT_SHOP, new Date().toISOString(), new Date().toISOString());

    const result = await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "app/uninstalled" });
    expect(result.status).toBe(200);
    await waitFor(() => events(result.eventId), (r) => r[0]?.status === "processed");
    expect(stack.query('SELECT id FROM "Session" WHERE shop = ?', DEFAULT_SHOP)).toEqual([]);
    const [shop] = stack.query<{ uninstalledAt: string | null }>('SELECT uninstalledAt FROM "Shop" WHERE shop = ?', DEFAULT_SHOP);
    expect(shop.uninstalledAt).not.toBeNull();
  });
});
