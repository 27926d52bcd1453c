import { afterAll, beforeAll, expect, it } from "vitest";
import { DEFAULT_SHOP } from "../emulator/index";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA, waitFor } from "../support/wait";

/**
 * Late to ship: no webhook says an order should have shipped by now, so a scan every interval
 * (2 s here) finds unshipped fulfillment orders past their fulfill-by date or the shop's handling
 * time (3 business days by default), and notifies once per fulfillment order however often it runs;
 * orders that were already late two days before the app was installed are left alone.
 */

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ appEnv: { DELAY_SCAN_INTERVAL_MS: "2000" } });
  const opened = await fetch(`${stack.app.url}/app`, { headers: { Authorization: `Bearer ${stack.emulator.sessionToken(DEFAULT_SHOP)}`, "User-Agent": BROWSER_UA } });
  expect(opened.status).toBe(200);
  // Installed long ago, so the seeded orders' lateness is news (orders late before install are not).
  stack.execute(`UPDATE "Shop" SET installedAt = ? WHERE shop = ?`, new Date(Date.now() - 90 * 86_400_000).toISOString(), DEFAULT_SHOP);
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

it("notifies each late, unshipped order once, and never one that shipped or is not yet due", async () => {
  type Row = { dedupeKey: string; orderName: string; status: string; skipReason: string | null; emailId: string | null };
  const late = () => stack.query<Row>(`SELECT dedupeKey, orderName, status, skipReason, emailId FROM "DelayNotice" WHERE shop = ? AND trigger = 'late_to_ship'`, DEFAULT_SHOP);
  const found = await waitFor(late, (rows) => rows.length > 0 && rows.every((r) => r.status !== "queued" && r.status !== "sending"), 40_000, "late-to-ship notices");
  const shop = stack.emulator.store.shop(DEFAULT_SHOP)!;
  const dayMs = 86_400_000;
  for (const row of found) {
    const order = shop.orders.find((o) => o.name === row.orderName)!;
    expect(order.fulfillments).toHaveLength(0);
    expect(order.cancelledAt).toBeNull();
    const fo = order.fulfillmentOrders.find((f) => row.dedupeKey === `late:${f.id}`)!;
    expect(["OPEN", "IN_PROGRESS"]).toContain(fo.status);
    // Past its fulfill-by date, or placed at least 3 days ago (3 business days is never less).
    expect(fo.fulfillBy ? Date.parse(fo.fulfillBy) <= Date.now() : Date.now() - Date.parse(order.processedAt ?? order.createdAt) >= 3 * dayMs).toBe(true);
    if (row.status === "sent") expect(row.emailId).toBeTruthy();
    else expect(row.skipReason).toBeTruthy();
  }
  // An unshipped order placed today is not late.
  const fresh = shop.orders.filter((o) => o.fulfillments.length === 0 && Date.now() - Date.parse(o.processedAt ?? o.createdAt) < dayMs);
  for (const order of fresh) expect(found.some((r) => r.orderName === order.name)).toBe(false);
  // Three more scans, each queued after this point (so started after it) and finished, find the same orders and add nothing.
  const scans = (status?: string) =>
    stack.query<{ id: string }>(`SELECT id FROM "Job" WHERE shop = ? AND kind = 'delay_notice.scan'${status ? " AND status = ?" : ""}`, ...(status ? [DEFAULT_SHOP, status] : [DEFAULT_SHOP])).map((r) => r.id);
  const before = new Set(scans());
  await waitFor(() => scans("succeeded"), (ids) => ids.filter((id) => !before.has(id)).length >= 3, 30_000, "three more finished delay scans");
  expect(late().length).toBe(found.length);
  const sent = found.find((r) => r.status === "sent")!;
  const [email] = stack.query<{ purpose: string; subject: string }>(`SELECT purpose, subject FROM "OutboundEmail" WHERE id = ?`, sent.emailId);
  expect(email.purpose).toBe("notice");
  expect(email.subject).toContain(sent.orderName);
}, 60_000);
