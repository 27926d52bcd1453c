import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SHOP } from "../emulator/index";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA, waitFor } from "../support/wait";

/**
 * The storefront's App Proxy routes, end to end: the emulator signs each storefront request
 * as Shopify does and forwards it to the app. Forged and tampered requests are refused, one
 * shop never sees another's FAQ or orders, an order needs its number and email, the contact
 * form makes a ticket (or quietly swallows a bot), and shoppers are rate-limited.
 */

const OTHER_SHOP = "other-desk.myshopify.com";
let stack: Stack;

const handle = (shop: string) => shop.replace(/\.myshopify\.com$/, "");
const storefront = (shop: string, path: string) => `${stack.emulator.url}/storefront/${handle(shop)}/apps/support${path}`;

function adminPost(shop: string, path: string, fields: Record<string, string>) {
  return fetch(`${stack.app.url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { Authorization: `Bearer ${stack.emulator.sessionToken(shop)}`, "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
}

function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json", ...headers }, body: JSON.stringify(body) });
}

async function createArticle(shop: string, fields: Record<string, string>): Promise<number> {
  const response = await adminPost(shop, "/app/faq/new", { published: "on", ...fields });
  expect(response.status).toBe(302);
  return Number(/\/app\/faq\/(\d+)/.exec(response.headers.get("location") ?? "")?.[1]);
}

let articleId: number;

beforeAll(async () => {
  stack = await startStack({ shops: [DEFAULT_SHOP, OTHER_SHOP] });
  for (const shop of [DEFAULT_SHOP, OTHER_SHOP]) {
    const opened = await fetch(`${stack.app.url}/app`, { headers: { Authorization: `Bearer ${stack.emulator.sessionToken(shop)}`, "User-Agent": BROWSER_UA } });
    expect(opened.status).toBe(200);
  }
  await waitFor(
    () => stack.query<{ shop: string }>(`SELECT shop FROM "SyncRun" WHERE kind = 'bulk' AND status = 'succeeded'`),
    (rows) => rows.length === 2,
    60_000,
    "both shops synced",
  );
  articleId = await createArticle(DEFAULT_SHOP, {
    question_en: "How long does shipping take?",
    answer_en: "Orders ship within **2 business days**.\n\n- Estonia: 1–2 days\n- Europe: 3–5 days\n\nSee [tracking](https://track.example/help).",
    question_tr: "Kargo ne kadar sürer?",
    answer_tr: "Siparişler **2 iş günü** içinde kargoya verilir.",
  });
  await createArticle(DEFAULT_SHOP, { question_en: "Can I return an item?", answer_en: "Yes, within 30 days of delivery." });
  await createArticle(OTHER_SHOP, { question_en: "Do you ship pianos?", answer_en: "Only the other shop ships pianos." });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe("signature", () => {
  it("refuses unsigned, forged, tampered and stale requests with 401", async () => {
    const direct = (query: URLSearchParams) => fetch(`${stack.app.url}/proxy/faq/search?${query}`);
    expect((await direct(new URLSearchParams({ q: "shipping", shop: DEFAULT_SHOP }))).status).toBe(401);
    const forged = new URLSearchParams({ q: "shipping", shop: DEFAULT_SHOP, timestamp: String(Math.floor(Date.now() / 1000)), path_prefix: "/apps/support", logged_in_customer_id: "", signature: "0".repeat(64) });
    const forgedResponse = await direct(forged);
    expect(forgedResponse.status).toBe(401);
    expect(await forgedResponse.json()).toMatchObject({ error: "unsigned" });

    const signed = stack.emulator.signProxyQuery(DEFAULT_SHOP, { q: "shipping" });
    expect((await direct(signed)).status).toBe(200);
    const tampered = new URLSearchParams(signed);
    tampered.set("shop", OTHER_SHOP);
    expect((await direct(tampered)).status).toBe(401);
    // A shopper cannot claim to be logged in as someone else.
    const impersonating = new URLSearchParams(signed);
    impersonating.set("logged_in_customer_id", "123");
    expect((await direct(impersonating)).status).toBe(401);

    const contact = await fetch(`${stack.app.url}/proxy/contact?${forged}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    expect(contact.status).toBe(401);
  });
});

