import prisma, { isUniqueViolation } from "../../db.server";
import { defineJob } from "../../jobs/types";
import { enqueueNextSlot } from "../../jobs/enqueue.server";
import { createOutboundEmail } from "../../models/outbound-email.server";
import { supportSettings } from "../../models/support-settings.server";
import { customerOfOrder } from "../../models/sync-store.server";
import { enqueueSend, newMessageId } from "../email/send.server";
import { formatAddress, textToHtml, withSignature } from "../email/render";
import { supportedLanguage } from "../tickets/auto-ack-text";
import { CHECK_IN_TEXT, fillText } from "./text";

/**
 * Post-purchase check-ins (off unless the merchant turns them on): some days after an order was
 * delivered, a short "is all well?" email, at most once per order, only to shoppers who agreed to
 * emails. It comes from the support address, so a reply lands in the inbox as a ticket about the order.
 */

const DAY_MS = 86_400_000;
/** Orders delivered longer ago than this past the chosen day are left alone (no late surprises). */
const WINDOW_DAYS = 14;
const SCAN_EVERY_MS = Number(process.env.CHECKIN_SCAN_INTERVAL_MS) > 0 ? Number(process.env.CHECKIN_SCAN_INTERVAL_MS) : 30 * 60_000;

export async function scanCheckIns(shop: string, now = new Date()): Promise<{ sent: number; skipped: number }> {
  const settings = await supportSettings(shop);
  if (!settings.checkInEnabled) return { sent: 0, skipped: 0 };
  const latest = new Date(now.getTime() - settings.checkInDays * DAY_MS);
  const earliest = new Date(latest.getTime() - WINDOW_DAYS * DAY_MS);
  const inWindow = { gte: earliest, lte: latest };
  // Shopify may mark a fulfillment delivered without a date; its last update stands in for it then.
  const delivered = await prisma.fulfillment.findMany({
    where: { shop, OR: [{ deliveredAt: inWindow }, { deliveredAt: null, displayStatus: "DELIVERED", shopifyUpdatedAt: inWindow }] },
    select: { orderShopifyId: true },
    take: 2_000,
  });
  const orderIds = [...new Set(delivered.map((f) => f.orderShopifyId))];
  if (orderIds.length === 0) return { sent: 0, skipped: 0 };
  const done = new Set((await prisma.checkIn.findMany({ where: { shop, orderShopifyId: { in: orderIds } }, select: { orderShopifyId: true } })).map((c) => c.orderShopifyId));
  const orders = await prisma.order.findMany({ where: { shop, shopifyId: { in: orderIds.filter((id) => !done.has(id)) }, cancelledAt: null, redactedAt: null } });
  let sent = 0;
  let skipped = 0;
  for (const order of orders) {
    const customer = await customerOfOrder(shop, order.customerShopifyId);
    const email = order.email ?? customer?.email ?? null;
    const skipReason = customer?.redactedAt
      ? "The customer's data was erased at their request."
      : !email
        ? "No email address"
        : customer?.emailMarketingState !== "SUBSCRIBED"
          ? "No email consent"
          : null;
    const base = { shop, orderShopifyId: order.shopifyId, orderName: order.name, dueAt: latest };
    try {
      if (skipReason || !email) {
        await prisma.checkIn.create({ data: { ...base, status: "skipped", skipReason } });
        skipped++;
        continue;
      }
      const language = supportedLanguage(customer?.locale ?? order.customerLocale, settings.shopLocale);
      const lines = await prisma.orderLineItem.findMany({ where: { shop, orderShopifyId: order.shopifyId }, take: 5 });
      const values = { name: customer?.firstName ?? "", order: order.name, items: lines.map((l) => `${l.quantity} × ${l.title}`).join(", ") || order.name, shop: settings.shopName };
      const text = withSignature(fillText(CHECK_IN_TEXT[language].body, values), settings.signature);
      // The check-in and its email are written together: the unique (shop, order) makes a racing scan's copy roll back whole.
      const row = await prisma.$transaction(async (tx) => {
        const created = await createOutboundEmail(
          shop,
          {
            ticketId: null,
            purpose: "checkin",
            messageId: newMessageId(settings.fromEmail),
            inReplyTo: null,
            references: [],
            fromAddress: formatAddress(settings.fromName, settings.fromEmail),
            replyTo: null,
            toAddress: formatAddress([customer?.firstName, customer?.lastName].filter(Boolean).join(" ") || null, email),
            subject: fillText(CHECK_IN_TEXT[language].subject, values),
            text,
            html: textToHtml(text),
            language,
          },
          tx,
        );
        await tx.checkIn.create({ data: { ...base, status: "sent", emailId: created.id } });
        return created;
      });
      await enqueueSend(shop, row.id);
      sent++;
    } catch (error) {
      if (isUniqueViolation(error)) continue; // another scan has it
      throw error;
    }
  }
  return { sent, skipped };
}

/** The check-in an email answers, if it answers one (by In-Reply-To / References). */
export async function checkInAnswered(shop: string, sender: string, references: string[]) {
  if (references.length === 0) return null;
  const email = await prisma.outboundEmail.findFirst({ where: { shop, messageId: { in: references }, purpose: "checkin", ticketId: null }, select: { id: true, toAddress: true } });
  // Only the shopper it was sent to answers it: a stranger quoting its Message-ID gets no order.
  const sentTo = (/<([^>]+)>\s*$/.exec(email?.toAddress ?? "")?.[1] ?? email?.toAddress ?? "").trim().toLowerCase();
  if (!email || sentTo !== sender) return null;
  const checkIn = await prisma.checkIn.findFirst({ where: { shop, emailId: email.id }, select: { orderName: true } });
  return checkIn ? { shop, orderName: checkIn.orderName } : null;
}

export async function scheduleCheckInScan(shop: string, from = Date.now()) {
  await enqueueNextSlot(checkInScanJob, shop, "checkin", SCAN_EVERY_MS, from);
}

export const checkInScanJob = defineJob<Record<string, never>>({
  kind: "checkin.scan",
  maxAttempts: 3,
  async run({ shop }) {
    try {
      await scanCheckIns(shop);
    } finally {
      await scheduleCheckInScan(shop);
    }
  },
});
