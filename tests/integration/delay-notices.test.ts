import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ParsedMail } from "mailparser";
import { DEFAULT_SHOP } from "../emulator/index";
import type { Order } from "../emulator/store/types";
import { startCapturingSmtp, type CapturingSmtp } from "../support/smtp";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA, waitFor } from "../support/wait";
import { DEV_APP } from "../support/processes";

/**
 * Delay notices end to end: the emulator sends Shopify's webhooks, the app decides and emails
 * through a real SMTP server. Each trigger → one email in the shopper's language with the facts;
 * duplicates and repeats → still one; rules off, excluded tags, erased customers → skipped with
 * the reason; a forged webhook → nothing; SMTP down → sent once it is back.
 */

let stack: Stack;
let smtp: CapturingSmtp;
let mail: ParsedMail[];
const startSmtp = () => smtp.start();
const stopSmtp = () => smtp.stop();

interface NoticeRow {
  id: string;
  trigger: string;
  status: string;
  skipReason: string | null;
  language: string | null;
  emailId: string | null;
  ticketId: string | null;
  orderName: string;
}
/**
 * Every delivery the shop's webhooks brought so far is processed, and the notices and emails
 * they caused are done (no such job waits or runs). Deliveries are on disk before their 200;
 * their jobs are queued just after, hence the WebhookEvent check as well.
 */
const processed = () =>
  waitFor(
    () => [
      ...stack.query(`SELECT 1 FROM "WebhookEvent" WHERE shop = ? AND processedAt IS NULL`, DEFAULT_SHOP),
      ...stack.query(`SELECT 1 FROM "Job" WHERE shop = ? AND status IN ('queued', 'running') AND kind IN ('webhook.process', 'delay_notice.send', 'email.send')`, DEFAULT_SHOP),
    ],
    (rows) => rows.length === 0,
    20_000,
    "the shop's webhook, notice and email jobs finished",
  );
/** Notices of carrier delays skipped for an erased customer (their order's row has lost who it was). */
const erasedDelays = () =>
  stack.query<NoticeRow>(`SELECT * FROM "DelayNotice" WHERE shop = ? AND source LIKE '%delayed%' AND skipReason LIKE '%erased%'`, DEFAULT_SHOP);
const notices = (orderName: string) => stack.query<NoticeRow>(`SELECT * FROM "DelayNotice" WHERE shop = ? AND orderName = ? ORDER BY createdAt`, DEFAULT_SHOP, orderName);
const settled = (orderName: string, count: number) =>
  waitFor(() => notices(orderName), (rows) => rows.length === count && rows.every((r) => r.status !== "queued" && r.status !== "sending"), 20_000, `notices for ${orderName}`);

async function emailFor(notice: NoticeRow): Promise<ParsedMail> {
  const [{ messageId }] = stack.query<{ messageId: string }>(`SELECT messageId FROM "OutboundEmail" WHERE id = ?`, notice.emailId);
  return (await waitFor(() => mail.find((m) => m.messageId === messageId), Boolean, 20_000, "the notice email"))!;
}

const shopData = () => stack.emulator.store.shop(DEFAULT_SHOP)!;
const customerOf = (order: Order) => (order.customerId ? shopData().customerById(order.customerId) : undefined);
const used = new Set<string>();
/** A shipped order with an email, a customer in the given language and a tracking link, not used by another test. */
function shippedOrder(language?: string, withCustomer = false): Order {
  const order = shopData().orders.find(
    (o) =>
      !used.has(o.id) &&
      o.email &&
      !o.cancelledAt &&
      o.fulfillments.some((f) => f.trackingInfo.some((t) => t.url) && !f.deliveredAt) &&
      (!language || customerOf(o)?.locale?.startsWith(language)) &&
      (!withCustomer || customerOf(o)),
  );
  if (!order) throw new Error(`no shipped order for ${language}`);
  used.add(order.id);
  return order;
}

