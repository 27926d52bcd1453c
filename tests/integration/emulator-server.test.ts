/**
 * The local Shopify emulator against a tiny stand-in app: signatures and tokens are checked
 * independently (node:crypto) and with Shopify's own Node library, which is what the app uses.
 */
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, LogSeverity, RequestedTokenType, shopifyApi } from "@shopify/shopify-api";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../emulator/index";
import { signJwt } from "../emulator/auth";
import { verifyProxyQuery } from "../emulator/app-proxy";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const API_KEY = "support-desk-local-client-id";
const API_SECRET = "support-desk-local-secret";
const SHOP = "support-desk-demo.myshopify.com";
const SCOPES =
  "read_customers,read_orders,write_orders,read_assigned_fulfillment_orders,read_merchant_managed_fulfillment_orders,read_third_party_fulfillment_orders,write_app_proxy";

interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The stand-in app: records every request; answers webhooks, proxy calls and a tiny embedded page. */
function startFakeApp(emulatorUrl: () => string) {
  const requests: Recorded[] = [];
  let webhookStatus = 200;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      const url = new URL(req.url ?? "/", "http://app.invalid");
      if (url.pathname === "/webhooks") {
        res.writeHead(webhookStatus).end(webhookStatus === 200 ? "" : "rejected");
      } else if (url.pathname.startsWith("/proxy")) {
        res.writeHead(200, { "Content-Type": "application/json", "Set-Cookie": "secret=1" });
        res.end(JSON.stringify({ path: url.pathname, method: req.method, body }));
      } else if (url.pathname === "/api/echo") {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ authorization: req.headers.authorization ?? null }));
      } else if (url.pathname === "/auth/session-token") {
        // What shopify-app-remix's bounce page renders: only the App Bridge script.
        res.writeHead(200, { "Content-Type": "text/html" });
        res.end(`<script data-api-key="${API_KEY}" src="${emulatorUrl()}/cdn/app-bridge.js"></script>`);
      } else if (url.pathname.startsWith("/app")) {
        res.writeHead(200, { "Content-Type": "text/html" });
        res.end(`<!doctype html><html><head>
<script data-api-key="${API_KEY}" src="${emulatorUrl()}/cdn/app-bridge.js"></script></head><body>
<ui-nav-menu><a href="/app" rel="home">Home</a><a href="/app/tickets">Tickets</a><a href="/app/faq">FAQ</a></ui-nav-menu>
<ui-title-bar title="Inbox"><button variant="primary" onclick="window.__created = true">New ticket</button></ui-title-bar>
<ui-save-bar id="bar"><button variant="primary" onclick="window.__saved = (window.__saved || 0) + 1">Save</button>
<button onclick="window.__discarded = true">Discard</button></ui-save-bar>
<p id="path">${url.pathname}</p>
<script>addEventListener("shopify:navigate", (e) => { window.__navigated = e.target.getAttribute("href"); });</script>
</body></html>`);
      } else {
        res.writeHead(404).end();
      }
    });
  });
  return {
    requests,
    setWebhookStatus: (status: number) => (webhookStatus = status),
    server,
    async listen(): Promise<string> {
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function hmacHex(message: string, secret = API_SECRET) {
  return createHmac("sha256", secret).update(message).digest("hex");
}

function decodeJwtPart(token: string, index: number): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[index], "base64url").toString("utf8"));
}

let emulator: Emulator;
let app: ReturnType<typeof startFakeApp>;
let appUrl: string;
const shopify = shopifyApi({
  apiKey: API_KEY,
  apiSecretKey: API_SECRET,
  hostName: "127.0.0.1",
  hostScheme: "http",
  apiVersion: ApiVersion.October26,
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error, log: async () => {} },
});

beforeAll(async () => {
  app = startFakeApp(() => emulator.url);
  appUrl = await app.listen();
  emulator = await startEmulator({ port: 0, apiKey: API_KEY, apiSecret: API_SECRET, appUrl });
});

afterAll(async () => {
  await emulator?.close();
  await app?.close();
});

