import prisma, { isUniqueViolation } from "../../db.server";
import { defineJob } from "../../jobs/types";
import { enqueue, enqueueNextSlot } from "../../jobs/enqueue.server";
import { delayRules } from "../../models/delay-notice.server";
import { parseTracking } from "../../models/customer.server";
import { customerOfOrder } from "../../models/sync-store.server";
import { supportSettings } from "../../models/support-settings.server";
import { TAGS_ADD_MUTATION } from "../../shopify/documents";
import { adminClientForShop } from "../sync/client.server";
import { supportedLanguage } from "../tickets/auto-ack-text";
import { postOrderNotice } from "../tickets/tickets.server";
import { WEEKDAYS, type WeeklySchedule } from "../support/business-hours";
import { defaultTemplate, fillTemplate, formatNoticeDate, holdReasonText, type DelayTrigger } from "./text";

/**
 * Proactive delay notices. Detection (from webhooks and the late-to-ship scan) writes one
 * DelayNotice per order and change, keyed so a duplicate delivery, a repeated event or a scan
 * that finds the same late order again adds nothing. A job decides later (after the merchant's
 * minimum delay) with the rules and data of that moment: it sends, or skips with the reason.
 */

export interface DetectedDelay {
  trigger: DelayTrigger;
  orderShopifyId: string;
  dedupeKey: string;
  source: string;
  reason?: string | null;
  newDate?: Date | null;
}

export async function recordDelay(shop: string, delay: DetectedDelay): Promise<{ created: boolean; id: string | null }> {
  const order = await prisma.order.findFirst({ where: { shop, shopifyId: delay.orderShopifyId }, select: { name: true } });
  const rules = await delayRules(shop);
  const sendAfter = new Date(Date.now() + rules.minDelayMinutes * 60_000);
  try {
    const notice = await prisma.delayNotice.create({
      data: {
        shop,
        dedupeKey: delay.dedupeKey,
        trigger: delay.trigger,
        reason: delay.reason ?? null,
        orderShopifyId: delay.orderShopifyId,
        orderName: order?.name ?? delay.orderShopifyId.split("/").pop() ?? "",
        newDate: delay.newDate ?? null,
        source: delay.source,
        sendAfter,
      },
    });
    await enqueue(sendDelayNoticeJob, { shop, key: notice.id, payload: { noticeId: notice.id }, runAt: sendAfter });
    return { created: true, id: notice.id };
  } catch (error) {
    if (isUniqueViolation(error)) return { created: false, id: null };
    throw error;
  }
}

// ------------------------------------------------------------------ deciding and sending

