import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SHOP } from "../emulator/index";
import type { Customer } from "../emulator/store/types";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA, waitFor } from "../support/wait";
import { foldSearchText } from "../../app/utils/search-text";

/**
 * Search through the built app's own routes, in the six languages typed in other case and
 * without accents: the inbox, the Customers list, the FAQ editor; emails matched in any case
 * where the app looks a shopper up (contact form, order status, customers/redact's pre-filter);
 * Tamil as written; another shop's rows never found.
 */

const A = DEFAULT_SHOP;
const B = "search-other.myshopify.com";
const LANGUAGES = ["en", "sw", "et", "ta", "ro", "tr"] as const;
let stack: Stack;

const auth = (shop: string) => ({ Authorization: `Bearer ${stack.emulator.sessionToken(shop)}`, "User-Agent": BROWSER_UA });
const adminPost = (shop: string, path: string, fields: Record<string, string>) =>
  fetch(`${stack.app.url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { ...auth(shop), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
async function loaderData<T>(shop: string, path: string, route: string, params: Record<string, string>): Promise<T> {
  const query = new URLSearchParams({ ...params, _data: route });
  const response = await fetch(`${stack.app.url}${path}?${query}`, { headers: auth(shop) });
  expect(response.status, `${path} ${JSON.stringify(params)}`).toBe(200);
  return (await response.json()) as T;
}
const storefront = (shop: string, path: string) => `${stack.emulator.url}/storefront/${shop.replace(/\.myshopify\.com$/, "")}/apps/support${path}`;
const postJson = (url: string, body: unknown) =>
  fetch(url, { method: "POST", headers: { "Content-Type": "application/json", "X-Emulator-Client-Ip": "10.90.0.1" }, body: JSON.stringify(body) });

const inbox = (shop: string, q: string) =>
  loaderData<{ tickets: { id: string; subject: string }[] }>(shop, "/app/inbox", "routes/app.inbox._index", { view: "all", q });
const customerList = (shop: string, q: string) =>
  loaderData<{ customers: { id: string; firstName: string | null; lastName: string | null; email: string | null }[] }>(
    shop,
    "/app/customers",
    "routes/app.customers._index",
    { q },
  );
const shopOfCustomer = (id: string) => stack.query<{ shop: string }>(`SELECT shop FROM "Customer" WHERE id = ?`, id)[0]?.shop;

/** A seeded customer of shop A per language, with an email and an order. */
const shoppers = {} as Record<(typeof LANGUAGES)[number], Customer>;
/** A's Turkish shopper's address as Shopify keeps it (capitals), and the lower case the app stores. */
const SPELLED = "Ayse.Kaya.Search@Example.COM.TR";

beforeAll(async () => {
  stack = await startStack({ shops: [A, B] });
  const data = stack.emulator.store.shop(A)!;
  for (const lang of LANGUAGES) {
    shoppers[lang] = data.customers.find((c) => c.locale.startsWith(lang) && c.email && data.orders.some((o) => o.customerId === c.id))!;
    expect(shoppers[lang], lang).toBeTruthy();
  }
  // Shopify keeps an address as it was typed: give the Turkish shopper (and her orders) one with capitals.
  for (const order of data.orders.filter((o) => o.customerId === shoppers.tr.id)) order.email = SPELLED;
  shoppers.tr.email = SPELLED;
  for (const shop of [A, B]) expect((await fetch(`${stack.app.url}/app`, { headers: auth(shop) })).status).toBe(200);
  await waitFor(
    () => stack.query(`SELECT shop FROM "SyncRun" WHERE kind = 'bulk' AND status = 'succeeded'`),
    (rows) => rows.length === 2,
    90_000,
    "the first sync of both shops",
  );
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe("the inbox search", () => {
  const TICKETS: { lang: string; subject: string; name: string; email: string; typed: string[] }[] = [
    { lang: "en", subject: "Refund for my ORDER please", name: "Olivia Brown", email: "olivia.search@example.com", typed: ["refund", "REFUND FOR", "Order Please"] },
    { lang: "sw", subject: "Agizo langu halijafika", name: "Asha Mwangi", email: "asha.search@example.co.ke", typed: ["HALIJAFIKA", "agizo LANGU", "asha mwangi"] },
    { lang: "et", subject: "Pakk pole veel jõudnud", name: "Kärt Tamm", email: "kart.search@example.ee", typed: ["joudnud", "JÕUDNUD", "kart tamm", "KÄRT"] },
    { lang: "ta", subject: "என் பார்சல் இன்னும் வரவில்லை", name: "கமலா சுப்பிரமணியன்", email: "kamala.search@example.in", typed: ["பார்சல்", "வரவில்லை", "சுப்பிர"] },
    { lang: "ro", subject: "Coletul lui Ștefan nu a sosit", name: "Ștefan Popescu", email: "stefan.search@example.ro", typed: ["stefan", "Ştefan", "ȘTEFAN POPESCU", "coletul"] },
    { lang: "tr", subject: "Beden değişimi İstanbul", name: "Işık Yılmaz", email: "Isik.Yilmaz.Search@Example.COM.TR", typed: ["beden", "BEDEN", "Beden", "degisimi", "DEĞİŞİMİ", "istanbul", "ISTANBUL", "İSTANBUL", "isik yilmaz", "ISIK.YILMAZ.SEARCH@example.com.tr"] },
  ];
  const ids: Record<string, Record<string, string>> = { [A]: {}, [B]: {} };

  beforeAll(async () => {
    for (const shop of [A, B]) {
      for (const t of TICKETS) {
        const created = await adminPost(shop, "/app/inbox/new", { subject: t.subject, body: "…", customerEmail: t.email, customerName: t.name });
        expect(created.status, t.subject).toBe(302);
        ids[shop][t.lang] = /\/app\/inbox\/([^/?]+)/.exec(created.headers.get("location") ?? "")![1];
      }
    }
  });

  it("finds each language's ticket in any case and with or without accents, and only this shop's", async () => {
    for (const t of TICKETS) {
      for (const q of t.typed) {
        const found = (await inbox(A, q)).tickets.map((x) => x.id);
        expect(found, `${t.lang}: ${q}`).toEqual([ids[A][t.lang]]);
        expect((await inbox(B, q)).tickets.map((x) => x.id), `${t.lang}: ${q} from B`).toEqual([ids[B][t.lang]]);
      }
    }
  });

  it("keeps Tamil as written: a word that lost its vowel signs is not found, the subject shows unchanged", async () => {
    const tamil = TICKETS.find((t) => t.lang === "ta")!;
    expect((await inbox(A, "பரசல")).tickets).toEqual([]);
    expect((await inbox(A, "பார்சல்")).tickets.map((x) => x.subject)).toEqual([tamil.subject]);
  });

  it("stores the email in lower case and the folded text, and finds nothing for words no ticket has", async () => {
    const [row] = stack.query<{ customerEmail: string; searchText: string }>(`SELECT customerEmail, searchText FROM "Ticket" WHERE id = ?`, ids[A].tr);
    expect(row).toEqual({ customerEmail: "isik.yilmaz.search@example.com.tr", searchText: "beden degisimi istanbul\nisik yilmaz\nisik.yilmaz.search@example.com.tr" });
    expect((await inbox(A, "nothing-like-this")).tickets).toEqual([]);
  });
});

describe("the Customers search", () => {
  it("finds each language's synced customer by name in capitals, without accents, and by email in any case", async () => {
    for (const lang of LANGUAGES) {
      const c = shoppers[lang];
      const name = `${c.firstName} ${c.lastName}`;
      const email = c.email!.toLowerCase();
      for (const q of [name, name.toUpperCase(), foldSearchText(name), c.email!.toUpperCase(), email]) {
        const { customers } = await customerList(A, q);
        expect(customers.map((x) => x.email), `${lang}: ${q}`).toContain(email);
        expect(customers.every((x) => shopOfCustomer(x.id) === A)).toBe(true);
      }
      // Shown as Shopify wrote the name (Tamil included), the email in lower case.
      const { customers } = await customerList(A, email);
      expect(customers.find((x) => x.email === email)).toMatchObject({ firstName: c.firstName, lastName: c.lastName });
      // Another shop never sees this one's customers.
      const theirs = await customerList(B, email);
      expect(theirs.customers.every((x) => shopOfCustomer(x.id) === B)).toBe(true);
    }
  });
});

describe("the FAQ editor's search", () => {
  it("finds an article by its Turkish question typed without accents, in its own shop only", async () => {
    const saved = await adminPost(A, "/app/faq/new", { published: "on", question_en: "I forgot my password", answer_en: "Reset it.", question_tr: "Şifremi unuttum", answer_tr: "Giriş sayfasından sıfırlayın." });
    expect(saved.status).toBe(302);
    for (const q of ["sifremi", "ŞİFREMİ", "giris sayfasindan", "FORGOT"]) {
      const data = await loaderData<{ total: number }>(A, "/app/faq", "routes/app.faq._index", { q });
      expect(data.total, q).toBe(1);
    }
    expect((await loaderData<{ total: number }>(B, "/app/faq", "routes/app.faq._index", { q: "sifremi" })).total).toBe(0);
  });
});

describe("emails in any case", () => {
  it("the contact form finds the synced customer whose Shopify address has capitals; order status finds her order", async () => {
    const sent = await postJson(storefront(A, "/contact"), { name: "Ayşe", email: SPELLED.toLowerCase(), message: "Siparişim nerede?", locale: "tr" });
    expect(sent.status).toBe(200);
    const { ticketNumber } = await sent.json();
    const [ticket] = stack.query<{ customerShopifyId: string }>(`SELECT customerShopifyId FROM "Ticket" WHERE shop = ? AND number = ?`, A, ticketNumber);
    expect(ticket.customerShopifyId).toBe(shoppers.tr.id);

    const order = stack.emulator.store.shop(A)!.orders.find((o) => o.customerId === shoppers.tr.id)!;
    for (const email of [SPELLED, SPELLED.toLowerCase(), SPELLED.toUpperCase()]) {
      expect((await postJson(storefront(A, "/order-status"), { orderNumber: order.name, email })).status, email).toBe(200);
    }
  });

  it("customers/redact finds a stored delivery and an email that spell the address otherwise", async () => {
    const c = shoppers.sw;
    const data = stack.emulator.store.shop(A)!;
    const lower = c.email!.toLowerCase();
    const spelled = lower.replace(/^./, (ch) => ch.toUpperCase()).replace("@example", "@EXAMPLE");
    const processed = (eventId: string) =>
      waitFor(() => stack.query<{ status: string }>(`SELECT status FROM "WebhookEvent" WHERE eventId = ?`, eventId)[0], (r) => r?.status === "processed");

    // A customers/update that carried the address in capitals, in this shop and in the other.
    c.email = spelled;
    const update = await stack.emulator.deliverWebhook({ shop: A, topic: "customers/update", customer: c.id });
    await processed(update.eventId);
    const otherShop = await stack.emulator.deliverWebhook({
      shop: B,
      topic: "customers/update",
      payload: { id: 990001, admin_graphql_api_id: "gid://shopify/Customer/990001", email: spelled, first_name: "Asha", updated_at: new Date().toISOString() },
    });
    await processed(otherShop.eventId);
    // An email the app sent this address, on no ticket, written as the shopper typed it.
    stack.execute(
      `INSERT INTO "OutboundEmail" (id, shop, purpose, messageId, fromAddress, toAddress, subject, text, html, createdAt) VALUES (?, ?, 'checkin', ?, ?, ?, ?, ?, ?, ?)`,
      "search-email-1", A, "<search-1@example.com>", "shop@example.com", `Asha <${spelled.toUpperCase()}>`, "Is all well?", "Hello", "<p>Hello</p>", new Date().toISOString(),
    );
    const mentions = (shop: string) => stack.query(`SELECT id FROM "WebhookEvent" WHERE shop = ? AND lower(payload) LIKE ?`, shop, `%${lower}%`);
    expect(mentions(A).length).toBeGreaterThan(0);

    // Shopify names the customer in lower case.
    c.email = lower;
    const redact = await stack.emulator.deliverWebhook({ shop: A, topic: "customers/redact", customer: c.id });
    await processed(redact.eventId);
    expect(mentions(A)).toEqual([]);
    expect(stack.query(`SELECT toAddress, subject FROM "OutboundEmail" WHERE id = ?`, "search-email-1")).toEqual([
      { toAddress: "", subject: "[erased at the customer's request]" },
    ]);
    expect((await customerList(A, lower)).customers).toEqual([]);
    // The other shop's delivery is the other shop's.
    expect(mentions(B)).toHaveLength(1);
  });
});
