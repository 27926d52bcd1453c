import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SHOP } from "../emulator/index";
import type { FulfillmentHold, MailingAddress } from "../emulator/store/types";
import { startCapturingSmtp, type CapturingSmtp } from "../support/smtp";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA, waitFor as waitForCondition } from "../support/wait";
import { foldText } from "../../app/services/faq/search";

/**
 * After customers/redact (and shop/redact) nothing of the shopper is left in any text column of
 * any table (read from SQLite's own catalog, so a new table is scanned without anyone listing it):
 * not their email, names, phone or street, in any case. The shopper's traces are left first through
 * every way shopper data enters the app, each through its real route, webhook or job: the synced
 * customer and orders, the storefront's help visit, searches, order lookup and contact form,
 * inbound email, a survey comment, a check-in reply, carrier and hold delay notices, webhook
 * payloads, a mail server's refusal kept on the job, every email sent, and a privacy export
 * emailed to them. A trace left behind fails with its table and column.
 */

const SHOP_B = "redaction-b.myshopify.com";
const INBOUND_SECRET = "redaction-scan-inbound-secret";
let stack: Stack;
let smtp: CapturingSmtp;

/** The suite's own poller, with this file's longer wait (a redaction touches every table). */
const waitFor = <T>(read: () => T, done: (value: T) => boolean, label: string, timeoutMs = 20_000) =>
  waitForCondition(read, done, timeoutMs, label);

interface Shopper {
  shop: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  address1: string;
  city: string;
  /** The client address the emulator's App Proxy reports for them. */
  ip: string;
}

// Names, street and numbers nobody in the seeded stores has, so any hit is theirs.
const SHOPPERS: Shopper[] = [
  {
    shop: DEFAULT_SHOP,
    firstName: "Quillon",
    lastName: "Fairweather-Oduya",
    email: "quillon.fairweather@shopper.example",
    phone: "+37255590714",
    address1: "Vihmavarju tänav 17",
    city: "Kõrvemaa",
    ip: "10.80.0.1",
  },
  {
    shop: SHOP_B,
    firstName: "Ysolde",
    lastName: "Marchbanks-Tuyet",
    email: "ysolde.marchbanks@shopper.example",
    phone: "+40755590388",
    address1: "Strada Umbrelei 41",
    city: "Vârfuleni",
    ip: "10.80.0.2",
  },
];
const needlesOf = (p: Shopper) => [p.email, p.firstName, p.lastName, p.phone, p.address1, p.city];

