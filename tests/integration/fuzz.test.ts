import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SHOP } from "../emulator/index";
import { DEV_APP } from "../support/processes";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA } from "../support/wait";

/**
 * Garbage in, never a 500 out: every storefront proxy route, every admin action, the webhook
 * endpoint and POST /inbound/email get a few hundred seeded pseudo-random bodies each (random
 * and huge strings, lone surrogates, NUL and control characters, objects and arrays where text
 * belongs, numbers, missing fields, wrong content types, invalid JSON and UTF-8). Every answer
 * is below 500; a refused one leaves every table's row count as it was; and no text column
 * anywhere holds "[object Object]". The job worker is off, so only the requests write.
 * FUZZ_SEED=<n> replays a run; FUZZ_RUNS=<n> sets the bodies per route.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const INBOUND_SECRET = "fuzz-inbound-secret";
let stack: Stack;

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(SEED);
const int = (n: number) => Math.floor(random() * n);
const pick = <T,>(items: readonly T[]): T => items[int(items.length)];

const HUGE = "x".repeat(1024 * 1024);
const ODD = ["\ud800", "\udfff", "a\ud83dz", "\u0000", "nul\u0000here", "\u0007bell", "\u001b[31m", "\u007f", "\ufffe", "‮rtl", "e\u0301", "😀", "İstanbul", "தமிழ்", "' OR 1=1 --", "<script>alert(1)</script>", "%00", "\r\n\r\n", " ", ""];

function randomString(): string {
  switch (int(6)) {
    case 0:
      return Array.from({ length: int(40) }, () => String.fromCharCode(32 + int(95))).join("");
    case 1:
      return Array.from({ length: int(30) }, () => String.fromCharCode(int(0xffff))).join("");
    case 2:
      return pick(ODD);
    case 3:
      return `${pick(ODD)}${Array.from({ length: int(10) }, () => String.fromCharCode(97 + int(26))).join("")}${pick(ODD)}`;
    case 4:
      return "y".repeat(pick([199, 200, 201, 254, 255, 5000, 5001, 10_001, 20_001, 70_000]));
    default:
      return pick(["#1001", "1001", "someone@example.com", "true", "false", "on", "1", "-1", "0", "NaN", "1e309", "2147483648", "9007199254740993", "open", "solved", "en", "tr"]);
  }
}

function randomValue(depth = 0): unknown {
  switch (int(10)) {
    case 0:
      return int(2) ? int(1e6) - 5e5 : random() * 1e300;
    case 1:
      return random() < 0.5;
    case 2:
      return null;
    case 3:
      return depth < 3 ? { [randomString().slice(0, 10)]: randomValue(depth + 1), toString: "x" } : {};
    case 4:
      return depth < 3 ? Array.from({ length: int(4) }, () => randomValue(depth + 1)) : [];
    default:
      return randomString();
  }
}

interface Body {
  headers: Record<string, string>;
  body: string | Uint8Array | FormData;
  label: string;
}

/** One body for a route with these fields (some given as the route expects, some garbage). */
function randomBody(fields: Record<string, string>): Body {
  const object: Record<string, unknown> = {};
  for (const [key, good] of Object.entries(fields)) {
    const roll = random();
    if (roll < 0.25) continue; // missing
    object[key] = roll < 0.55 ? good : randomValue();
  }
  if (random() < 0.3) object[randomString().slice(0, 20) || "extra"] = randomValue();
  const kind = int(100);
  if (kind < 45) return { headers: { "Content-Type": "application/json" }, body: JSON.stringify(object), label: "json" };
  if (kind < 55) return { headers: { "Content-Type": "application/json" }, body: JSON.stringify(pick([randomString(), [object], 42, null, true])), label: "json non-object" };
  if (kind < 62) return { headers: { "Content-Type": "application/json" }, body: pick(['{"a":', "{'a':1}", "\u0000", "", "[1,2", '{"a":"\\ud800"', '{"__proto__":{"x":1}}', '{"a":"\\u0000"}']), label: "invalid json" };
  if (kind < 80) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(object)) params.append(key, typeof value === "string" ? value : JSON.stringify(value) ?? "");
    if (random() < 0.2) params.append(Object.keys(fields)[0] ?? "x", randomString());
    return { headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: params.toString(), label: "form" };
  }
  if (kind < 87) {
    const form = new FormData();
    for (const [key, value] of Object.entries(object)) {
      if (random() < 0.2) form.append(key, new Blob([randomString()]), "upload.txt");
      else form.append(key, typeof value === "string" ? value : JSON.stringify(value) ?? "");
    }
    return { headers: {}, body: form, label: "multipart" };
  }
  if (kind < 92) return { headers: { "Content-Type": pick(["text/plain", "application/xml", "image/png", "application/octet-stream"]) }, body: JSON.stringify(object), label: "wrong content type" };
  if (kind < 96) return { headers: { "Content-Type": pick(["application/json", "application/x-www-form-urlencoded"]) }, body: new Uint8Array([0xff, 0xfe, 0xc0, 0x80, 0xed, 0xa0, 0x80, 0x3d, 0x7b]), label: "invalid utf-8" };
  if (kind < 98) return { headers: { "Content-Type": "application/json" }, body: JSON.stringify({ ...object, [Object.keys(fields)[0] ?? "x"]: HUGE }), label: "1 MB field" };
  return { headers: {}, body: "", label: "no content type" };
}