beforeEach(() => {
  app.requests.length = 0;
  app.setWebhookStatus(200);
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${emulator.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

describe("session tokens", () => {
  it("are HS256 JWTs signed with the client secret carrying Shopify's claims", async () => {
    const token = emulator.sessionToken(SHOP);
    const [header, payload, signature] = token.split(".");
    expect(createHmac("sha256", API_SECRET).update(`${header}.${payload}`).digest("base64url")).toBe(signature);
    expect(decodeJwtPart(token, 0)).toEqual({ alg: "HS256", typ: "JWT" });

    const claims = await shopify.session.decodeSessionToken(token);
    expect(claims).toMatchObject({ iss: `https://${SHOP}/admin`, dest: `https://${SHOP}`, aud: API_KEY });
    expect(claims.sub).toMatch(/^\d+$/);
    expect(claims.exp - claims.iat).toBe(60);
    expect(claims.nbf).toBe(claims.iat);
    expect(Math.abs(claims.iat - Date.now() / 1000)).toBeLessThan(5);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof claims.sid).toBe("string");
    expect(emulator.sessionToken(SHOP, { userId: 42 })).not.toBe(token);
    expect((await shopify.session.decodeSessionToken(emulator.sessionToken(SHOP, { userId: 42 }))).sub).toBe("42");
  });
});

describe("token exchange", () => {
  const exchange = (subjectToken: string, overrides: Record<string, unknown> = {}, shop = SHOP) =>
    post(
      "/admin/oauth/access_token",
      {
        client_id: API_KEY,
        client_secret: API_SECRET,
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: subjectToken,
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
        requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
        ...overrides,
      },
      { "X-Shopify-Shop-Domain": shop },
    );

  it("gives the deterministic offline token and the toml's scopes", async () => {
    const result = await exchange(emulator.sessionToken(SHOP));
    expect(result.status).toBe(200);
    const expected = `shpat_${hmacHex(`offline:${SHOP}`).slice(0, 32)}`;
    expect(result.body).toEqual({ access_token: expected, scope: SCOPES });
    expect(emulator.accessTokenFor(SHOP)).toBe(expected);
  });

  it("gives an online token with the associated staff member", async () => {
    const result = await exchange(emulator.sessionToken(SHOP), {
      requested_token_type: "urn:shopify:params:oauth:token-type:online-access-token",
    });
    expect(result.status).toBe(200);
    expect(result.body.access_token).toMatch(/^shpua_[0-9a-f]{32}$/);
    expect(result.body).toMatchObject({ scope: SCOPES, associated_user_scope: SCOPES, expires_in: expect.any(Number) });
    expect(Object.keys(result.body.associated_user).sort()).toEqual(
      ["account_owner", "collaborator", "email", "email_verified", "first_name", "id", "last_name", "locale"].sort(),
    );
  });

  it("rejects a session token signed with another secret, expired, or for another shop", async () => {
    const claims = decodeJwtPart(emulator.sessionToken(SHOP), 1);
    const forged = signJwt(claims, "not-the-secret");
    const invalid = { error: "invalid_subject_token", error_description: expect.any(String) };
    expect(await exchange(forged)).toMatchObject({ status: 400, body: invalid });
    const now = Math.floor(Date.now() / 1000);
    const expired = signJwt({ ...claims, exp: now - 30, nbf: now - 90, iat: now - 90 }, API_SECRET);
    expect(await exchange(expired)).toMatchObject({ status: 400, body: invalid });
    const otherShop = signJwt({ ...claims, dest: "https://other-shop.myshopify.com" }, API_SECRET);
    expect(await exchange(otherShop)).toMatchObject({ status: 400, body: invalid });
  });

  it("rejects a wrong client secret and an unknown shop", async () => {
    const wrongSecret = await exchange(emulator.sessionToken(SHOP), { client_secret: "wrong" });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body.error).toBe("invalid_client");
    const unknown = await exchange(emulator.sessionToken("nowhere.myshopify.com"), {}, "nowhere.myshopify.com");
    expect(unknown.status).toBe(404);
  });

  it("works through Shopify's own library with the app's admin-origin rewrite", async () => {
    // What app/shopify/admin-origin.server.ts does: https://<shop>/… → the emulator, shop in a header.
    setAbstractFetchFunc(async (input, init) => {
      const url = new URL(String(input));
      const headers = new Headers(init?.headers);
      headers.set("X-Shopify-Shop-Domain", url.hostname);
      return fetch(`${emulator.url}${url.pathname}${url.search}`, { ...init, headers });
    });
    const offline = await shopify.auth.tokenExchange({
      shop: SHOP,
      sessionToken: emulator.sessionToken(SHOP),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
    });
    expect(offline.session.accessToken).toBe(emulator.accessTokenFor(SHOP));
    expect(offline.session.scope).toBe(SCOPES);
    const online = await shopify.auth.tokenExchange({
      shop: SHOP,
      sessionToken: emulator.sessionToken(SHOP),
      requestedTokenType: RequestedTokenType.OnlineAccessToken,
    });
    expect(online.session.isOnline).toBe(true);
    expect(online.session.onlineAccessInfo?.associated_user.email).toContain("@");
  });
});

describe("Admin GraphQL endpoint", () => {
  const graphql = (body: string, headers: Record<string, string>, version = "2026-10") =>
    fetch(`${emulator.url}/admin/api/${version}/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Shop-Domain": SHOP, ...headers },
      body,
    });
  const query = JSON.stringify({ query: "{ shop { name myshopifyDomain } }" });

  it("answers 401 without a valid access token", async () => {
    const attempts: Record<string, string>[] = [{}, { "X-Shopify-Access-Token": "shpat_wrong" }];
    for (const headers of attempts) {
      const response = await graphql(query, headers);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
      });
    }
  });

  it("answers 404 for an unknown version or shop and 400 for a body that is not JSON", async () => {
    const token = { "X-Shopify-Access-Token": emulator.accessTokenFor(SHOP) };
    expect((await graphql(query, token, "2019-13")).status).toBe(404);
    expect((await graphql(query, { ...token, "X-Shopify-Shop-Domain": "nowhere.myshopify.com" })).status).toBe(404);
    expect((await graphql("{not json", token)).status).toBe(400);
  });

  it("serves data with the offline token", async () => {
    const response = await graphql(query, { "X-Shopify-Access-Token": emulator.accessTokenFor(SHOP) });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.data.shop.myshopifyDomain).toBe(SHOP);
    expect(body.data.shop.name).toBe(emulator.store.shop(SHOP)?.info.name);
  });
});

describe("webhooks", () => {
  it("are delivered to the toml's URI with Shopify's headers and a valid HMAC", async () => {
    const triggeredAt = new Date("2026-11-20T10:00:00Z");
    const result = await emulator.deliverWebhook({ shop: SHOP, topic: "app/uninstalled", triggeredAt });
    expect(result.status).toBe(200);
    expect(app.requests).toHaveLength(1);
    const [request] = app.requests;
    expect(request.method).toBe("POST");
    expect(request.url).toBe("/webhooks");
    const h = request.headers;
    expect(h["content-type"]).toBe("application/json");
    expect(h["user-agent"]).toBe("Shopify-Captain-Hook");
    expect(h["x-shopify-topic"]).toBe("app/uninstalled");
    expect(h["x-shopify-shop-domain"]).toBe(SHOP);
    expect(h["x-shopify-api-version"]).toBe("2026-10");
    expect(h["x-shopify-webhook-id"]).toBe(result.webhookId);
    expect(h["x-shopify-event-id"]).toBe(result.eventId);
    expect(result.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(h["x-shopify-triggered-at"]).toBe(triggeredAt.toISOString());
    const expectedHmac = createHmac("sha256", API_SECRET).update(request.body).digest("base64");
    expect(h["x-shopify-hmac-sha256"]).toBe(expectedHmac);

    const payload = JSON.parse(request.body);
    const info = emulator.store.shop(SHOP)!.info;
    expect(payload).toMatchObject({ id: info.legacyResourceId, name: info.name, myshopify_domain: SHOP, email: info.email });
  });

  it("sign with a wrong key when forged and reuse a given event id", async () => {
    const result = await emulator.deliverWebhook({ shop: SHOP, topic: "shop/redact", forgeSignature: true, eventId: "evt-1" });
    const [request] = app.requests;
    expect(result.eventId).toBe("evt-1");
    expect(request.headers["x-shopify-event-id"]).toBe("evt-1");
    expect(request.headers["x-shopify-hmac-sha256"]).not.toBe(createHmac("sha256", API_SECRET).update(request.body).digest("base64"));
    expect(JSON.parse(request.body)).toEqual({ shop_id: emulator.store.shop(SHOP)!.info.legacyResourceId, shop_domain: SHOP });
  });

  it("build compliance payloads from the store's customers and orders", async () => {
    const data = emulator.store.shop(SHOP)!;
    const customer = data.customers.find((c) => data.ordersForCustomer(c.id).length > 0 && c.email)!;
    await emulator.deliverWebhook({ shop: SHOP, topic: "customers/redact", customer: customer.email! });
    expect(JSON.parse(app.requests[0].body)).toEqual({
      shop_id: data.info.legacyResourceId,
      shop_domain: SHOP,
      customer: { id: customer.legacyResourceId, email: customer.email, phone: customer.phone },
      orders_to_redact: data.ordersForCustomer(customer.id).map((o) => o.legacyResourceId),
    });
    await emulator.deliverWebhook({ shop: SHOP, topic: "customers/data_request", customer: String(customer.legacyResourceId) });
    expect(JSON.parse(app.requests[1].body)).toMatchObject({
      customer: { id: customer.legacyResourceId },
      orders_requested: data.ordersForCustomer(customer.id).map((o) => o.legacyResourceId),
      data_request: { id: expect.any(Number) },
    });
  });

  it("refuse topics the toml does not subscribe to and report the app's answer", async () => {
    await expect(emulator.deliverWebhook({ shop: SHOP, topic: "products/create", payload: {} })).rejects.toThrow(/does not subscribe/);
    app.setWebhookStatus(401);
    const result = await emulator.deliverWebhook({ shop: SHOP, topic: "app/scopes_update" });
    expect(result).toMatchObject({ status: 401, body: "rejected" });
    expect(JSON.parse(app.requests[0].body)).toMatchObject({ current: SCOPES.split(","), shop_id: expect.stringMatching(/^gid:/) });
  });

  it("are triggered over the control API and by the CLI", async () => {
    const viaApi = await post("/emulator/webhooks", { topic: "app/uninstalled" });
    expect(viaApi.status).toBe(200);
    expect(viaApi.body).toMatchObject({ status: 200, topic: "app/uninstalled" });
    expect((await post("/emulator/webhooks", "{oops")).status).toBe(400);
    expect((await post("/emulator/webhooks", { topic: "products/create" })).status).toBe(422);

    app.requests.length = 0;
    const cli = await runCli(["trigger", "app/uninstalled", "--emulator", emulator.url, "--event-id", "cli-event"]);
    expect(cli.stderr).toBe("");
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/status:\s+200/);
    expect(app.requests).toHaveLength(1);
    expect(app.requests[0].headers["x-shopify-event-id"]).toBe("cli-event");

    const refused = await runCli(["trigger", "products/create", "--emulator", emulator.url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/does not subscribe/);
  }, 60_000);

  it("CLI: trigger finds an emulator on another port through EMULATOR_PORT, and names the URL it tried when none answers", async () => {
    const port = new URL(emulator.url).port;
    app.requests.length = 0;
    const delivered = await runCli(["trigger", "app/scopes_update"], { EMULATOR_PORT: port });
    expect(delivered.stderr).toBe("");
    expect(delivered.code).toBe(0);
    expect(delivered.stdout).toMatch(/Delivered app\/scopes_update/);
    expect(app.requests.some((r) => r.headers["x-shopify-topic"] === "app/scopes_update")).toBe(true);

    const closed = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, "127.0.0.1", () => {
        const free = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(free));
      });
    });
    const nobody = await runCli(["trigger", "app/scopes_update"], { EMULATOR_PORT: String(closed) });
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain(`No emulator answered at http://127.0.0.1:${closed}`);
    expect(nobody.stderr).toContain("the URL came from EMULATOR_PORT");
  }, 60_000);
});

