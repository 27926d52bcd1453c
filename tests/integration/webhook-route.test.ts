import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { DEV_APP } from "../support/processes";

// The Remix route that serves POST /webhooks under `npm run dev` (server.mjs answers it
// in production): the same verification, recording and answers.
const SHOP = "route-test.myshopify.com";
let action: (args: { request: Request; params: object; context: object }) => Promise<Response>;
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase("route");
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    SHOPIFY_API_KEY: DEV_APP.apiKey,
    SHOPIFY_API_SECRET: DEV_APP.apiSecret,
    SHOPIFY_APP_URL: "http://127.0.0.1:9",
  });
  ({ action } = (await import("../../app/routes/webhooks")) as unknown as { action: typeof action });
});

afterAll(async () => {
  await (await import("../../app/db.server")).default.$disconnect();
  await database.drop();
});

function delivery(body: string, overrides: Record<string, string | null> = {}) {
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "X-Shopify-Topic": "app/scopes_update",
    "X-Shopify-Shop-Domain": SHOP,
    "X-Shopify-Event-Id": crypto.randomUUID(),
    "X-Shopify-Webhook-Id": crypto.randomUUID(),
    "X-Shopify-Hmac-Sha256": crypto.createHmac("sha256", DEV_APP.apiSecret).update(body).digest("base64"),
  };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === null) delete headers[name];
    else headers[name] = value;
  }
  return new Request("http://127.0.0.1:9/webhooks", { method: "POST", body, headers });
}

const call = (request: Request) => action({ request, params: {}, context: {} });

describe("app/routes/webhooks.tsx", () => {
  it("records a signed delivery once and answers 200", async () => {
    const body = JSON.stringify({ current: ["read_orders"], previous: [] });
    const request = delivery(body);
    const eventId = request.headers.get("X-Shopify-Event-Id")!;
    expect((await call(request)).status).toBe(200);
    expect((await call(delivery(body, { "X-Shopify-Event-Id": eventId }))).status).toBe(200);
    const rows = database.query('SELECT topic FROM "WebhookEvent" WHERE eventId = ?', eventId);
    expect(rows).toEqual([{ topic: "app/scopes_update" }]);
  });

  it("answers 401 to a forged signature and 400 to malformed input", async () => {
    expect((await call(delivery("{}", { "X-Shopify-Hmac-Sha256": "Zm9yZ2Vk" }))).status).toBe(401);
    expect((await call(delivery("{}", { "X-Shopify-Hmac-Sha256": null }))).status).toBe(401);
    const notJson = "not json";
    expect((await call(delivery(notJson))).status).toBe(400);
    expect((await call(delivery("{}", { "X-Shopify-Shop-Domain": "evil.example.com" }))).status).toBe(400);
    expect((await call(delivery("{}", { "X-Shopify-Topic": null }))).status).toBe(400);
  });
});
