import { afterAll, beforeAll, expect, it } from "vitest";
import { DEFAULT_SHOP } from "../emulator/index";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA, waitFor } from "../support/wait";

/**
 * Post-purchase check-ins: off by default; on, a scan (every 2 s here) emails each delivered
 * order's shopper once, a day after delivery, only with their email consent; a reply to the
 * check-in becomes a ticket about that order.
 */

let stack: Stack;
const SECRET = "inbound-test-secret";

beforeAll(async () => {
  stack = await startStack({ appEnv: { CHECKIN_SCAN_INTERVAL_MS: "2000", INBOUND_EMAIL_SECRET: SECRET } });
  const opened = await fetch(`${stack.app.url}/app`, { headers: { Authorization: `Bearer ${stack.emulator.sessionToken(DEFAULT_SHOP)}`, "User-Agent": BROWSER_UA } });
  expect(opened.status).toBe(200);
  await waitFor(() => stack.query(`SELECT 1 FROM "SyncRun" WHERE kind = 'bulk' AND status = 'succeeded'`), (rows) => rows.length === 1, 60_000, "the first sync");
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

type Row = { orderShopifyId: string; orderName: string; status: string; skipReason: string | null; emailId: string | null };
const checkIns = () => stack.query<Row>(`SELECT orderShopifyId, orderName, status, skipReason, emailId FROM "CheckIn" WHERE shop = ?`, DEFAULT_SHOP);

const scanIds = (status?: string) =>
  stack.query<{ id: string }>(`SELECT id FROM "Job" WHERE shop = ? AND kind = 'checkin.scan'${status ? " AND status = ?" : ""}`, ...(status ? [DEFAULT_SHOP, status] : [DEFAULT_SHOP])).map((r) => r.id);
/**
 * Waits until a scan queued after this call has finished: it started after the state the test
 * set up, so it found all it would find (a positive signal, not a sleep).
 */
async function aWholeScanFinished() {
  const before = new Set(scanIds());
  await waitFor(() => scanIds("succeeded"), (ids) => ids.some((id) => !before.has(id)), 20_000, "a check-in scan queued after this point to finish");
}

it("sends nothing while check-ins are off (the default)", async () => {
  await aWholeScanFinished();
  expect(checkIns()).toEqual([]);
});

it("once on, checks in once per delivered order, only with consent; a reply becomes a ticket about the order", async () => {
  stack.execute(`INSERT INTO "SupportSettings" (shop, checkInEnabled, checkInDays, updatedAt) VALUES (?, true, 1, CURRENT_TIMESTAMP)`, DEFAULT_SHOP);
  await waitFor(checkIns, (r) => r.length > 0, 20_000, "check-ins");
  // Let the scan that found them finish (the next ones find nothing new).
  await aWholeScanFinished();
  const rows = await waitFor(checkIns, (r) => r.every((c) => c.status !== "queued"), 10_000, "check-ins decided");
  const shop = stack.emulator.store.shop(DEFAULT_SHOP)!;
  const dayMs = 86_400_000;
  for (const row of rows) {
    const order = shop.orderById(row.orderShopifyId)!;
    const delivered = order.fulfillments.map((f) => f.deliveredAt).filter((d): d is string => Boolean(d)).map(Date.parse);
    expect(delivered.some((d) => Date.now() - d >= dayMs && Date.now() - d <= 16 * dayMs)).toBe(true);
    const customer = order.customerId ? shop.customerById(order.customerId) : undefined;
    if (customer?.emailMarketingConsent?.marketingState === "SUBSCRIBED") expect(row).toMatchObject({ status: "sent" });
    else expect(row).toMatchObject({ status: "skipped", skipReason: expect.stringMatching(/consent|email address/) });
  }
  const sent = rows.filter((r) => r.status === "sent");
  expect(sent.length).toBeGreaterThan(0);
  // Later scans find the same orders and add nothing.
  await aWholeScanFinished();
  expect(checkIns().length).toBe(rows.length);
  // Exactly one email per check-in sent, none for the skipped ones.
  const emails = stack.query<{ n: number; orders: number }>(`SELECT COUNT(*) AS n, COUNT(DISTINCT subject) AS orders FROM "OutboundEmail" WHERE shop = ? AND purpose = 'checkin'`, DEFAULT_SHOP)[0];
  expect(emails).toEqual({ n: sent.length, orders: sent.length });
  const unsubscribed = rows.filter((r) => r.status === "skipped" && r.skipReason === "No email consent");
  for (const row of unsubscribed) {
    const customerId = shop.orderById(row.orderShopifyId)!.customerId;
    expect(customerId ? shop.customerById(customerId)?.emailMarketingConsent?.marketingState : undefined).not.toBe("SUBSCRIBED");
  }

  const [email] = stack.query<{ messageId: string; toAddress: string; subject: string; fromAddress: string }>(`SELECT messageId, toAddress, subject, fromAddress FROM "OutboundEmail" WHERE id = ?`, sent[0].emailId);
  expect(email.subject).toContain(sent[0].orderName);
  const [{ text }] = stack.query<{ text: string }>(`SELECT text FROM "OutboundEmail" WHERE id = ?`, sent[0].emailId);
  expect(text).toContain(sent[0].orderName);
  const shopper = /<([^>]+)>/.exec(email.toAddress)?.[1] ?? email.toAddress;
  const support = /<([^>]+)>/.exec(email.fromAddress)?.[1] ?? email.fromAddress;
  const reply = [
    `From: ${shopper}`,
    `To: ${support}`,
    `Subject: Re: ${email.subject}`,
    `Message-ID: <reply-${Date.now()}@shopper.example>`,
    `In-Reply-To: ${email.messageId}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    "One of the mugs arrived chipped.",
    "",
  ].join("\r\n");
  const response = await fetch(`${stack.app.url}/inbound/email`, { method: "POST", headers: { Authorization: `Bearer ${SECRET}`, "Content-Type": "message/rfc822" }, body: reply });
  expect(response.status).toBe(200);
  const [ticket] = await waitFor(
    () => stack.query<{ orderName: string; channel: string; customerEmail: string }>(`SELECT orderName, channel, customerEmail FROM "Ticket" WHERE shop = ? AND customerEmail = ?`, DEFAULT_SHOP, shopper.toLowerCase()),
    (r) => r.length === 1,
  );
  expect(ticket).toMatchObject({ orderName: sent[0].orderName, channel: "email" });
}, 60_000);