/** Row counts of every table, to prove a refused request stored nothing. */
/** Rows per table, but for the rate limiter's buckets: every request draws on them before its body is read. */
function rowCounts(): Record<string, number> {
  const tables = stack
    .database.tables().map((name) => ({ name }))
    .map((t) => t.name)
    .filter((name) => name !== "RateLimitBucket");
  const sql = tables.map((t) => `SELECT '${t}' AS name, COUNT(*) AS n FROM "${t}"`).join(" UNION ALL ");
  return Object.fromEntries(stack.query<{ name: string; n: number }>(sql).map((r) => [r.name, r.n]));
}

let customerCounter = 7_000_000;
let shopperCounter = 0;
/** As Shopify's App Proxy does, the address each request came from appended to X-Forwarded-For: a new shopper each time, so the per-shopper limits never stand between a body and validation. */
const shopperHeaders = () => ({ "X-Forwarded-For": `10.77.${(shopperCounter >> 8) & 255}.${shopperCounter++ & 255}` });

async function send(method: string, url: string, body: Body): Promise<number> {
  const response = await fetch(url, { method, headers: { ...shopperHeaders(), ...body.headers }, body: body.body as BodyInit, redirect: "manual" });
  await response.arrayBuffer();
  return response.status;
}

async function fuzzRoute(name: string, target: () => { url: string; headers?: Record<string, string> }, fields: Record<string, string>, runs = RUNS) {
  const statuses: Record<number, number> = {};
  for (let i = 0; i < runs; i++) {
    const body = randomBody(fields);
    const { url, headers } = target();
    body.headers = { ...body.headers, ...headers };
    const before = rowCounts();
    const status = await send("POST", url, body);
    statuses[status] = (statuses[status] ?? 0) + 1;
    const shown = typeof body.body === "string" ? body.body : body.body instanceof FormData ? JSON.stringify([...body.body.keys()]) : "(bytes)";
    const context = `${name}, body ${i} (${body.label}: ${JSON.stringify(shown.slice(0, 300))}), FUZZ_SEED=${SEED}`;
    expect(status, context).toBeLessThan(500);
    expect(status, `${context}: rate-limited, the body never reached validation`).not.toBe(429);
    if (status >= 400) expect(rowCounts(), `${context}: refused with ${status} but stored something`).toEqual(before);
  }
  return statuses;
}

const proxyUrl = (path: string, query: Record<string, string> = {}) =>
  `${stack.app.url}/proxy${path}?${stack.emulator.signProxyQuery(DEFAULT_SHOP, query, String(customerCounter++))}`;
const admin = (path: string) => () => ({ url: `${stack.app.url}${path}`, headers: { Authorization: `Bearer ${stack.emulator.sessionToken(DEFAULT_SHOP)}`, "User-Agent": BROWSER_UA } });

async function adminForm(path: string, fields: Record<string, string>) {
  const { url, headers } = admin(path)();
  return fetch(url, { method: "POST", redirect: "manual", headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) });
}

let ticketId: string;
let articleId: number;