beforeAll(async () => {
  smtp = await startCapturingSmtp();
  mail = smtp.received;
  stack = await startStack({ appEnv: { SMTP_URL: smtp.url } });
  const opened = await fetch(`${stack.app.url}/app`, { headers: { Authorization: `Bearer ${stack.emulator.sessionToken(DEFAULT_SHOP)}`, "User-Agent": BROWSER_UA } });
  expect(opened.status).toBe(200);
  await waitFor(() => stack.query(`SELECT 1 FROM "SyncRun" WHERE kind = 'bulk' AND status = 'succeeded'`), (rows) => rows.length === 1, 60_000, "the first sync");
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  await smtp?.stop();
});

describe("carrier events", () => {
  it("a delayed parcel: one email in the customer's language with the order, items, new date and tracking, on the order's thread", async () => {
    const order = shippedOrder("tr");
    const delivered = await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "fulfillment_events/create", order: order.name, eventStatus: "delayed" });
    expect(delivered.status).toBe(200);
    const [notice] = await settled(order.name, 1);
    expect(notice).toMatchObject({ trigger: "carrier_delayed", status: "sent", language: "tr" });
    const email = await emailFor(notice);
    expect(email.subject).toBe(`${order.name} numaralı siparişiniz hakkında bilgi`);
    const text = email.text ?? "";
    expect(text).toContain(`Merhaba ${customerOf(order)!.firstName},`);
    expect(text).toContain("gecikeceğini");
    expect(text).toContain(order.lineItems[0].title);
    expect(text).toMatch(/Yeni tahmini tarih: \d{1,2} \S+ 20\d\d\./);
    const url = order.fulfillments.flatMap((f) => f.trackingInfo).find((t) => t.url)!.url!;
    expect(text).toContain(url);
    expect(email.headers.get("content-language")).toBe("tr");

    const [ticket] = stack.query<{ channel: string; orderName: string; status: string }>(`SELECT channel, orderName, status FROM "Ticket" WHERE id = ?`, notice.ticketId);
    expect(ticket).toMatchObject({ channel: "delay_notice", orderName: order.name, status: "pending" });
    expect(stack.query(`SELECT kind FROM "TicketMessage" WHERE ticketId = ? AND kind = 'notice'`, notice.ticketId)).toHaveLength(1);

    // "Track my order" on the storefront shows it too.
    const status = await fetch(`${stack.emulator.url}/storefront/support-desk-demo/apps/support/order-status`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ orderNumber: order.name, email: order.email }),
    });
    const tracked = await status.json();
    expect(tracked.order.delayNotices).toHaveLength(1);
    // …as one short status line in the shopper's language (what happened, the new date), not the whole email.
    const line: string = tracked.order.delayNotices[0].message;
    expect(line).toContain("gecikeceğini");
    expect(line).toContain(order.name);
    expect(line).toMatch(/Yeni tahmini tarih: \d{1,2} \S+ 20\d\d\.$/);
    expect(line).not.toContain("\n");
    expect(line).not.toContain(url);
    expect(line).not.toContain(order.lineItems[0].title);
    expect(line.length).toBeLessThan(200);
    expect(tracked.order.delayNotices[0].trigger).toBe("carrier_delayed");
  });

  it("duplicate and concurrent deliveries, and the same event again, send one email", async () => {
    const order = shippedOrder();
    const eventId = crypto.randomUUID();
    const deliveries = await Promise.all(
      Array.from({ length: 4 }, () => stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "fulfillment_events/create", order: order.name, eventStatus: "failure", eventId })),
    );
    expect(deliveries.every((d) => d.status === 200)).toBe(true);
    // A new event with the same news (another event id) is no change either.
    await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "fulfillment_events/create", order: order.name, eventStatus: "failure" });
    await processed();
    const rows = await settled(order.name, 1);
    expect(rows[0]).toMatchObject({ trigger: "carrier_failure", status: "sent" });
    const email = await emailFor(rows[0]);
    expect(mail.filter((m) => m.subject === email.subject && JSON.stringify(m.to) === JSON.stringify(email.to))).toHaveLength(1);
  });

  it("an in-transit event notifies nobody", async () => {
    const order = shippedOrder();
    await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "fulfillment_events/create", order: order.name, eventStatus: "in_transit" });
    await processed();
    expect(notices(order.name)).toEqual([]);
  });

  it("a forged webhook is refused and changes nothing", async () => {
    const order = shippedOrder();
    const forged = await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "fulfillment_events/create", order: order.name, eventStatus: "delayed", forgeSignature: true });
    expect(forged.status).toBe(401);
    await processed();
    expect(notices(order.name)).toEqual([]);
  });
});