function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", "tests/emulator/cli.ts", ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, SHOPIFY_EMULATOR_URL: "", EMULATOR_PORT: "", NODE_OPTIONS: "", npm_config_loglevel: "silent", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr: stderr.replace(/^npm warn.*\n/gm, "") }));
  });
}

describe("App Proxy", () => {
  it("signs like Shopify: sorted key=value pairs, arrays joined with commas, hex HMAC", () => {
    const signed = emulator.signProxyQuery(SHOP, { q: "late order", extra: ["1", "2"] }, "42");
    expect(signed.get("shop")).toBe(SHOP);
    expect(signed.get("logged_in_customer_id")).toBe("42");
    expect(signed.get("path_prefix")).toBe("/apps/support");
    expect(signed.getAll("extra")).toEqual(["1", "2"]);
    const timestamp = signed.get("timestamp")!;
    const message = `extra=1,2logged_in_customer_id=42path_prefix=/apps/supportq=late ordershop=${SHOP}timestamp=${timestamp}`;
    expect(signed.get("signature")).toBe(hmacHex(message));
    expect(verifyProxyQuery(signed, API_SECRET)).toBe(true);

    const tampered = new URLSearchParams(signed);
    tampered.set("logged_in_customer_id", "43");
    expect(verifyProxyQuery(tampered, API_SECRET)).toBe(false);
    expect(verifyProxyQuery(signed, "another-secret")).toBe(false);
  });

  it("passes Shopify's library check, anonymous shoppers included", async () => {
    const signed = emulator.signProxyQuery(SHOP, { q: "hello" });
    expect(signed.get("logged_in_customer_id")).toBe("");
    expect(await shopify.utils.validateHmac(Object.fromEntries(signed), { signator: "appProxy" })).toBe(true);
  });

  it("forwards storefront requests to the app's proxy URL with a valid signature", async () => {
    const response = await fetch(`${emulator.url}/storefront/support-desk-demo/apps/support/faq/search?q=shipping&tag=a&tag=b`, {
      headers: { "X-Emulator-Customer-Id": "7", Cookie: "_session=abc" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await response.json()).toMatchObject({ path: "/proxy/faq/search", method: "GET" });
    const [request] = app.requests;
    const url = new URL(request.url, "http://app.invalid");
    expect(url.pathname).toBe("/proxy/faq/search");
    expect(url.searchParams.get("q")).toBe("shipping");
    expect(url.searchParams.getAll("tag")).toEqual(["a", "b"]);
    expect(url.searchParams.get("logged_in_customer_id")).toBe("7");
    expect(request.headers.cookie).toBeUndefined();
    expect(verifyProxyQuery(url.searchParams, API_SECRET)).toBe(true);
    expect(await shopify.utils.validateHmac(url.searchParams as never, { signator: "appProxy" })).toBe(true);

    const posted = await fetch(`${emulator.url}/storefront/support-desk-demo/apps/support/tickets`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ message: "Where is my order?" }),
    });
    expect(await posted.json()).toMatchObject({ method: "POST", body: JSON.stringify({ message: "Where is my order?" }) });
    expect(app.requests[1].headers["content-type"]).toBe("application/json");
    expect(new URL(app.requests[1].url, "http://x").searchParams.get("logged_in_customer_id")).toBe("");

    const wrongSubpath = await fetch(`${emulator.url}/storefront/support-desk-demo/apps/other/x`);
    expect(wrongSubpath.status).toBe(404);
  });
});