describe("FAQ search and articles", () => {
  it("finds articles by words, prefixes and accents, in the shopper's language, and only the shop's own", async () => {
    const search = async (shop: string, q: string, locale = "en") => (await (await fetch(storefront(shop, `/faq/search?q=${encodeURIComponent(q)}&locale=${locale}`))).json()) as { results: { id: string; question: string; snippet: string }[] };
    expect((await search(DEFAULT_SHOP, "shipping")).results.map((r) => r.question)).toEqual(["How long does shipping take?"]);
    expect((await search(DEFAULT_SHOP, "retur")).results.map((r) => r.question)).toEqual(["Can I return an item?"]);
    expect((await search(DEFAULT_SHOP, "KARGO", "tr")).results.map((r) => r.question)).toEqual(["Kargo ne kadar sürer?"]);
    expect((await search(DEFAULT_SHOP, "süre", "tr")).results[0]?.question).toBe("Kargo ne kadar sürer?");
    // The untranslated article falls back to the shop's language.
    expect((await search(DEFAULT_SHOP, "return", "tr")).results.map((r) => r.question)).toEqual(["Can I return an item?"]);
    // Another shop's article is never found.
    expect((await search(DEFAULT_SHOP, "pianos")).results).toEqual([]);
    expect((await search(OTHER_SHOP, "pianos")).results).toHaveLength(1);
    expect((await search(OTHER_SHOP, "return")).results).toEqual([]);
    expect((await search(OTHER_SHOP, "shipping")).results.map((r) => r.question)).toEqual(["Do you ship pianos?"]);
  });

  it("serves an article's safe HTML, counts its view, and keeps one vote per visit", async () => {
    const visit = "visit-votes-0001";
    expect((await postJson(storefront(DEFAULT_SHOP, "/visit"), { visit, locale: "en" })).status).toBe(200);
    const response = await fetch(storefront(DEFAULT_SHOP, `/faq/articles/${articleId}?locale=en&visit=${visit}`));
    expect(response.status).toBe(200);
    const article = await response.json();
    expect(article.question).toBe("How long does shipping take?");
    expect(article.answerHtml).toContain("<strong>2 business days</strong>");
    expect(article.answerHtml).toContain("<li>Estonia: 1–2 days</li>");
    expect(article.answerHtml).toContain('<a href="https://track.example/help" rel="noopener nofollow" target="_blank">tracking</a>');
    // The other shop cannot read it.
    expect((await fetch(storefront(OTHER_SHOP, `/faq/articles/${articleId}?locale=en`))).status).toBe(404);
    expect((await fetch(storefront(DEFAULT_SHOP, `/faq/articles/nope`))).status).toBe(404);

    const vote = (helpful: boolean) => postJson(storefront(DEFAULT_SHOP, `/faq/articles/${articleId}/vote`), { helpful, visit });
    expect((await vote(false)).status).toBe(200);
    expect((await vote(true)).status).toBe(200);
    expect(stack.query(`SELECT helpful FROM "FaqVote" WHERE articleId = ?`, articleId)).toEqual([{ helpful: 1 }]);
    expect(stack.query<{ views: number }>(`SELECT views FROM "FaqArticle" WHERE id = ?`, articleId)[0].views).toBe(1);
    expect((await postJson(storefront(OTHER_SHOP, `/faq/articles/${articleId}/vote`), { helpful: true, visit })).status).toBe(404);
    expect((await postJson(storefront(DEFAULT_SHOP, `/faq/articles/${articleId}/vote`), { helpful: "maybe", visit: "x" })).status).toBe(422);
  });

  it("records settled searches, and those without an answer as unanswered questions", async () => {
    await fetch(storefront(DEFAULT_SHOP, `/faq/search?q=${encodeURIComponent("gift wrapping")}&locale=en&record=1`));
    await fetch(storefront(DEFAULT_SHOP, `/faq/search?q=${encodeURIComponent("Gift  wrapping")}&locale=en&record=1`));
    // Keystrokes before the shopper pauses are not recorded.
    await fetch(storefront(DEFAULT_SHOP, `/faq/search?q=gift+wr&locale=en`));
    const rows = stack.query<{ query: string; searches: number; noResult: number }>(`SELECT query, searches, noResult FROM "FaqSearch" WHERE shop = ?`, DEFAULT_SHOP);
    expect(rows).toEqual([{ query: "gift wrapping", searches: 2, noResult: 2 }]);
    expect(stack.query(`SELECT 1 FROM "FaqSearch" WHERE shop = ?`, OTHER_SHOP)).toEqual([]);
  });

  it("publishes the FAQ and contact details to the app-data metafield the theme's Liquid reads", async () => {
    const published = await waitFor(
      () => stack.emulator.appMetafields(DEFAULT_SHOP).support_desk?.storefront?.value as { locales: Record<string, { categories: { articles: { question: string; answerHtml: string }[] }[] }>; responseTimeHours: number } | undefined,
      (value) => (value?.locales.en.categories.flatMap((c) => c.articles).length ?? 0) === 2,
      15_000,
      "the storefront metafield",
    );
    expect(published!.responseTimeHours).toBe(24);
    expect(published!.locales.tr.categories.flatMap((c) => c.articles).map((a) => a.question)).toContain("Kargo ne kadar sürer?");
    const other = await waitFor(() => JSON.stringify(stack.emulator.appMetafields(OTHER_SHOP)), (v) => v.includes("Do you ship pianos?"), 15_000, "the other shop's metafield");
    expect(other).not.toContain("How long does shipping take?");
    expect(JSON.stringify(published)).not.toContain("pianos");
  });
});

