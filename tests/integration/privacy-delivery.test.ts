import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SHOP } from "../emulator/index";
import type { Customer } from "../emulator/store/types";
import { startCapturingSmtp, type CapturingSmtp } from "../support/smtp";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA, waitFor } from "../support/wait";
import { formatShopTime } from "../../app/utils/shop-time";

/**
 * Delivering a data request's export to the customer, against a real SMTP server: the email
 * carries the export (and only that customer's data) as a JSON attachment with a summary in the
 * body, from the shop's sender; a double click sends one email and sending again is its own
 * action; a request without an address explains itself and can be marked as delivered; SMTP down
 * leaves the export ready and the email failed with a retry that delivers it once; another shop's
 * ids are not found.
 */

const OTHER_SHOP = "other-privacy.myshopify.com";
let stack: Stack;
let smtp: CapturingSmtp;

const auth = (shop: string) => ({
  Authorization: `Bearer ${stack.emulator.sessionToken(shop)}`,
  "User-Agent": BROWSER_UA,
});
const post = (path: string, fields: Record<string, string>, shop = DEFAULT_SHOP) =>
  fetch(`${stack.app.url}${path}`, {
    method: "POST",
    headers: { ...auth(shop), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
const privacyAction = (fields: Record<string, string>, shop = DEFAULT_SHOP) =>
  post("/app/privacy?_data=routes%2Fapp.privacy", fields, shop);
/** The privacy page as the admin renders it (server-side), its text only. */
async function privacyPage(shop = DEFAULT_SHOP): Promise<string> {
  const response = await fetch(`${stack.app.url}/app/privacy`, { headers: auth(shop) });
  expect(response.status).toBe(200);
  return (await response.text())
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

interface RequestRow {
  id: string;
  status: string;
  deliveryEmailId: string | null;
  deliveredAt: string | null;
  deliveredVia: string | null;
  deliveredTo: string | null;
  deliveredBy: string | null;
}
const requestRow = (id: string) =>
  stack.query<RequestRow>(
    `SELECT id, status, deliveryEmailId, deliveredAt, deliveredVia, deliveredTo, deliveredBy
     FROM "DataRequest" WHERE id = ?`,
    id,
  )[0];
const exportEmails = (id: string) =>
  stack.query<{ id: string; status: string; toAddress: string; lastError: string | null; attempts: number }>(
    `SELECT id, status, toAddress, lastError, attempts FROM "OutboundEmail"
     WHERE dataRequestId = ? ORDER BY createdAt, id`,
    id,
  );
const mailTo = (address: string) =>
  smtp.received.filter((m) => JSON.stringify(m.to).toLowerCase().includes(address.toLowerCase()));

/** A customers/data_request from Shopify, processed: the request row once its export is ready. */
async function dataRequest(input: { customer?: string; payload?: unknown }, shop = DEFAULT_SHOP): Promise<RequestRow> {
  const delivered = await stack.emulator.deliverWebhook({ shop, topic: "customers/data_request", ...input });
  expect(delivered.status).toBe(200);
  const [row] = await waitFor(
    () =>
      stack.query<{ id: string }>(
        `SELECT r.id FROM "DataRequest" r JOIN "WebhookEvent" e ON e.id = r.webhookEventId
         WHERE e.eventId = ? AND r.status = 'ready'`,
        delivered.eventId,
      ),
    (rows) => rows.length === 1,
    20_000,
    "the data request's export",
  );
  return requestRow(row.id);
}

async function askQuestion(customer: Customer, message: string) {
  const response = await fetch(
    `${stack.emulator.url}/storefront/${DEFAULT_SHOP.replace(/\.myshopify\.com$/, "")}/apps/support/contact`,
    {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Emulator-Client-Ip": `10.9.0.${customer.legacyResourceId % 250}`,
      },
      body: JSON.stringify({
        email: customer.email,
        name: `${customer.firstName} ${customer.lastName}`,
        message,
        locale: "en",
      }),
    },
  );
  expect(response.status).toBe(200);
}

let asker: Customer;
let other: Customer;

beforeAll(async () => {
  smtp = await startCapturingSmtp();
  stack = await startStack({ shops: [DEFAULT_SHOP, OTHER_SHOP], appEnv: { SMTP_URL: smtp.url } });
  for (const shop of [DEFAULT_SHOP, OTHER_SHOP])
    expect((await fetch(`${stack.app.url}/app`, { headers: auth(shop) })).status).toBe(200);
  await waitFor(
    () =>
      stack.query(`SELECT 1 FROM "SyncRun" WHERE shop = ? AND kind = 'bulk' AND status = 'succeeded'`, DEFAULT_SHOP),
    (r) => r.length === 1,
    60_000,
    "the first sync",
  );
  const customers = stack.emulator.store.shop(DEFAULT_SHOP)!.customers;
  const unique = (c: Customer) =>
    !customers.some((o) => o.id !== c.id && (o.firstName === c.firstName || o.lastName === c.lastName));
  const ordersOf = (c: Customer) => stack.emulator.store.shop(DEFAULT_SHOP)!.ordersForCustomer(c.id).length;
  asker = customers.find((c) => c.email && c.locale === "en" && c.firstName && unique(c) && ordersOf(c) > 0)!;
  other = customers.find((c) => c.email && c.id !== asker.id && unique(c))!;
  expect(asker && other).toBeTruthy();
  await askQuestion(asker, "Where is my parcel? Ticket from the asker.");
  await askQuestion(other, `Someone else entirely: ${other.firstName} writing about a refund.`);
  // Their acknowledgements are out of the way: every email below is a delivery.
  await waitFor(
    () => stack.query(`SELECT 1 FROM "OutboundEmail" WHERE status = 'queued'`),
    (r) => r.length === 0,
    20_000,
    "the acknowledgements sent",
  );
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await smtp?.stop();
});

describe("Email to customer", () => {
  let request: RequestRow;

  it("sends the export attached with a summary, from the shop's sender, once however often it is clicked", async () => {
    request = await dataRequest({ customer: asker.email! });
    expect(await privacyPage()).toContain("Export ready to download");
    const before = smtp.received.length;
    // A double click: two posts from the same page, both naming "no email yet".
    const answers = await Promise.all([
      privacyAction({ intent: "email", id: request.id, expected: "" }),
      privacyAction({ intent: "email", id: request.id, expected: "" }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    expect(exportEmails(request.id)).toHaveLength(1);
    await waitFor(
      () => exportEmails(request.id)[0],
      (e) => e.status === "sent",
      20_000,
      "the export email sent",
    );
    const received = mailTo(asker.email!);
    expect(received.filter((m) => (m.subject ?? "").startsWith("Your data from"))).toHaveLength(1);
    expect(smtp.received.length - before).toBe(1);
    const [mail] = received.filter((m) => (m.subject ?? "").startsWith("Your data from"));

    // The shop's sender (its Shopify name and email until the merchant sets their own).
    const [info] = stack.query<{ name: string; email: string }>(
      `SELECT name, email FROM "Shop" WHERE shop = ?`,
      DEFAULT_SHOP,
    );
    expect(mail.subject).toBe(`Your data from ${info.name}`);
    expect(mail.from?.value[0]).toMatchObject({ address: info.email, name: info.name });
    expect(mail.headers.get("auto-submitted")).toBe("no");

    // The attachment is the export, byte for byte what the download gives, about this customer only.
    expect(mail.attachments).toHaveLength(1);
    const [file] = mail.attachments;
    expect(file.contentType).toBe("application/json");
    expect(file.filename).toMatch(new RegExp(`^data-request-\\d{4}-\\d\\d-\\d\\d-${request.id}\\.json$`));
    const download = await fetch(`${stack.app.url}/app/privacy/${request.id}/export`, { headers: auth(DEFAULT_SHOP) });
    expect(download.status).toBe(200);
    const attached = file.content.toString("utf8");
    expect(attached).toBe(await download.text());
    const exported = JSON.parse(attached);
    expect(exported.customer.email).toBe(asker.email);
    expect(exported.data.customers).toEqual([
      expect.objectContaining({ email: asker.email, firstName: asker.firstName }),
    ]);
    expect(exported.data.tickets).toEqual([expect.objectContaining({ customerEmail: asker.email!.toLowerCase() })]);
    expect(exported.data.orders.length).toBe(
      stack.emulator.store.shop(DEFAULT_SHOP)!.ordersForCustomer(asker.id).length,
    );
    for (const needle of [other.email!, other.lastName!, "Someone else entirely"])
      expect(attached.toLowerCase()).not.toContain(needle.toLowerCase());

    // The body says what the file holds, in words.
    expect(mail.text).toContain(`Hi ${asker.firstName},`);
    expect(mail.text).toContain(`The attached file, ${file.filename}, has all of it`);
    expect(mail.text).toContain(`• Your details: ${asker.firstName} ${asker.lastName}, ${asker.email}`);
    expect(mail.text).toContain(`• Orders: ${exported.data.orders.length} (`);
    expect(mail.text).toContain("• Support conversations: 1 (#");

    // Recorded: when (SMTP accepted it), to which address, by whom; listed in the shop's zone.
    const row = requestRow(request.id);
    expect(row).toMatchObject({
      status: "ready",
      deliveredVia: "email",
      deliveredTo: asker.email,
      deliveredBy: "Alex Moreau",
    });
    const [{ zone }] = stack.query<{ zone: string }>(
      `SELECT ianaTimezone AS zone FROM "Shop" WHERE shop = ?`,
      DEFAULT_SHOP,
    );
    const page = await privacyPage();
    expect(page).toContain(`Sent to customer on ${formatShopTime(new Date(row.deliveredAt!), zone)}`);
    expect(page).toContain(`To ${asker.email} by Alex Moreau`);
  });

  it("sends again only when asked to again, and once for a double click of that too", async () => {
    const first = requestRow(request.id);
    // The page as it was before the first email went: it names no email, so nothing more is sent.
    const stale = await privacyAction({ intent: "email", id: request.id, expected: "" });
    expect(stale.status).toBe(200);
    expect((await stale.json()).message).toMatch(/already on its way/);
    expect(exportEmails(request.id)).toHaveLength(1);

    const again = await Promise.all([
      privacyAction({ intent: "email", id: request.id, expected: first.deliveryEmailId! }),
      privacyAction({ intent: "email", id: request.id, expected: first.deliveryEmailId! }),
    ]);
    expect(again.map((r) => r.status)).toEqual([200, 200]);
    const emails = exportEmails(request.id);
    expect(emails).toHaveLength(2);
    await waitFor(
      () => requestRow(request.id),
      (r) => r.deliveryEmailId === emails[1].id && r.deliveredAt !== first.deliveredAt,
      20_000,
      "the second email delivered",
    );
    expect(mailTo(asker.email!).filter((m) => (m.subject ?? "").startsWith("Your data from"))).toHaveLength(2);
  });
});

describe("a request Shopify sent without an email address", () => {
  it("explains why it cannot be emailed, and is marked as delivered once, by whom", async () => {
    const request = await dataRequest({
      payload: {
        shop_id: 1,
        shop_domain: DEFAULT_SHOP,
        orders_requested: [],
        customer: { id: 998877, email: null, phone: null },
        data_request: { id: 4455 },
      },
    });
    const page = await privacyPage();
    expect(page).toContain(
      "Shopify sent no email address with this request: download the export and deliver it another way.",
    );
    const refused = await privacyAction({ intent: "email", id: request.id, expected: "" });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({
      ok: false,
      errors: { email: expect.stringContaining("no email address") },
    });
    expect(exportEmails(request.id)).toEqual([]);

    expect((await privacyAction({ intent: "delivered", id: request.id })).status).toBe(200);
    const marked = requestRow(request.id);
    expect(marked).toMatchObject({
      status: "ready",
      deliveredVia: "other",
      deliveredBy: "Alex Moreau",
      deliveredTo: null,
    });
    const twice = await privacyAction({ intent: "delivered", id: request.id });
    expect(twice.status).toBe(200);
    expect((await twice.json()).message).toMatch(/already recorded/);
    expect(requestRow(request.id).deliveredAt).toBe(marked.deliveredAt);
    expect(await privacyPage()).toContain("Delivered another way, recorded by Alex Moreau");
  });

  it("refuses an address mail cannot go to, and input that names no request", async () => {
    const request = await dataRequest({
      payload: {
        shop_domain: DEFAULT_SHOP,
        customer: { id: 998878, email: "<img src=x onerror=alert(1)>" },
        data_request: { id: 4456 },
      },
    });
    const refused = await privacyAction({ intent: "email", id: request.id, expected: "" });
    expect(refused.status).toBe(422);
    expect((await refused.json()).message).toMatch(/not one mail can be sent to/);
    // Shown as text, never as markup.
    const html = await (await fetch(`${stack.app.url}/app/privacy`, { headers: auth(DEFAULT_SHOP) })).text();
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    for (const fields of [
      { intent: "email" },
      { intent: "send_everything", id: request.id },
      { intent: "retry", id: request.id },
      { intent: "delivered", id: "x".repeat(65) },
    ] as Record<string, string>[]) {
      const response = await privacyAction(fields);
      expect(response.status, JSON.stringify(fields)).toBe(422);
    }
  });
});

describe("SMTP down", () => {
  it("keeps the export ready, shows the email failed with a retry, and the retry delivers it once", async () => {
    const customer = stack.emulator.store
      .shop(DEFAULT_SHOP)!
      .customers.find((c) => c.email && c.id !== asker.id && c.id !== other.id)!;
    const request = await dataRequest({ customer: customer.email! });
    await smtp.stop();
    try {
      expect((await privacyAction({ intent: "email", id: request.id, expected: "" })).status).toBe(200);
      // Test backoff is 50–200 ms: the send job runs out of attempts within seconds.
      const [failed] = await waitFor(
        () => exportEmails(request.id),
        (e) => e[0]?.status === "failed",
        30_000,
        "the email given up on",
      );
      expect(failed.lastError).toMatch(/ECONNREFUSED|connect/i);
      expect(requestRow(request.id)).toMatchObject({ status: "ready", deliveredAt: null });
      const page = await privacyPage();
      expect(page).toContain("Failed to send");
      expect(page).toContain("Retry now");
    } finally {
      await smtp.start();
    }
    const [email] = exportEmails(request.id);
    // Another shop cannot retry it.
    expect((await privacyAction({ intent: "retry", id: request.id, emailId: email.id }, OTHER_SHOP)).status).toBe(404);
    expect((await privacyAction({ intent: "retry", id: request.id, emailId: email.id })).status).toBe(200);
    await waitFor(
      () => requestRow(request.id),
      (r) => r.deliveredVia === "email",
      20_000,
      "the retried email delivered",
    );
    expect(mailTo(customer.email!).filter((m) => (m.subject ?? "").startsWith("Your data from"))).toHaveLength(1);
    expect(exportEmails(request.id)).toEqual([
      expect.objectContaining({ id: email.id, status: "sent", lastError: null }),
    ]);
    // Nothing left to retry.
    expect((await privacyAction({ intent: "retry", id: request.id, emailId: email.id })).status).toBe(409);
  }, 60_000);
});

describe("another shop", () => {
  it("finds none of this shop's requests: every action and the download answer 404 and change nothing", async () => {
    const [row] = stack.query<RequestRow>(
      `SELECT id FROM "DataRequest" WHERE shop = ? AND deliveryEmailId IS NOT NULL LIMIT 1`,
      DEFAULT_SHOP,
    );
    const before = requestRow(row.id);
    const emailsBefore = exportEmails(row.id);
    for (const fields of [
      { intent: "email", id: row.id, expected: before.deliveryEmailId! },
      { intent: "email", id: row.id, expected: "" },
      { intent: "retry", id: row.id, emailId: before.deliveryEmailId! },
      { intent: "delivered", id: row.id },
      { intent: "delivered", id: "no-such-request" },
    ] as Record<string, string>[]) {
      const response = await privacyAction(fields, OTHER_SHOP);
      expect(response.status, JSON.stringify(fields)).toBe(404);
    }
    expect(requestRow(row.id)).toEqual(before);
    expect(exportEmails(row.id)).toEqual(emailsBefore);
    expect((await fetch(`${stack.app.url}/app/privacy/${row.id}/export`, { headers: auth(OTHER_SHOP) })).status).toBe(
      404,
    );
    expect(await privacyPage(OTHER_SHOP)).not.toContain(row.id);
  });
});