const auth = (shop: string) => ({
  Authorization: `Bearer ${stack.emulator.sessionToken(shop)}`,
  "User-Agent": BROWSER_UA,
});
const adminPost = (shop: string, path: string, fields: Record<string, string>) =>
  fetch(`${stack.app.url}${path}`, {
    method: "POST",
    headers: { ...auth(shop), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
const storefront = (p: Shopper, path: string) =>
  `${stack.emulator.url}/storefront/${p.shop.replace(/\.myshopify\.com$/, "")}/apps/support${path}`;
const proxyPost = (p: Shopper, path: string, body: unknown) =>
  fetch(storefront(p, path), {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Emulator-Client-Ip": p.ip },
    body: JSON.stringify(body),
  });
const inboundEmail = (raw: string[]) =>
  fetch(`${stack.app.url}/inbound/email`, {
    method: "POST",
    headers: { Authorization: `Bearer ${INBOUND_SECRET}`, "Content-Type": "message/rfc822" },
    body: raw.join("\r\n"),
  });
const supportAddress = (p: Shopper) => `help@${p.shop.replace(/\.myshopify\.com$/, "")}.example`;

/** Every table.column whose text, lower-cased (and folded as the FAQ search folds it), contains a needle. */
function cellsContaining(needles: string[]): string[] {
  const wanted = [...new Set(needles.flatMap((n) => [n.toLowerCase(), foldText(n)]))];
  const tables = stack.database.tables().map((name) => ({ name }));
  expect(tables.length).toBeGreaterThan(10);
  const hits: string[] = [];
  for (const { name: table } of tables) {
    for (const { name: column } of stack.database.columns(table).map((name) => ({ name }))) {
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
const tablesOf = (hits: string[]) => [...new Set(hits.map((h) => h.split(" ")[0]))];

const eventStatus = (eventId: string) =>
  stack.query<{ status: string }>('SELECT status FROM "WebhookEvent" WHERE eventId = ?', eventId)[0]?.status;
async function webhook(input: Parameters<Stack["emulator"]["deliverWebhook"]>[0]) {
  const delivered = await stack.emulator.deliverWebhook(input);
  expect(delivered.status, input.topic).toBe(200);
  await waitFor(
    () => eventStatus(delivered.eventId),
    (s) => s === "processed",
    `${input.topic} processed`,
  );
  return delivered;
}

const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The shopper as Shopify holds them: a customer who agreed to emails, with three orders. */
function createInShopify(p: Shopper) {
  const data = stack.emulator.store.shop(p.shop)!;
  const customer = data.addCustomer({
    firstName: p.firstName,
    lastName: p.lastName,
    email: p.email,
    phone: p.phone,
    locale: "en",
    createdAt: ago(30),
  });
  const address: MailingAddress = {
    __typename: "MailingAddress",
    id: `gid://shopify/MailingAddress/${customer.legacyResourceId}1`,
    firstName: p.firstName,
    lastName: p.lastName,
    name: `${p.firstName} ${p.lastName}`,
    company: null,
    address1: p.address1,
    address2: null,
    city: p.city,
    province: null,
    provinceCode: null,
    zip: "50409",
    country: "Estonia",
    countryCodeV2: "EE",
    phone: p.phone,
  };
  data.updateCustomer(customer.id, {
    defaultAddress: address,
    emailMarketingConsent: {
      marketingState: "SUBSCRIBED",
      marketingOptInLevel: "SINGLE_OPT_IN",
      consentUpdatedAt: ago(30),
    },
  });
  const line = (title: string) => [{ title, quantity: 1, price: "24.00" }];
  // Delivered three days ago: due a check-in two days after delivery.
  const delivered = data.addOrder({
    customerId: customer.id,
    lineItems: line("Linen apron"),
    createdAt: ago(9),
    shippingAddress: address,
  });
  const parcel = data.addFulfillment({
    orderId: delivered.id,
    createdAt: ago(7),
    trackingInfo: [{ company: "Omniva", number: "CC123456789EE", url: "https://example.com/track/CC123456789EE" }],
  });
  data.updateFulfillment(parcel.id, { deliveredAt: ago(3), displayStatus: "DELIVERED", updatedAt: ago(3) });
  // On its way: the carrier will report it delayed.
  const shipped = data.addOrder({
    customerId: customer.id,
    lineItems: line("Wool blanket"),
    createdAt: ago(3),
    shippingAddress: address,
  });
  const onTheWay = data.addFulfillment({ orderId: shipped.id, createdAt: ago(1), displayStatus: "IN_TRANSIT" });
  // Not shipped yet: the merchant will hold it, with a note about the address.
  const held = data.addOrder({
    customerId: customer.id,
    lineItems: line("Clay mug"),
    createdAt: ago(1),
    shippingAddress: address,
  });
  return { customer, delivered, shipped, onTheWay, held };
}

/** Leaves the shopper's traces in their shop through every way shopper data enters the app. */
async function leaveTraces(p: Shopper) {
  const { customer, delivered, shipped, onTheWay, held } = createInShopify(p);
  const tag = (what: string) => `${p.shop}: ${what}`;

  // Installed and synced: the bulk export brings the customer and their orders.
  expect((await fetch(`${stack.app.url}/app`, { headers: auth(p.shop) })).status).toBe(200);
  await waitFor(
    () => stack.query<{ status: string }>(`SELECT status FROM "SyncRun" WHERE shop = ? AND kind = 'bulk'`, p.shop)[0],
    (run) => run?.status === "succeeded",
    tag("the first sync"),
    60_000,
  );
  expect(stack.query(`SELECT 1 FROM "Customer" WHERE shop = ? AND email = ?`, p.shop, p.email)).toHaveLength(1);
  // The desk's own address (inbound mail to it becomes the shop's), surveys and check-ins on.
  const settings = await adminPost(p.shop, "/app/settings", {
    fromEmail: supportAddress(p),
    fromName: "Help",
    responseTimeHours: "24",
    timeZone: "UTC",
    ...Object.fromEntries(
      ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].flatMap((d) => [
        [`${d}Open`, "on"],
        [`${d}From`, "00:00"],
        [`${d}To`, "23:59"],
      ]),
    ),
    signature: "",
    autoAcknowledge: "on",
    csatEnabled: "on",
    checkInEnabled: "on",
    checkInDays: "2",
  });
  expect(settings.status, tag("settings")).toBe(200);

  // The storefront: a help visit, searches for their own details, an order lookup, a question.
  // Their mailbox is full at first: the mail server's refusal quotes their address.
  smtp.refuseRecipient(p.email, 1);
  const visit = `visit-redaction-${p.ip.replace(/\D/g, "")}`;
  expect((await proxyPost(p, "/visit", { visit, locale: "en" })).status).toBe(200);
  for (const q of [p.email, `${p.firstName} ${p.lastName}`, p.phone, p.email.toUpperCase(), p.address1]) {
    const response = await fetch(
      storefront(p, `/faq/search?q=${encodeURIComponent(q)}&locale=en&record=1&visit=${visit}`),
      {
        headers: { "X-Emulator-Client-Ip": p.ip },
      },
    );
    expect(response.status).toBe(200);
  }
  expect((await proxyPost(p, "/order-status", { orderNumber: shipped.name, email: p.email })).status).toBe(200);
  const asked = await proxyPost(p, "/contact", {
    name: `${p.firstName} ${p.lastName}`,
    email: p.email,
    message: `Hello, ${p.firstName} here, call me on ${p.phone}; I live at ${p.address1}, ${p.city}.`,
    locale: "en",
    visit,
  });
  expect(asked.status).toBe(200);
  const { ticketNumber } = await asked.json();
  const [ticket] = stack.query<{ id: string }>(
    `SELECT id FROM "Ticket" WHERE shop = ? AND number = ?`,
    p.shop,
    ticketNumber,
  );
  await waitFor(
    () =>
      stack.query<{ status: string }>(
        `SELECT status FROM "OutboundEmail" WHERE shop = ? AND ticketId = ?`,
        p.shop,
        ticket.id,
      ),
    (rows) => rows.length === 1 && rows[0].status === "sent",
    tag("the acknowledgement, sent once the mailbox had room"),
  );

  // Inbound email: they write to the support address from their own mailbox.
  const wrote = await inboundEmail([
    `From: "${p.firstName} ${p.lastName}" <${p.email}>`,
    `To: ${supportAddress(p)}`,
    `Subject: ${p.firstName} ${p.lastName}: about my blanket`,
    `Message-ID: <first-${p.ip.replace(/\D/g, "")}@mail.shopper.example>`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    `It should go to ${p.address1}, ${p.city}. Phone ${p.phone}.`,
  ]);
  expect(wrote.status, tag("inbound email")).toBe(200);
  expect((await wrote.json()).outcome).toBe("created");

  // A survey comment: the question is solved, the survey emailed, its link followed with a comment.
  expect((await adminPost(p.shop, `/app/inbox/${ticket.id}`, { intent: "status", status: "solved" })).status).toBe(200);
  const survey = await waitFor(
    () =>
      smtp.received.find(
        (m) => JSON.stringify(m.to).includes(p.email) && (m.text ?? "").includes("/apps/support/csat?s="),
      ),
    Boolean,
    tag("the survey email"),
  );
  const token = /\/apps\/support\/csat\?s=([^&\s]+)&r=\d/.exec(survey!.text!)![1];
  const rated = await fetch(storefront(p, `/csat?s=${token}&r=2`), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Emulator-Client-Ip": p.ip },
    body: new URLSearchParams({ comment: `${p.firstName} ${p.lastName} says: ring ${p.phone}` }),
  });
  expect(rated.status, tag("survey comment")).toBe(200);

  // Delay notices: a carrier's delay on the parcel on its way, a hold with a note on the unshipped order.
  await webhook({ shop: p.shop, topic: "fulfillment_events/create", fulfillment: onTheWay.id, eventStatus: "delayed" });
  const hold: FulfillmentHold = {
    __typename: "FulfillmentHold",
    id: `gid://shopify/FulfillmentHold/${customer.legacyResourceId}7`,
    reason: "INCORRECT_ADDRESS",
    reasonNotes: `The courier cannot find ${p.address1}, ${p.city}`,
    displayReason: "Incorrect address",
    handle: null,
    heldByRequestingApp: false,
  };
  const data = stack.emulator.store.shop(p.shop)!;
  data.updateFulfillmentOrder(held.fulfillmentOrders[0].id, {
    status: "ON_HOLD",
    fulfillmentHolds: [hold],
    updatedAt: ago(0),
  });
  await webhook({
    shop: p.shop,
    topic: "fulfillment_orders/placed_on_hold",
    fulfillmentOrder: held.fulfillmentOrders[0].id,
  });
  const noticeOrders = [shipped.id, held.id];
  await waitFor(
    () =>
      stack.query<{ status: string }>(
        `SELECT status FROM "DelayNotice" WHERE shop = ? AND orderShopifyId IN (?, ?)`,
        p.shop,
        ...noticeOrders,
      ),
    (rows) => rows.length === 2 && rows.every((r) => r.status === "sent"),
    tag("both delay notices sent"),
  );

  // Webhook payloads stored: the customer and an order changed in Shopify.
  await webhook({ shop: p.shop, topic: "customers/update", customer: p.email });
  await webhook({ shop: p.shop, topic: "orders/updated", order: delivered.name });

  // A check-in after the delivery, and their reply to it: a ticket about the order.
  const [checkIn] = await waitFor(
    () =>
      stack.query<{ messageId: string; status: string }>(
        `SELECT e.messageId, e.status FROM "CheckIn" c JOIN "OutboundEmail" e ON e.id = c.emailId
         WHERE c.shop = ? AND c.orderShopifyId = ?`,
        p.shop,
        delivered.id,
      ),
    (rows) => rows.length === 1 && rows[0].status === "sent",
    tag("the check-in sent"),
  );
  const replied = await inboundEmail([
    `From: ${p.email}`,
    `To: ${supportAddress(p)}`,
    `Subject: Re: your order ${delivered.name}`,
    `Message-ID: <reply-${p.ip.replace(/\D/g, "")}@mail.shopper.example>`,
    `In-Reply-To: ${checkIn.messageId}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    `The apron is fine, thanks. ${p.firstName}`,
  ]);
  expect(replied.status, tag("check-in reply")).toBe(200);
  await waitFor(
    () =>
      stack.query(
        `SELECT 1 FROM "Ticket" WHERE shop = ? AND orderName = ? AND channel = 'email'`,
        p.shop,
        delivered.name,
      ),
    (rows) => rows.length === 1,
    tag("the check-in reply's ticket"),
  );

  // A privacy export, emailed to them from the admin.
  const asking = await webhook({ shop: p.shop, topic: "customers/data_request", customer: p.email });
  const [request] = stack.query<{ id: string }>(
    `SELECT r.id FROM "DataRequest" r JOIN "WebhookEvent" e ON e.id = r.webhookEventId WHERE e.eventId = ?`,
    asking.eventId,
  );
  expect(
    (
      await adminPost(p.shop, "/app/privacy?_data=routes%2Fapp.privacy", {
        intent: "email",
        id: request.id,
        expected: "",
      })
    ).status,
  ).toBe(200);
  await waitFor(
    () =>
      stack.query<{ deliveredTo: string | null }>(`SELECT deliveredTo FROM "DataRequest" WHERE id = ?`, request.id)[0],
    (row) => row.deliveredTo === p.email,
    tag("the export emailed"),
  );

  // Everything has settled: no email waiting, no delivery unprocessed, no work running.
  await waitFor(
    () =>
      stack.query<{ n: number }>(
        `SELECT (SELECT COUNT(*) FROM "OutboundEmail" WHERE shop = ? AND status = 'queued')
              + (SELECT COUNT(*) FROM "WebhookEvent" WHERE shop = ? AND status = 'received')
              + (SELECT COUNT(*) FROM "Job" WHERE shop = ? AND status = 'running') AS n`,
        p.shop,
        p.shop,
        p.shop,
      )[0].n,
    (n) => n === 0,
    tag("the shop's work settled"),
  );
}

beforeAll(async () => {
  smtp = await startCapturingSmtp();
  // The request log on, to show it keeps nothing the shopper typed.
  stack = await startStack({
    shops: [DEFAULT_SHOP, SHOP_B],
    appEnv: {
      LOG_REQUESTS: "1",
      SMTP_URL: smtp.url,
      INBOUND_EMAIL_SECRET: INBOUND_SECRET,
      CHECKIN_SCAN_INTERVAL_MS: "1000",
    },
  });
  for (const shopper of SHOPPERS) await leaveTraces(shopper);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  await smtp?.stop();
});

describe("every way shopper data enters the app", () => {
  it("left the shopper's traces where each channel keeps them (what the redaction then has to find)", () => {
    for (const shopper of SHOPPERS) {
      const found = tablesOf(cellsContaining(needlesOf(shopper)));
      expect(found, shopper.shop).toEqual(
        expect.arrayContaining([
          "Customer.email",
          "Customer.firstName",
          "Order.email",
          "FaqSearch.sample",
          "Ticket.customerEmail",
          "Ticket.customerName",
          "TicketMessage.body",
          "TicketMessage.authorEmail",
          "SatisfactionSurvey.comment",
          "FulfillmentOrder.holds",
          "OutboundEmail.toAddress",
          "OutboundEmail.text",
          "WebhookEvent.payload",
          "Job.lastError",
          "DataRequest.email",
          "DataRequest.export",
          "DataRequest.deliveredTo",
        ]),
      );
    }
  });
});

describe("customers/redact", () => {
  it("leaves the customer's email, names, phone and street in no text column of any table", async () => {
    const [a, b] = SHOPPERS;
    const searchesBefore = stack.query<{ n: number }>(`SELECT COUNT(*) AS n FROM "FaqSearch" WHERE shop = ?`, a.shop)[0]
      .n;
    expect(searchesBefore).toBeGreaterThanOrEqual(3);
    const [ticket] = stack.query<{ number: number }>(
      `SELECT number FROM "Ticket" WHERE shop = ? AND channel = 'storefront' AND customerEmail = ?`,
      a.shop,
      a.email,
    );

    await webhook({ shop: a.shop, topic: "customers/redact", customer: a.email });

    expect(cellsContaining(needlesOf(a))).toEqual([]);
    // The request log never had what they typed (searches are GET requests with the words in the query),
    // and the job runner's warnings name no address a mail server quoted.
    const log = stack.app.output().toLowerCase();
    expect(log).toContain("/proxy/faq/search");
    expect(log).toContain("<address>");
    for (const needle of [...needlesOf(a), encodeURIComponent(a.email), encodeURIComponent(a.phone)]) {
      expect(log, needle).not.toContain(needle.toLowerCase());
    }
    // Anonymous counts stay: the visit (contacted, no longer tied to the ticket or its id), the ticket's number.
    const visits = stack.query<{ visitId: string; contacted: number; ticketId: string | null }>(
      `SELECT visitId, contacted, ticketId FROM "HelpVisit" WHERE shop = ?`,
      a.shop,
    );
    expect(visits).toEqual([{ visitId: expect.stringMatching(/^erased-/), contacted: 1, ticketId: null }]);
    expect(stack.query(`SELECT 1 FROM "Ticket" WHERE shop = ? AND number = ?`, a.shop, ticket.number)).toHaveLength(1);
    expect(stack.query(`SELECT 1 FROM "DataRequest" WHERE shop = ? AND status = 'redacted'`, a.shop)).toHaveLength(1);
    // The other shop's shopper is untouched.
    expect(tablesOf(cellsContaining(needlesOf(b)))).toEqual(
      expect.arrayContaining(["Customer.email", "TicketMessage.body"]),
    );
  });
});

describe("shop/redact", () => {
  it("leaves nothing of the shop's shoppers, and no row of the shop, in any table", async () => {
    const b = SHOPPERS[1];
    const delivered = await stack.emulator.deliverWebhook({ shop: b.shop, topic: "shop/redact" });
    expect(delivered.status).toBe(200);
    const tables = stack
      .database.tables().map((name) => ({ name }))
      .map((t) => t.name)
      .filter((name) =>
        stack.database.columns(name).map((name) => ({ name })).some((c) => c.name === "shop"),
      );
    await waitFor(
      () => tables.filter((t) => stack.query(`SELECT 1 FROM "${t}" WHERE shop = ? LIMIT 1`, b.shop).length > 0),
      (left) => left.length === 0,
      "every row of the shop deleted",
    );
    expect(cellsContaining(needlesOf(b))).toEqual([]);
  });
});