describe("order status", () => {
  const order = () => stack.emulator.store.shop(DEFAULT_SHOP)!.orders.find((o) => o.email && o.customerId)!;

  it("answers only when the number and the email both match", async () => {
    const o = order();
    const lookUp = (shop: string, body: Record<string, string>, headers: Record<string, string> = {}) => postJson(storefront(shop, "/order-status"), body, headers);
    const found = await lookUp(DEFAULT_SHOP, { orderNumber: o.name, email: o.email!.toUpperCase() });
    expect(found.status).toBe(200);
    const body = await found.json();
    expect(body.order.name).toBe(o.name);
    expect(body.order.items.length).toBe(o.lineItems.length);
    expect(found.headers.get("cache-control")).toContain("no-store");

    const wrongEmail = await lookUp(DEFAULT_SHOP, { orderNumber: o.name, email: "someone@else.example" });
    const wrongNumber = await lookUp(DEFAULT_SHOP, { orderNumber: "#999999", email: o.email! });
    expect([wrongEmail.status, wrongNumber.status]).toEqual([404, 404]);
    // The same answer either way: nobody learns which orders exist.
    expect(await wrongEmail.json()).toEqual(await wrongNumber.json());
    // The other shop does not know this order, even with the right number and email.
    expect((await lookUp(OTHER_SHOP, { orderNumber: o.name, email: o.email! })).status).toBe(404);
    expect((await lookUp(DEFAULT_SHOP, { orderNumber: "abc", email: o.email! })).status).toBe(422);
    expect((await lookUp(DEFAULT_SHOP, { orderNumber: o.name })).status).toBe(422);
  });

  it("lets a logged-in customer look up their own orders by number alone, and nobody else's", async () => {
    const o = order();
    const owner = o.customerId!.split("/").pop()!;
    const mine = await postJson(storefront(DEFAULT_SHOP, "/order-status"), { orderNumber: o.name }, { "X-Emulator-Customer-Id": owner });
    expect(mine.status).toBe(200);
    const someoneElse = stack.emulator.store.shop(DEFAULT_SHOP)!.customers.find((c) => c.id !== o.customerId)!.id.split("/").pop()!;
    const theirs = await postJson(storefront(DEFAULT_SHOP, "/order-status"), { orderNumber: o.name }, { "X-Emulator-Customer-Id": someoneElse });
    expect(theirs.status).toBe(404);
  });
});

