import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SHOP } from "../emulator/index";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA, waitFor as waitForCondition } from "../support/wait";
import { foldText } from "../../app/services/faq/search";

/**
 * After customers/redact, no text column of any table (read from SQLite's own catalog, so a new
 * table is scanned without anyone listing it) holds the customer's email, names or phone, in any case.
 */

let stack: Stack;

/** The suite's own poller, with this file's longer wait (a redaction touches every table). */
const waitFor = <T>(read: () => T, done: (value: T) => boolean, timeoutMs = 20_000) => waitForCondition(read, done, timeoutMs);

const storefront = (path: string) => `${stack.emulator.url}/storefront/${DEFAULT_SHOP.replace(/\.myshopify\.com$/, "")}/apps/support${path}`;
const shopper = { "X-Emulator-Client-Ip": "10.80.0.1" };

function postJson(path: string, body: unknown) {
  return fetch(storefront(path), { method: "POST", headers: { "Content-Type": "application/json", ...shopper }, body: JSON.stringify(body) });
}

/** Every table.column whose text, lower-cased (and folded as the FAQ search folds it), contains a needle. */
function cellsContaining(needles: string[]): string[] {
  const wanted = [...new Set(needles.flatMap((n) => [n.toLowerCase(), foldText(n)]))];
  const tables = stack.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma%'");
  expect(tables.length).toBeGreaterThan(10);
  const hits: string[] = [];
  for (const { name: table } of tables) {
    for (const { name: column } of stack.query<{ name: string }>(`SELECT name FROM pragma_table_info('${table}')`)) {
      const rows = stack.query<{ v: string | null }>(`SELECT CAST("${column}" AS TEXT) AS v FROM "${table}"`);
      for (const { v } of rows) {
        if (v === null) continue;
        const text = v.toLowerCase();
        const found = wanted.find((needle) => text.includes(needle) || foldText(v).includes(needle));
        if (found) hits.push(`${table}.${column} contains "${found}"`);
      }
    }
  }
  return [...new Set(hits)];
}

beforeAll(async () => {
  // The request log on, to show it keeps nothing the shopper typed.
  stack = await startStack({ appEnv: { LOG_REQUESTS: "1" } });
  const opened = await fetch(`${stack.app.url}/app`, { headers: { Authorization: `Bearer ${stack.emulator.sessionToken(DEFAULT_SHOP)}`, "User-Agent": BROWSER_UA } });
  expect(opened.status).toBe(200);
  await waitFor(
    () => stack.query<{ status: string }>(`SELECT status FROM "SyncRun" WHERE shop = ? AND kind = 'bulk'`, DEFAULT_SHOP)[0],
    (run) => run?.status === "succeeded",
    60_000,
  );
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe("customers/redact", () => {
  it("leaves the customer's email, names and phone in no text column of any table", async () => {
    const customers = stack.emulator.store.shop(DEFAULT_SHOP)!.customers;
    // A customer whose names no other customer shares, so any hit is theirs.
    const c = customers.find(
      (x) => x.email && x.phone && x.firstName && x.lastName &&
        !customers.some((o) => o.id !== x.id && [o.firstName, o.lastName].some((n) => n === x.firstName || n === x.lastName)),
    )!;
    expect(c).toBeTruthy();
    const needles = [c.email!, c.firstName!, c.lastName!, c.phone!];

    // Their traces on the storefront: a help visit, searches for their own details, a question.
    const visit = "visit-redaction-0001";
    expect((await postJson("/visit", { visit, locale: "en" })).status).toBe(200);
    for (const q of [c.email!, `${c.firstName} ${c.lastName}`, c.phone!, c.email!.toUpperCase()]) {
      const response = await fetch(storefront(`/faq/search?q=${encodeURIComponent(q)}&locale=en&record=1&visit=${visit}`), { headers: shopper });
      expect(response.status).toBe(200);
    }
    const asked = await postJson("/contact", { name: `${c.firstName} ${c.lastName}`, email: c.email, message: `Hello, ${c.firstName} here, call me on ${c.phone}`, locale: "en", visit });
    expect(asked.status).toBe(200);
    const { ticketNumber } = await asked.json();
    const [ticket] = stack.query<{ id: string }>(`SELECT id FROM "Ticket" WHERE shop = ? AND number = ?`, DEFAULT_SHOP, ticketNumber);
    await waitFor(() => stack.query(`SELECT 1 FROM "OutboundEmail" WHERE shop = ? AND ticketId = ?`, DEFAULT_SHOP, ticket.id), (rows) => rows.length === 1);
    // A synced order's webhook names the customer.
    const order = stack.emulator.store.shop(DEFAULT_SHOP)!.orders.find((o) => o.customerId === c.id);
    expect(order).toBeTruthy();
    const updated = await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "orders/updated", order: order!.name });
    expect(updated.status).toBe(200);
    await waitFor(
      () => stack.query<{ status: string }>('SELECT status FROM "WebhookEvent" WHERE eventId = ?', updated.eventId)[0],
      (row) => row?.status === "processed",
    );
    expect(stack.query<{ payload: string }>('SELECT payload FROM "WebhookEvent" WHERE eventId = ?', updated.eventId)[0].payload).toContain(c.lastName!);
    expect(cellsContaining(needles).length).toBeGreaterThan(0);
    const searchesBefore = stack.query<{ n: number }>(`SELECT COUNT(*) AS n FROM "FaqSearch" WHERE shop = ?`, DEFAULT_SHOP)[0].n;
    expect(searchesBefore).toBeGreaterThanOrEqual(3);

    const result = await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "customers/redact", customer: c.email! });
    expect(result.status).toBe(200);
    await waitFor(
      () => stack.query<{ status: string }>('SELECT status FROM "WebhookEvent" WHERE eventId = ?', result.eventId)[0],
      (row) => row?.status === "processed",
    );

    expect(cellsContaining(needles)).toEqual([]);
    // The request log never had what they typed (searches are GET requests with the words in the query).
    const log = stack.app.output().toLowerCase();
    expect(log).toContain("/proxy/faq/search");
    for (const needle of [c.email!, encodeURIComponent(c.email!), c.phone!, encodeURIComponent(c.phone!)]) expect(log).not.toContain(needle.toLowerCase());
    // Anonymous counts stay: the visit (contacted, no longer tied to the ticket or its id), the ticket's number.
    const visits = stack.query<{ visitId: string; contacted: number; ticketId: string | null }>(`SELECT visitId, contacted, ticketId FROM "HelpVisit" WHERE shop = ?`, DEFAULT_SHOP);
    expect(visits).toEqual([{ visitId: expect.not.stringContaining(visit), contacted: 1, ticketId: null }]);
    expect(stack.query(`SELECT 1 FROM "Ticket" WHERE shop = ? AND number = ?`, DEFAULT_SHOP, ticketNumber).length).toBe(1);
  });
});