describe("emulated admin", () => {
  it("frames the app with Shopify's signed launch parameters", async () => {
    const response = await fetch(emulator.adminUrl(SHOP, "/tickets?tab=open&q=%22%3E%3Cscript%3E"));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Local Shopify emulator");
    expect(html).toContain(emulator.store.shop(SHOP)!.info.name.replace(/&/g, "&#38;").replace(/'/g, "&#39;"));
    expect(html).not.toContain('"><script>');

    const src = /<iframe name="app-iframe"[^>]*\ssrc="([^"]+)"/.exec(html)?.[1];
    expect(src).toBeDefined();
    const iframeUrl = new URL(src!.replace(/&#38;/g, "&"));
    expect(`${iframeUrl.origin}${iframeUrl.pathname}`).toBe(`${appUrl}/app/tickets`);
    const params = iframeUrl.searchParams;
    expect(params.get("tab")).toBe("open");
    expect(params.get("embedded")).toBe("1");
    expect(params.get("shop")).toBe(SHOP);
    expect(params.get("locale")).toBe("en");
    expect(params.get("host")).toBe(Buffer.from("admin.shopify.com/store/support-desk-demo").toString("base64"));
    expect(shopify.utils.sanitizeHost(params.get("host")!)).toBe(params.get("host"));
    expect((await shopify.session.decodeSessionToken(params.get("id_token")!)).dest).toBe(`https://${SHOP}`);

    const unsigned = [...params.entries()].filter(([k]) => k !== "hmac").sort(([a], [b]) => (a < b ? -1 : 1));
    const message = new URLSearchParams(unsigned).toString().replace(/\+/g, "%20");
    expect(params.get("hmac")).toBe(hmacHex(message));
    expect(await shopify.utils.validateHmac(Object.fromEntries(params))).toBe(true);
  });

  it("hands out session tokens to the admin page and 404s unknown shops", async () => {
    const token = await post("/store/support-desk-demo/session-token", {});
    expect(token.status).toBe(200);
    expect((await shopify.session.decodeSessionToken(token.body.token)).dest).toBe(`https://${SHOP}`);
    expect((await fetch(`${emulator.url}/store/nowhere/apps/${API_KEY}`)).status).toBe(404);
    expect((await fetch(`${emulator.url}/store/support-desk-demo/apps/another-app`)).status).toBe(404);
  });

  it("serves the App Bridge stand-in from /cdn/app-bridge.js", async () => {
    const response = await fetch(`${emulator.url}/cdn/app-bridge.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/javascript/);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(await response.text()).toContain("shopify:navigate");
  });

  it("answers unknown routes and health checks with JSON", async () => {
    const missing = await fetch(`${emulator.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: expect.any(String) });
    const health = await fetch(`${emulator.url}/emulator/health`);
    expect(await health.json()).toMatchObject({ ok: true, shops: [SHOP] });
  });
});

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));