describe("contact form", () => {
  const send = (body: Record<string, string>, ip: string) => postJson(storefront(DEFAULT_SHOP, "/contact"), body, { "X-Emulator-Client-Ip": ip });
  const ticketCount = () => stack.query<{ n: number }>(`SELECT COUNT(*) AS n FROM "Ticket" WHERE shop = ?`, DEFAULT_SHOP)[0].n;

  it("answers field by field with codes the storefront translates", async () => {
    const response = await send({ name: "", email: "not-an-email", message: "", orderNumber: "ABC" }, "10.0.0.1");
    expect(response.status).toBe(422);
    expect((await response.json()).errors).toEqual({ email: "invalid_email", message: "required", orderNumber: "invalid_order_number" });
    expect((await postJson(storefront(DEFAULT_SHOP, "/contact"), "just a string", { "X-Emulator-Client-Ip": "10.0.0.1" })).status).toBe(400);
  });

  it("quietly swallows a bot that fills the hidden field", async () => {
    const before = ticketCount();
    const response = await send({ name: "Bot", email: "bot@spam.example", message: "Buy now", website: "https://spam.example" }, "10.0.0.2");
    expect(response.status).toBe(200);
    expect((await response.json()).ok).toBe(true);
    expect(ticketCount()).toBe(before);
  });

  it("turns a question into a ticket with its acknowledgement, and counts the visit as not deflected", async () => {
    const visit = "visit-contact-0001";
    await postJson(storefront(DEFAULT_SHOP, "/visit"), { visit, locale: "sw" });
    const response = await send({ name: "Amani Njoroge", email: "amani@example.co.ke", message: "Agizo langu liko wapi?\nNimesubiri wiki mbili.", locale: "sw", visit }, "10.0.0.3");
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ ok: true, responseTimeHours: 24 });
    expect(body.ticketNumber).toBeGreaterThan(0);
    expect(body.ticketId).toBeUndefined();
    const [ticket] = stack.query<{ id: string; subject: string; channel: string; locale: string; customerEmail: string }>(`SELECT id, subject, channel, locale, customerEmail FROM "Ticket" WHERE shop = ? AND number = ?`, DEFAULT_SHOP, body.ticketNumber);
    expect(ticket).toMatchObject({ subject: "Agizo langu liko wapi?", channel: "storefront", locale: "sw", customerEmail: "amani@example.co.ke" });
    const [ack] = await waitFor(() => stack.query<{ toAddress: string; language: string; text: string }>(`SELECT * FROM "OutboundEmail" WHERE shop = ? AND ticketId = ?`, DEFAULT_SHOP, ticket.id), (rows) => rows.length === 1);
    expect(ack).toMatchObject({ toAddress: '"Amani Njoroge" <amani@example.co.ke>', language: "sw" });
    // The panel's promise is the ticket's due time in Swahili, word for word what the acknowledgement says.
    expect(typeof body.answerBy).toBe("string");
    expect(ack.text).toContain(`tutakujibu kufikia ${body.answerBy}.`);
    expect(stack.query(`SELECT contacted, ticketId FROM "HelpVisit" WHERE shop = ? AND visitId = ?`, DEFAULT_SHOP, visit)).toEqual([{ contacted: 1, ticketId: ticket.id }]);
    // The other shop's inbox does not have it.
    expect(stack.query(`SELECT 1 FROM "Ticket" WHERE shop = ? AND customerEmail = ?`, OTHER_SHOP, "amani@example.co.ke")).toEqual([]);
  });

  it("rate-limits one shopper without blocking the next", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await send({ email: "x@example.com", message: "" }, "10.0.0.9")).status);
    expect(statuses.slice(0, 5)).toEqual([422, 422, 422, 422, 422]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect((await send({ email: "x@example.com", message: "" }, "10.0.0.10")).status).toBe(422);
  });

  it("answers 405 to a GET and 404 for a shop without the app", async () => {
    expect((await fetch(storefront(DEFAULT_SHOP, "/contact"))).status).toBe(405);
  });
});