beforeAll(async () => {
  stack = await startStack({ appEnv: { JOB_WORKER: "off", INBOUND_EMAIL_SECRET: INBOUND_SECRET } });
  const opened = await fetch(`${stack.app.url}/app`, { headers: { Authorization: `Bearer ${stack.emulator.sessionToken(DEFAULT_SHOP)}`, "User-Agent": BROWSER_UA } });
  expect(opened.status).toBe(200);
  const created = await adminForm("/app/faq/new", { published: "on", question_en: "How long does shipping take?", answer_en: "Two days." });
  expect(created.status).toBe(302);
  articleId = Number(/\/app\/faq\/(\d+)/.exec(created.headers.get("location") ?? "")?.[1]);
  const ticket = await adminForm("/app/inbox/new", { subject: "Where is my parcel?", body: "It has not come.", customerEmail: "shopper@example.com" });
  expect(ticket.status).toBe(302);
  ticketId = /\/app\/inbox\/([^/?]+)/.exec(ticket.headers.get("location") ?? "")![1];
  expect((await adminForm("/app/canned-replies", { intent: "create", title: "Thanks", body_en: "Thank you!" })).status).toBe(200);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe("storefront routes", () => {
  it("POST /apps/support/contact", async () => {
    await fuzzRoute("contact", () => ({ url: proxyUrl("/contact") }), { name: "Ada", email: "ada@example.com", message: "Where is my order?", orderNumber: "#1001", subject: "Order", locale: "en", website: "", visit: "visit-fuzz-0001" }, Math.min(RUNS, 200));
  }, 120_000);

  it("POST /apps/support/order-status", async () => {
    await fuzzRoute("order-status", () => ({ url: proxyUrl("/order-status") }), { orderNumber: "#1001", email: "ada@example.com" });
  }, 120_000);

  it("POST /apps/support/visit and the article vote", async () => {
    await fuzzRoute("visit", () => ({ url: proxyUrl("/visit") }), { visit: "visit-fuzz-0001", locale: "en" });
    await fuzzRoute("vote", () => ({ url: proxyUrl(`/faq/articles/${articleId}/vote`) }), { helpful: "true", visit: "visit-fuzz-0001" });
  }, 120_000);

  it("GET search and article with garbage parameters", async () => {
    for (let i = 0; i < RUNS; i++) {
      const query: Record<string, string> = {};
      for (const key of ["q", "locale", "record", "visit"]) if (random() < 0.7) query[key] = randomString().slice(0, pick([10, 300, 5000]));
      const before = rowCounts();
      const path = pick(["/faq/search", `/faq/articles/${pick([String(articleId), "0", "-1", "abc", "9".repeat(30), "2147483648", "9007199254740991", "%00"])}`]);
      const response = await fetch(proxyUrl(path, query), { headers: shopperHeaders() });
      await response.arrayBuffer();
      const context = `GET ${path} ${JSON.stringify(query).slice(0, 200)}, FUZZ_SEED=${SEED}`;
      expect(response.status, context).toBeLessThan(500);
      if (response.status >= 400) expect(rowCounts(), context).toEqual(before);
    }
  }, 120_000);

  it("refuses a lone surrogate, an object and a NUL with a clear 4xx, and stores nothing", async () => {
    const before = rowCounts();
    const post = (body: string) => fetch(proxyUrl("/contact"), { method: "POST", headers: { ...shopperHeaders(), "Content-Type": "application/json" }, body });
    const surrogate = await post('{"email":"ada@example.com","message":"hi \\ud800 there"}');
    expect(surrogate.status).toBe(422);
    expect(await surrogate.json()).toMatchObject({ error: "malformed_unicode", errors: { message: "malformed_unicode" } });
    const object = await post(JSON.stringify({ email: "ada@example.com", message: { text: "hi" } }));
    expect(object.status).toBe(422);
    expect(await object.json()).toMatchObject({ error: "not_text", errors: { message: "not_text" } });
    const nul = await post(JSON.stringify({ email: "ada@example.com", message: "hi\u0000" }));
    expect(nul.status).toBe(422);
    expect((await post("{not json")).status).toBe(400);
    expect(rowCounts()).toEqual(before);
  });
});

describe("admin actions", () => {
  const routes: [string, Record<string, string>][] = [
    ["/app?index", { intent: "sync" }],
    ["/app/canned-replies", { intent: "create", id: "x", title: "Hello", body_en: "Hello {{first_name}}", body_sw: "Habari {{first_name}}" }],
    ["/app/delay-notices/rules", { enabled: "on", minDelayMinutes: "60", handlingDays: "2", excludedOrderTags: "vip", orderTag: "delayed", subject_carrier_delayed_en: "Late", body_carrier_delayed_en: "Sorry" }],
    ["/app/faq/new", { published: "on", question_en: "Q?", answer_en: "A.", categoryId: "", intent: "save" }],
    ["/app/faq?index", { intent: "publish", ids: "1", id: "1", direction: "up", handle: "shipping", title_en: "Shipping" }],
    ["/app/health", { intent: "retry", jobId: "nope" }],
    ["/app/privacy", { intent: "email", id: "nope", expected: "", emailId: "nope" }],
    ["/app/inbox?index", { intent: "tag", ids: "x", tag: "vip", assignee: "none" }],
    ["/app/inbox/new", { subject: "Hi", body: "Hello", customerEmail: "a@example.com", customerName: "A", orderName: "#1001", priority: "high" }],
    ["/app/settings", { fromEmail: "help@example.com", fromName: "Help", responseTimeHours: "24", timeZone: "Europe/Tallinn", signature: "Thanks", monOpen: "on", monFrom: "09:00", monTo: "17:00", supportPhone: "+372 5555 5555", checkInDays: "7" }],
  ];
  for (const [path, fields] of routes) {
    it(`POST ${path}`, async () => {
      await fuzzRoute(path, admin(path), fields, Math.ceil(RUNS / 2));
    }, 120_000);
  }

  it("POST /app/inbox/:id and /app/faq/:id", async () => {
    await fuzzRoute("ticket", admin(`/app/inbox/${ticketId}`), { intent: "note", body: "Called the carrier", status: "pending", priority: "high", assignee: "none", tags: "vip", cannedId: "x" }, Math.ceil(RUNS / 2));
    await fuzzRoute("article", admin(`/app/faq/${articleId}`), { question_en: "How long?", answer_en: "Two days.", published: "on", intent: "save" }, Math.ceil(RUNS / 2));
  }, 120_000);
});

describe("webhooks and inbound email", () => {
  it("POST /webhooks: signed garbage and unsigned garbage", async () => {
    for (let i = 0; i < RUNS / 2; i++) {
      const body = randomBody({ id: "1", admin_graphql_api_id: "gid://shopify/Order/1", email: "a@example.com" });
      const raw = typeof body.body === "string" ? Buffer.from(body.body) : body.body instanceof Uint8Array ? Buffer.from(body.body) : Buffer.from("x");
      const signed = random() < 0.7;
      const headers: Record<string, string> = {
        ...(typeof body.body === "string" || body.body instanceof Uint8Array ? body.headers : {}),
        "X-Shopify-Topic": pick(["orders/updated", "customers/update", "app/uninstalled", "customers/redact", "nope/nope"]),
        "X-Shopify-Shop-Domain": pick([DEFAULT_SHOP, "other.myshopify.com", "%00.myshopify.com", "not a shop"]),
        "X-Shopify-Webhook-Id": crypto.randomUUID(),
        "X-Shopify-API-Version": "2026-10",
        "X-Shopify-Hmac-Sha256": signed ? crypto.createHmac("sha256", DEV_APP.apiSecret).update(raw).digest("base64") : "bm9wZQ==",
      };
      const response = await fetch(`${stack.app.url}/webhooks`, { method: "POST", headers, body: raw });
      await response.arrayBuffer();
      expect(response.status, `webhook body ${i} (${body.label}), FUZZ_SEED=${SEED}`).toBeLessThan(500);
    }
  }, 120_000);

  it("POST /inbound/email: garbage is a 4xx", async () => {
    for (let i = 0; i < RUNS / 2; i++) {
      const garbage = pick([
        () => randomString(),
        () => `From: ${randomString()}\r\nTo: ${randomString()}\r\nSubject: ${randomString()}\r\n\r\n${randomString()}`,
        () => `From: a@example.com\r\nTo: support@${DEFAULT_SHOP}\r\nMessage-ID: <${randomString()}>\r\nIn-Reply-To: ${randomString()}\r\nContent-Type: ${randomString()}\r\n\r\n${randomString()}`,
        () => Buffer.from(Array.from({ length: int(500) }, () => int(256))).toString("latin1"),
      ])();
      const response = await fetch(`${stack.app.url}/inbound/email`, { method: "POST", headers: { Authorization: `Bearer ${INBOUND_SECRET}`, "Content-Type": "message/rfc822" }, body: garbage });
      await response.arrayBuffer();
      expect(response.status, `inbound email ${i}, FUZZ_SEED=${SEED}: ${JSON.stringify(garbage).slice(0, 200)}`).toBeLessThan(500);
    }
  }, 120_000);
});

describe("what was stored", () => {
  it("no text column anywhere holds [object Object]", () => {
    const tables = stack.database.tables().map((name) => ({ name })).map((t) => t.name);
    const found: string[] = [];
    for (const table of tables) {
      const columns = stack.database.textColumns(table).map((name) => ({ name }));
      for (const column of columns) {
        const rows = stack.query<{ n: number }>(`SELECT COUNT(*) AS n FROM "${table}" WHERE CAST("${column.name}" AS TEXT) LIKE '%[object Object]%'`);
        if (rows[0].n > 0) found.push(`${table}.${column.name}`);
      }
    }
    expect(found).toEqual([]);
    // The fuzzing did reach the database: some garbage-free bodies were accepted and stored.
    expect(stack.query<{ n: number }>(`SELECT COUNT(*) AS n FROM "Ticket"`)[0].n).toBeGreaterThan(1);
  });
});
