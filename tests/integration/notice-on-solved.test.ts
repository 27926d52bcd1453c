import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SHOP } from "../emulator/index";
import type { Order } from "../emulator/store/types";
import { startCapturingSmtp, type CapturingSmtp } from "../support/smtp";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA, waitFor } from "../support/wait";

/**
 * A delay notice on a ticket the merchant had solved: the ticket comes back into the open views
 * as pending (waiting on the shopper) with the notice as its last activity, and the shopper's
 * reply to that notice reopens it.
 */

const INBOUND_SECRET = "inbound-secret-for-notice-tests-0123456789";
let stack: Stack;
let smtp: CapturingSmtp;

beforeAll(async () => {
  smtp = await startCapturingSmtp();
  stack = await startStack({ appEnv: { SMTP_URL: smtp.url, INBOUND_EMAIL_SECRET: INBOUND_SECRET } });
  const opened = await fetch(`${stack.app.url}/app`, { headers: { Authorization: `Bearer ${stack.emulator.sessionToken(DEFAULT_SHOP)}`, "User-Agent": BROWSER_UA } });
  expect(opened.status).toBe(200);
  await waitFor(() => stack.query(`SELECT 1 FROM "SyncRun" WHERE kind = 'bulk' AND status = 'succeeded'`), (rows) => rows.length === 1, 60_000, "the first sync");
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  await smtp?.stop();
});

interface NoticeRow {
  id: string;
  status: string;
  ticketId: string | null;
  emailId: string | null;
}
const noticesFor = (orderName: string) => stack.query<NoticeRow>(`SELECT id, status, ticketId, emailId FROM "DelayNotice" WHERE shop = ? AND orderName = ? ORDER BY createdAt`, DEFAULT_SHOP, orderName);
const sentNotices = (orderName: string, count: number) =>
  waitFor(() => noticesFor(orderName), (rows) => rows.length === count && rows.every((r) => r.status === "sent"), 20_000, `${count} sent notices for ${orderName}`);
