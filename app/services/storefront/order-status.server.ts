import { z } from "zod";
import prisma from "../../db.server";
import { customerRowId, customerForShop } from "../../models/customer.server";
import { supportSettings } from "../../models/support-settings.server";
import { formatNoticeDate, holdReasonText, noticeStatusLine } from "../delay-notices/text";
import { supportedLanguage } from "../tickets/auto-ack-text";

/**
 * "Track my order" on the storefront: the order number and the email it was placed with must
 * both match (a logged-in shopper's own orders need only the number). A wrong number and a
 * wrong email get the same answer, so nobody learns which orders exist.
 */

const LookupSchema = z.object({
  orderNumber: z.string().trim().regex(/^#?\d{1,12}$/, "invalid_order_number"),
  email: z.string().trim().max(254).optional().default(""),
});

export type OrderStatusResult =
  | { ok: true; order: Record<string, unknown> }
  | { ok: false; status: 404 | 422; errors: Record<string, string> };

export async function lookUpOrder(shop: string, input: Record<string, string>, loggedInCustomerId: string | null): Promise<OrderStatusResult> {
  const parsed = LookupSchema.safeParse(input);
  if (!parsed.success) return { ok: false, status: 422, errors: { orderNumber: "invalid_order_number" } };
  const name = `#${parsed.data.orderNumber.replace(/^#/, "")}`;
  const email = parsed.data.email.toLowerCase();
  const customerGid = loggedInCustomerId ? `gid://shopify/Customer/${loggedInCustomerId}` : null;
  if (!email && !customerGid) return { ok: false, status: 422, errors: { email: "required" } };
  const order = await prisma.order.findFirst({
    where: {
      shop,
      name,
      redactedAt: null,
      OR: [...(email ? [{ email }] : []), ...(customerGid ? [{ customerShopifyId: customerGid }] : [])],
    },
  });
  if (!order) return { ok: false, status: 404, errors: { order: "not_found" } };
  // The order's details, as the customer page shows them (tracking links are http(s) only).
  const rowId = await customerRowId(shop, order.customerShopifyId);
  const detail = rowId ? (await customerForShop(shop, rowId))?.orders.find((o) => o.id === order.id) : null;
  const lines = detail?.lineItems ?? (await prisma.orderLineItem.findMany({ where: { shop, orderShopifyId: order.shopifyId } })).map((l) => ({ title: l.title, variantTitle: l.variantTitle, quantity: l.quantity }));
  // Delay notices the shopper was sent about this order: one short line each (what happened, the
  // new date), in the language the notice went out in; the email itself says the rest.
  const [sentNotices, settings] = await Promise.all([
    prisma.delayNotice.findMany({
      where: { shop, orderShopifyId: order.shopifyId, status: "sent" },
      orderBy: [{ decidedAt: "desc" }, { createdAt: "desc" }],
      take: 3,
      select: { trigger: true, reason: true, newDate: true, language: true, orderName: true, decidedAt: true, createdAt: true },
    }),
    supportSettings(shop),
  ]);
  const notices = sentNotices.map((n) => {
    const language = supportedLanguage(n.language, settings.shopLocale);
    return {
      sentAt: (n.decidedAt ?? n.createdAt).toISOString(),
      trigger: n.trigger,
      message: noticeStatusLine(n.trigger, language, {
        order_name: n.orderName,
        reason: n.trigger === "on_hold" ? holdReasonText(n.reason, language) : null,
        new_date: n.newDate ? formatNoticeDate(n.newDate, language, settings.timeZone) : null,
      }),
    };
  });
  return {
    ok: true,
    order: {
      delayNotices: notices,
      name: order.name,
      placedAt: order.processedAt,
      cancelled: order.cancelledAt !== null,
      financialStatus: order.financialStatus,
      fulfillmentStatus: order.fulfillmentStatus ?? "UNFULFILLED",
      items: lines.map((l) => ({ title: l.title, variant: l.variantTitle, quantity: l.quantity })),
      holds: (detail?.fulfillmentOrders ?? []).flatMap((fo) => fo.holds.map((h) => h.reason)),
      shipments: (detail?.fulfillments ?? []).map((f) => ({
        status: f.displayStatus ?? f.status,
        estimatedDeliveryAt: f.estimatedDeliveryAt,
        deliveredAt: f.deliveredAt,
        tracking: f.tracking.map((t) => ({ company: t.company, number: t.number, url: t.url })),
      })),
    },
  };
}