describe("holds and reschedules", () => {
  it("an order put on hold for stock: the reason in the shopper's words", async () => {
    const fo = shopData()
      .orders.filter((o) => o.email && !o.cancelledAt && !used.has(o.id))
      .flatMap((o) => o.fulfillmentOrders)
      .find((f) => f.status === "ON_HOLD" && f.fulfillmentHolds.some((h) => h.reason === "INVENTORY_OUT_OF_STOCK"))!;
    const order = shopData().orderById(fo.orderId)!;
    used.add(order.id);
    await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "fulfillment_orders/placed_on_hold", fulfillmentOrder: fo.id });
    const [notice] = await settled(order.name, 1);
    expect(notice).toMatchObject({ trigger: "on_hold", status: "sent" });
    const email = await emailFor(notice);
    const reasons: Record<string, string> = {
      en: "an item is out of stock",
      sw: "bidhaa moja imeisha",
      et: "üks toode on laost otsas",
      ta: "கையிருப்பில் இல்லை",
      ro: "nu mai este în stoc",
      tr: "stokta kalmadı",
    };
    expect(email.text).toContain(reasons[notice.language!]);
  });

  it("a rescheduled fulfillment: the new date, once per date", async () => {
    const order = shopData().orders.find((o) => o.email && !o.cancelledAt && !used.has(o.id) && o.fulfillmentOrders.some((f) => f.status === "OPEN") && o.fulfillments.length === 0)!;
    used.add(order.id);
    const fo = order.fulfillmentOrders.find((f) => f.status === "OPEN")!;
    const later = new Date(Date.now() + 9 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    shopData().updateFulfillmentOrder(fo.id, { status: "SCHEDULED", fulfillAt: later, updatedAt: new Date().toISOString().replace(/\.\d{3}Z$/, "Z") });
    await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "fulfillment_orders/rescheduled", fulfillmentOrder: fo.id });
    await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "fulfillment_orders/rescheduled", fulfillmentOrder: fo.id });
    const [notice] = await settled(order.name, 1);
    expect(notice).toMatchObject({ trigger: "rescheduled", status: "sent" });
    expect(Date.parse(stack.query<{ newDate: string }>(`SELECT newDate FROM "DelayNotice" WHERE id = ?`, notice.id)[0].newDate)).toBe(Date.parse(later));
  });
});