const parseJson = <T>(text: string, fallback: T): T => {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

/** Why a notice is not sent, in the merchant's words; null when it should go. */
async function reasonToSkip(shop: string, notice: { trigger: string; reason: string | null; orderShopifyId: string; dedupeKey: string }) {
  const rules = await delayRules(shop);
  if (!rules.enabled) return { skip: "Delay notices are switched off." };
  if (!rules.triggers.includes(notice.trigger as DelayTrigger)) return { skip: "This kind of delay is switched off in the rules." };
  const order = await prisma.order.findFirst({ where: { shop, shopifyId: notice.orderShopifyId } });
  if (!order) return { skip: "The order is not in the app's copy of the store yet." };
  if (order.redactedAt) return { skip: "The customer's data was erased at their request." };
  if (order.cancelledAt) return { skip: "The order was cancelled." };
  const customer = await customerOfOrder(shop, order.customerShopifyId);
  if (customer?.redactedAt) return { skip: "The customer's data was erased at their request." };
  const orderTags = order.tags.split(",").map((t) => t.trim().toLowerCase());
  const excludedOrder = rules.excludedOrderTags.find((t) => orderTags.includes(t.toLowerCase()));
  if (excludedOrder) return { skip: `Excluded by the order tag “${excludedOrder}”.` };
  const customerTags = (customer?.tags ?? "").split(",").map((t) => t.trim().toLowerCase());
  const excludedCustomer = rules.excludedCustomerTags.find((t) => customerTags.includes(t.toLowerCase()));
  if (excludedCustomer) return { skip: `Excluded by the customer tag “${excludedCustomer}”.` };
  if (notice.trigger === "on_hold" && notice.reason === "HIGH_RISK_OF_FRAUD") return { skip: "A fraud review is not something to tell the shopper." };

  // Still true now? A problem solved during the waiting time needs no notice.
  const [fulfillmentOrders, fulfillments] = await Promise.all([
    prisma.fulfillmentOrder.findMany({ where: { shop, orderShopifyId: order.shopifyId } }),
    prisma.fulfillment.findMany({ where: { shop, orderShopifyId: order.shopifyId }, orderBy: { shopifyCreatedAt: "asc" } }),
  ]);
  if (fulfillments.some((f) => f.deliveredAt || f.displayStatus === "DELIVERED")) return { skip: "The order was delivered before the notice went out." };
  if (notice.trigger === "on_hold") {
    // The key is hold:<fulfillment order gid>:<reason>; gids have colons of their own.
    const foId = notice.dedupeKey.slice("hold:".length, notice.dedupeKey.lastIndexOf(":"));
    const fo = fulfillmentOrders.find((f) => f.shopifyId === foId);
    const held = fo && parseJson<{ reason: string | null }[]>(fo.holds, []).some((h) => (h.reason ?? "OTHER") === (notice.reason ?? "OTHER"));
    if (!held) return { skip: "The hold was released before the notice went out." };
  }
  if (notice.trigger === "late_to_ship" && (fulfillments.length > 0 || !fulfillmentOrders.some((f) => f.status === "OPEN" || f.status === "IN_PROGRESS"))) {
    return { skip: "The order shipped before the notice went out." };
  }
  const email = order.email ?? customer?.email ?? null;
  if (!email) return { skip: "The order has no email address." };
  return { order, customer, email, fulfillments, rules };
}

export async function decideNotice(shop: string, noticeId: string): Promise<void> {
  const notice = await prisma.delayNotice.findFirst({ where: { shop, id: noticeId } });
  // "sending": an earlier run stopped part way; it is finished below without posting twice.
  if (!notice || (notice.status !== "queued" && notice.status !== "sending")) return;
  const decision = await reasonToSkip(shop, notice);
  if ("skip" in decision) {
    await prisma.delayNotice.updateMany({ where: { shop, id: notice.id }, data: { status: "skipped", skipReason: decision.skip, decidedAt: new Date() } });
    return;
  }
  const { order, customer, email, fulfillments, rules } = decision;
  const settings = await supportSettings(shop);
  const language = supportedLanguage(customer?.locale ?? order.customerLocale, settings.shopLocale);
  const lines = await prisma.orderLineItem.findMany({ where: { shop, orderShopifyId: order.shopifyId }, orderBy: { id: "asc" }, take: 20 });
  const tracking = fulfillments.flatMap((f) => parseTracking(f.tracking)).find((t) => t.url)?.url;
  const template = rules.templates[notice.trigger as DelayTrigger]?.[language] ?? defaultTemplate(notice.trigger as DelayTrigger, language);
  const filled = fillTemplate(template, {
    first_name: customer?.firstName ?? null,
    last_name: customer?.lastName ?? null,
    customer_name: [customer?.firstName, customer?.lastName].filter(Boolean).join(" ") || null,
    order_name: order.name,
    items: lines.map((l) => `${l.quantity} × ${l.title}${l.variantTitle ? ` (${l.variantTitle})` : ""}`).join(", ") || null,
    reason: notice.trigger === "on_hold" ? holdReasonText(notice.reason, language) : null,
    new_date: notice.newDate ? formatNoticeDate(notice.newDate, language, settings.timeZone) : null,
    tracking_link: tracking ?? null,
    support_email: settings.fromEmail,
    shop_name: settings.shopName,
  });
  await prisma.delayNotice.updateMany({ where: { shop, id: notice.id }, data: { status: "sending" } });
  try {
    const earlier = await prisma.ticketMessage.findFirst({ where: { shop, kind: "notice", eventData: JSON.stringify({ noticeId: notice.id }) }, select: { ticketId: true, emailId: true } });
    const posted = earlier?.emailId ? { ticketId: earlier.ticketId, emailId: earlier.emailId } : await postOrderNotice(shop, {
      noticeId: notice.id,
      orderShopifyId: order.shopifyId,
      orderName: order.name,
      customerEmail: email,
      customerName: [customer?.firstName, customer?.lastName].filter(Boolean).join(" ") || null,
      customerShopifyId: customer?.shopifyId ?? null,
      locale: language,
      subject: filled.subject,
      text: filled.body,
    });
    await prisma.delayNotice.updateMany({ where: { shop, id: notice.id }, data: { status: "sent", ticketId: posted.ticketId, emailId: posted.emailId, language, decidedAt: new Date() } });
  } catch (error) {
    await prisma.delayNotice.updateMany({ where: { shop, id: notice.id }, data: { status: "failed", error: error instanceof Error ? error.message : String(error), decidedAt: new Date() } });
    return;
  }
  if (rules.tagOrders) {
    try {
      const client = await adminClientForShop(shop);
      const result = await client.request<{ tagsAdd: { userErrors: { message: string }[] } }>(TAGS_ADD_MUTATION, { id: order.shopifyId, tags: [rules.orderTag] });
      if (result.tagsAdd.userErrors.length > 0) throw new Error(result.tagsAdd.userErrors.map((e) => e.message).join("; "));
    } catch (error) {
      // The notice went out; only the tag is missing, and the log says so.
      await prisma.delayNotice.updateMany({ where: { shop, id: notice.id }, data: { error: `Could not tag the order: ${error instanceof Error ? error.message : String(error)}` } });
    }
  }
}

export const sendDelayNoticeJob = defineJob<{ noticeId: string }>({
  kind: "delay_notice.send",
  maxAttempts: 6,
  run: ({ shop, payload }) => decideNotice(shop, payload.noticeId),
});

// ------------------------------------------------------------------ late to ship

const SCAN_EVERY_MS = Number(process.env.DELAY_SCAN_INTERVAL_MS) > 0 ? Number(process.env.DELAY_SCAN_INTERVAL_MS) : 30 * 60_000;
const SCAN_LOOKBACK_DAYS = 60;
const INSTALL_GRACE_MS = 2 * 86_400_000;

/** The start of the day `days` open business days after `from` (days with no hours are skipped). */
export function addBusinessDays(from: Date, days: number, schedule: WeeklySchedule, timeZone: string): Date {
  const weekday = (d: Date) => new Intl.DateTimeFormat("en-US", { weekday: "short", timeZone }).format(d).toLowerCase().slice(0, 3) as (typeof WEEKDAYS)[number];
  const open = WEEKDAYS.filter((d) => schedule[d].length > 0);
  if (open.length === 0) return new Date(from.getTime() + days * 86_400_000);
  let at = from.getTime();
  let left = days;
  while (left > 0) {
    at += 86_400_000;
    if (schedule[weekday(new Date(at))].length > 0) left--;
  }
  return new Date(at);
}

/** Unshipped fulfillment orders past their fulfill-by date or the shop's handling time. */
export async function scanLateOrders(shop: string, now = new Date()): Promise<number> {
  const [rules, settings, profile] = await Promise.all([delayRules(shop), supportSettings(shop), prisma.shop.findUnique({ where: { shop }, select: { installedAt: true } })]);
  // Orders already long late when the app was installed are not news: no flood of notices on day one.
  const newsSince = new Date((profile?.installedAt ?? now).getTime() - INSTALL_GRACE_MS);
  const open = await prisma.fulfillmentOrder.findMany({ where: { shop, status: { in: ["OPEN", "IN_PROGRESS"] } }, take: 5_000 });
  if (open.length === 0) return 0;
  const orders = await prisma.order.findMany({
    where: { shop, shopifyId: { in: [...new Set(open.map((f) => f.orderShopifyId))] }, cancelledAt: null, processedAt: { gte: new Date(now.getTime() - SCAN_LOOKBACK_DAYS * 86_400_000) } },
    select: { shopifyId: true, processedAt: true },
  });
  const shipped = new Set((await prisma.fulfillment.findMany({ where: { shop, orderShopifyId: { in: orders.map((o) => o.shopifyId) } }, select: { orderShopifyId: true } })).map((f) => f.orderShopifyId));
  const placed = new Map(orders.map((o) => [o.shopifyId, o.processedAt]));
  let found = 0;
  for (const fo of open) {
    const processedAt = placed.get(fo.orderShopifyId);
    if (!processedAt || shipped.has(fo.orderShopifyId)) continue;
    const due = fo.fulfillBy ?? addBusinessDays(processedAt, rules.handlingDays, settings.schedule, settings.timeZone);
    if (due.getTime() > now.getTime() || due.getTime() < newsSince.getTime()) continue;
    const { created } = await recordDelay(shop, { trigger: "late_to_ship", orderShopifyId: fo.orderShopifyId, dedupeKey: `late:${fo.shopifyId}`, source: "late-to-ship scan" });
    if (created) found++;
  }
  return found;
}

export async function scheduleDelayScan(shop: string, from = Date.now()) {
  await enqueueNextSlot(delayScanJob, shop, "scan", SCAN_EVERY_MS, from);
}

export const delayScanJob = defineJob<Record<string, never>>({
  kind: "delay_notice.scan",
  maxAttempts: 3,
  async run({ shop }) {
    try {
      await scanLateOrders(shop);
    } finally {
      await scheduleDelayScan(shop);
    }
  },
});