interface TicketRow {
  status: string;
  solvedAt: string | null;
  unread: number;
  lastMessageAt: string;
}
const ticketRow = (id: string) => stack.query<TicketRow>(`SELECT status, solvedAt, unread, lastMessageAt FROM "Ticket" WHERE id = ?`, id)[0];
const openView = async () => {
  const response = await fetch(`${stack.app.url}/app/inbox?_data=routes%2Fapp.inbox._index`, {
    headers: { Authorization: `Bearer ${stack.emulator.sessionToken(DEFAULT_SHOP)}`, "User-Agent": BROWSER_UA },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { tickets: { id: string; status: string }[] };
};

function shippedOrder(): Order {
  const shop = stack.emulator.store.shop(DEFAULT_SHOP)!;
  const order = shop.orders.find((o) => o.email && !o.cancelledAt && o.fulfillments.some((f) => !f.deliveredAt && f.trackingInfo.length > 0));
  if (!order) throw new Error("no shipped order in the seeded store");
  return order;
}

describe("a delay notice on a solved ticket", () => {
  it("brings the ticket back as pending in the open view, and the shopper's reply reopens it", async () => {
    const order = shippedOrder();
    // The first notice opens the order's thread; the merchant then solves it.
    await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "fulfillment_events/create", order: order.name, eventStatus: "delayed" });
    const [first] = await sentNotices(order.name, 1);
    const ticketId = first.ticketId!;
    stack.execute(`UPDATE "Ticket" SET status = 'solved', solvedAt = ?, unread = false WHERE id = ?`, new Date().toISOString(), ticketId);
    expect((await openView()).tickets.map((t) => t.id)).not.toContain(ticketId);

    // A second notice (the parcel now failed) is written on the same, solved, thread.
    await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "fulfillment_events/create", order: order.name, eventStatus: "failure" });
    const [, second] = await sentNotices(order.name, 2);
    expect(second.ticketId).toBe(ticketId);
    expect(ticketRow(ticketId)).toMatchObject({ status: "pending", solvedAt: null, unread: 1 });
    const listed = (await openView()).tickets.find((t) => t.id === ticketId);
    expect(listed).toMatchObject({ status: "pending" });
    const timeline = stack.query<{ kind: string; event: string | null; eventData: string | null }>(
      `SELECT kind, event, eventData FROM "TicketMessage" WHERE ticketId = ? ORDER BY createdAt, id`,
      ticketId,
    );
    expect(timeline.filter((m) => m.kind === "notice")).toHaveLength(2);
    expect(timeline.some((m) => m.event === "status_changed" && m.eventData === JSON.stringify({ from: "solved", to: "pending", by: "Delay notice" }))).toBe(true);
    // The notice is the ticket's last activity.
    const [latest] = stack.query<{ kind: string }>(`SELECT kind FROM "TicketMessage" WHERE ticketId = ? AND kind != 'event' ORDER BY createdAt DESC, id DESC LIMIT 1`, ticketId);
    expect(latest.kind).toBe("notice");

    // The shopper answers the notice email: the ticket is open again, their words on it.
    const [{ messageId, toAddress }] = stack.query<{ messageId: string; toAddress: string }>(`SELECT messageId, toAddress FROM "OutboundEmail" WHERE id = ?`, second.emailId);
    const raw = [
      `From: ${toAddress}`,
      `To: ${stack.query<{ email: string }>(`SELECT email FROM "Shop" WHERE shop = ?`, DEFAULT_SHOP)[0].email}`,
      `Subject: Re: ${order.name}`,
      "Message-ID: <reply-to-notice@example.org>",
      `In-Reply-To: ${messageId}`,
      `References: ${messageId}`,
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Can you send it again, please?",
    ].join("\r\n");
    const received = await fetch(`${stack.app.url}/inbound/email`, { method: "POST", headers: { Authorization: `Bearer ${INBOUND_SECRET}`, "Content-Type": "message/rfc822" }, body: raw });
    expect(received.status).toBe(200);
    expect(await received.json()).toMatchObject({ outcome: "appended", ticketId });
    expect(ticketRow(ticketId)).toMatchObject({ status: "open", solvedAt: null, unread: 1 });
    expect(stack.query(`SELECT body FROM "TicketMessage" WHERE ticketId = ? AND kind = 'customer'`, ticketId)).toEqual([{ body: "Can you send it again, please?" }]);
    expect((await openView()).tickets.find((t) => t.id === ticketId)).toMatchObject({ status: "open" });
  });

  it("a notice on a closed ticket leaves it closed and starts a new thread", async () => {
    const shop = stack.emulator.store.shop(DEFAULT_SHOP)!;
    const used = new Set(stack.query<{ orderName: string }>(`SELECT DISTINCT orderName FROM "DelayNotice" WHERE shop = ?`, DEFAULT_SHOP).map((r) => r.orderName));
    const order = shop.orders.find((o) => !used.has(o.name) && o.email && !o.cancelledAt && o.fulfillments.some((f) => !f.deliveredAt && f.trackingInfo.length > 0))!;
    await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "fulfillment_events/create", order: order.name, eventStatus: "delayed" });
    const [first] = await sentNotices(order.name, 1);
    stack.execute(`UPDATE "Ticket" SET status = 'closed', solvedAt = ?, closedAt = ? WHERE id = ?`, new Date().toISOString(), new Date().toISOString(), first.ticketId);
    await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "fulfillment_events/create", order: order.name, eventStatus: "failure" });
    const [, second] = await sentNotices(order.name, 2);
    expect(second.ticketId).not.toBe(first.ticketId);
    expect(ticketRow(first.ticketId!).status).toBe("closed");
    expect(ticketRow(second.ticketId!).status).toBe("pending");
  });
});