describe.skipIf(!CHROMIUM)("App Bridge stand-in in a browser", () => {
  it("gets session tokens, authorizes fetches, mirrors nav, title, toasts and location, and bounces", async () => {
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    try {
      const page = await browser.newPage();
      await page.goto(emulator.adminUrl(SHOP));
      await page.locator("#nav-items a", { hasText: "Tickets" }).waitFor();
      const frame = page.frame({ name: "app-iframe" })!;
      await frame.waitForFunction(() => Boolean((window as unknown as { shopify?: unknown }).shopify));

      const token = await frame.evaluate(() => (window as any).shopify.idToken());
      expect((await shopify.session.decodeSessionToken(token)).dest).toBe(`https://${SHOP}`);
      const echoed = await frame.evaluate(() => fetch("/api/echo").then((r) => r.json()));
      expect(echoed.authorization).toMatch(/^Bearer ey/);
      expect(await frame.evaluate(() => (window as any).shopify.config)).toMatchObject({ apiKey: API_KEY, shop: SHOP });

      await page.locator("#nav-items a", { hasText: "Tickets" }).click();
      await frame.waitForFunction(() => (window as any).__navigated === "/app/tickets");
      expect(await page.locator("#page-title").textContent()).toBe("Inbox");
      await page.locator("#title-actions button", { hasText: "New ticket" }).click();
      await frame.waitForFunction(() => (window as any).__created === true);

      await frame.evaluate(() => history.pushState(null, "", "/app/tickets/7?embedded=1&shop=x&view=full"));
      await page.waitForURL(/\/apps\/[^/]+\/tickets\/7\?view=full$/);

      await frame.evaluate(() => (window as any).shopify.toast.show("Reply sent"));
      await page.locator(".toast", { hasText: "Reply sent" }).waitFor();

      // shopify-app-remix's bounce page: come back to the reload URL with a fresh id_token.
      app.requests.length = 0;
      const reload = `${appUrl}/app/faq?embedded=1&shop=${SHOP}`;
      await frame.evaluate((url) => {
        location.href = `/auth/session-token?shopify-reload=${encodeURIComponent(url)}`;
      }, reload);
      await page.frame({ name: "app-iframe" })!.waitForURL(/\/app\/faq\?.*id_token=/);
      const landed = app.requests.find((r) => r.url.startsWith("/app/faq"))!;
      const idToken = new URL(landed.url, appUrl).searchParams.get("id_token")!;
      expect((await shopify.session.decodeSessionToken(idToken)).aud).toBe(API_KEY);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it("draws the save bar in the admin and holds every way out behind the leave confirmation", async () => {
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    try {
      const page = await browser.newPage();
      await page.goto(emulator.adminUrl(SHOP));
      await page.locator("#nav-items a", { hasText: "Tickets" }).waitFor();
      const frame = page.frame({ name: "app-iframe" })!;
      await frame.waitForFunction(() => Boolean((window as any).shopify));
      const bar = page.getByRole("region", { name: "Unsaved changes" });
      const dialog = page.getByRole("dialog", { name: "Leave page with unsaved changes?" });
      // Nothing unsaved: the admin's nav goes straight there, and leaveConfirmation() does not ask.
      const asked = await frame.evaluate(() => (window as any).shopify.saveBar.leaveConfirmation().then(() => "left"));
      expect(asked).toBe("left");
      await page.locator("#nav-items a", { hasText: "Tickets" }).click();
      await frame.waitForFunction(() => (window as any).__navigated === "/app/tickets");
      await frame.evaluate(() => ((window as any).__navigated = null));

      await frame.evaluate(() => (window as any).shopify.saveBar.show("bar"));
      await bar.waitFor();
      expect(await frame.evaluate(() => (document.getElementById("bar") as any).showing)).toBe(true);
      expect(await bar.getByRole("button").allTextContents()).toEqual(["Discard", "Save"]);
      await bar.getByRole("button", { name: "Save" }).click();
      await frame.waitForFunction(() => (window as any).__saved === 1);
      // A Save button in its loading state is busy and cannot be pressed twice.
      await frame.evaluate(() => document.querySelector("#bar button[variant=primary]")!.setAttribute("loading", ""));
      await bar.locator("button[aria-busy=true]", { hasText: "Save" }).waitFor();
      expect(await bar.getByRole("button", { name: "Save" }).isDisabled()).toBe(true);
      await frame.evaluate(() => document.querySelector("#bar button[variant=primary]")!.removeAttribute("loading"));
      await bar.getByRole("button", { name: "Discard" }).click();
      await frame.waitForFunction(() => (window as any).__discarded === true);

      // The admin's nav asks; staying goes nowhere.
      await page.locator("#nav-items a", { hasText: "FAQ" }).click();
      await dialog.waitFor();
      await dialog.getByRole("button", { name: "Stay" }).click();
      await dialog.waitFor({ state: "hidden" });
      expect(await frame.evaluate(() => (window as any).__navigated)).toBeNull();
      await bar.waitFor();

      // The app's own question: unanswered while the merchant stays, resolved (and the bar gone) when they leave.
      await frame.evaluate(() => {
        (window as any).__left = 0;
        (window as any).shopify.saveBar.leaveConfirmation().then(() => (window as any).__left++);
      });
      await dialog.getByRole("button", { name: "Stay" }).click();
      await dialog.waitFor({ state: "hidden" });
      await frame.evaluate(() => {
        (window as any).shopify.saveBar.leaveConfirmation().then(() => (window as any).__left++);
      });
      await dialog.getByRole("button", { name: "Leave page" }).click();
      await frame.waitForFunction(() => (window as any).__left === 1);
      await bar.waitFor({ state: "hidden" });
      expect(await frame.evaluate(() => (document.getElementById("bar") as any).showing)).toBe(false);
      // The question the merchant stayed on never settles.
      expect(await frame.evaluate(() => (window as any).__left)).toBe(1);

      // Leaving through the nav: the bar is dismissed in the app too, then the app navigates.
      await frame.evaluate(() => (window as any).shopify.saveBar.show("bar"));
      await bar.waitFor();
      await page.locator("#app-home").click();
      await dialog.getByRole("button", { name: "Leave page" }).click();
      await frame.waitForFunction(() => (window as any).__navigated === "/app");
      await bar.waitFor({ state: "hidden" });
      expect(await frame.evaluate(() => (document.getElementById("bar") as any).showing)).toBe(false);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