describe("rules", () => {
  it("skips with the reason: an excluded order tag, an erased customer, and notices switched off", async () => {
    const tagged = shippedOrder();
    stack.execute(`INSERT INTO "DelayNoticeSettings" (shop, excludedOrderTags, updatedAt) VALUES (?, 'wholesale, vip', CURRENT_TIMESTAMP)`, DEFAULT_SHOP);
    // Tagged in Shopify: the app reads the order fresh when the event arrives.
    shopData().updateOrder(tagged.id, { tags: ["VIP"], updatedAt: new Date().toISOString().replace(/\.\d{3}Z$/, "Z") });
    await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "fulfillment_events/create", order: tagged.name, eventStatus: "delayed" });
    expect((await settled(tagged.name, 1))[0]).toMatchObject({ status: "skipped", skipReason: "Excluded by the order tag “vip”.", emailId: null });

    const erased = shippedOrder();
    const customer = customerOf(erased)!;
    await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "customers/redact", customer: customer.email! });
    // The whole erasure done (customer, then orders, tickets, …), not just its first step.
    await processed();
    await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "fulfillment_events/create", order: erased.name, eventStatus: "delayed" });
    // The erased order's notice is written under its number as it was before erasure.
    const erasedNotices = await waitFor(erasedDelays, (rows) => rows.length === 1 && rows[0].status !== "queued" && rows[0].status !== "sending", 20_000, "the erased order's notice");
    expect(erasedNotices[0]).toMatchObject({ status: "skipped", skipReason: "The customer's data was erased at their request.", emailId: null });

    const off = shippedOrder();
    stack.execute(`UPDATE "DelayNoticeSettings" SET enabled = false WHERE shop = ?`, DEFAULT_SHOP);
    await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "fulfillment_events/create", order: off.name, eventStatus: "attempted_delivery" });
    expect((await settled(off.name, 1))[0]).toMatchObject({ status: "skipped", skipReason: "Delay notices are switched off." });
    stack.execute(`DELETE FROM "DelayNoticeSettings" WHERE shop = ?`, DEFAULT_SHOP);
  });

  it("an erasure part way done still stops the notice: the customer's row is erased, their order's not yet", async () => {
    const order = shippedOrder(undefined, true);
    const customer = customerOf(order)!;
    // What customers/redact leaves between its steps: the customer's row re-keyed by the app's
    // keyed hash of their id and emptied, the order still naming the old id and its email.
    const key = `redacted:${createHmac("sha256", DEV_APP.apiSecret).update(`${DEFAULT_SHOP}\u0000${customer.id}`).digest("hex").slice(0, 40)}`;
    stack.execute(
      `UPDATE "Customer" SET shopifyId = ?, email = NULL, firstName = NULL, lastName = NULL, redactedAt = CURRENT_TIMESTAMP WHERE shop = ? AND shopifyId = ?`,
      key,
      DEFAULT_SHOP,
      customer.id,
    );
    expect(stack.query(`SELECT 1 FROM "Customer" WHERE shop = ? AND shopifyId = ? AND redactedAt IS NOT NULL`, DEFAULT_SHOP, key)).toHaveLength(1);
    expect(stack.query(`SELECT 1 FROM "Order" WHERE shop = ? AND shopifyId = ? AND redactedAt IS NULL AND email IS NOT NULL`, DEFAULT_SHOP, order.id)).toHaveLength(1);
    await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "fulfillment_events/create", order: order.name, eventStatus: "delayed" });
    expect((await settled(order.name, 1))[0]).toMatchObject({ status: "skipped", skipReason: "The customer's data was erased at their request.", emailId: null });
  });

  it("tags the notified order in Shopify when the merchant asks for it", async () => {
    const order = shippedOrder();
    stack.execute(`INSERT INTO "DelayNoticeSettings" (shop, tagOrders, orderTag, updatedAt) VALUES (?, true, 'late-parcel', CURRENT_TIMESTAMP)`, DEFAULT_SHOP);
    await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "fulfillment_events/create", order: order.name, eventStatus: "delayed" });
    expect((await settled(order.name, 1))[0]).toMatchObject({ status: "sent" });
    await waitFor(() => shopData().orderById(order.id)!.tags, (tags) => tags.includes("late-parcel"), 10_000, "the order tag in Shopify");
    stack.execute(`DELETE FROM "DelayNoticeSettings" WHERE shop = ?`, DEFAULT_SHOP);
  });

  it("SMTP down: the notice waits in the outbox and is delivered once when the server is back", async () => {
    await stopSmtp();
    const order = shippedOrder();
    await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "fulfillment_events/create", order: order.name, eventStatus: "delayed" });
    const [notice] = await settled(order.name, 1);
    await waitFor(() => stack.query<{ attempts: number }>(`SELECT attempts FROM "OutboundEmail" WHERE id = ?`, notice.emailId)[0], (row) => (row?.attempts ?? 0) >= 1);
    await startSmtp();
    const email = await emailFor(notice);
    await processed();
    expect(mail.filter((m) => m.messageId === email.messageId)).toHaveLength(1);
  });
});
