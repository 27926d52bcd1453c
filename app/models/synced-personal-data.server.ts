import prisma from "../db.server";
import { redactedCustomerKey } from "./sync-store.server";
import type { DataSubject } from "../services/privacy/subject";

/**
 * The synced customers and orders, seen as personal data: what a customers/data_request
 * exports and what customers/redact erases. Redacted rows keep what is anonymous (counts,
 * statuses, totals, language) so metrics stay true, and are frozen against later sync writes.
 */

const customerGid = (id: string) => (id.startsWith("gid://") ? id : `gid://shopify/Customer/${id}`);
const orderGid = (id: string) => (id.startsWith("gid://") ? id : `gid://shopify/Order/${id}`);

function customerWhere(shop: string, subject: DataSubject) {
  const or: object[] = [];
  if (subject.customerId) or.push({ shopifyId: customerGid(subject.customerId) });
  if (subject.email) or.push({ email: subject.email }, { email: subject.email.toLowerCase() });
  return or.length ? { shop, OR: or } : null;
}

function orderWhere(shop: string, subject: DataSubject) {
  const or: object[] = [];
  if (subject.customerId) or.push({ customerShopifyId: customerGid(subject.customerId) });
  if (subject.email) or.push({ email: subject.email }, { email: subject.email.toLowerCase() });
  if (subject.orderIds.length) or.push({ shopifyId: { in: subject.orderIds.map(orderGid) } });
  return or.length ? { shop, OR: or } : null;
}

export async function syncedCustomersOf(shop: string, subject: DataSubject) {
  const where = customerWhere(shop, subject);
  if (!where) return [];
  const rows = await prisma.customer.findMany({ where });
  return rows.map(({ id: _id, shop: _shop, ...row }) => row);
}

export async function syncedOrdersOf(shop: string, subject: DataSubject) {
  const where = orderWhere(shop, subject);
  if (!where) return [];
  const orders = await prisma.order.findMany({ where, orderBy: { processedAt: "asc" } });
  const ids = orders.map((o) => o.shopifyId);
  const [lineItems, fulfillments, fulfillmentOrders] = await Promise.all([
    prisma.orderLineItem.findMany({ where: { shop, orderShopifyId: { in: ids } } }),
    prisma.fulfillment.findMany({ where: { shop, orderShopifyId: { in: ids } } }),
    prisma.fulfillmentOrder.findMany({ where: { shop, orderShopifyId: { in: ids } } }),
  ]);
  const strip = <T extends { id: string; shop: string }>({ id: _id, shop: _shop, ...rest }: T) => rest;
  return orders.map((order) => ({
    ...strip(order),
    lineItems: lineItems.filter((l) => l.orderShopifyId === order.shopifyId).map(strip),
    fulfillments: fulfillments
      .filter((f) => f.orderShopifyId === order.shopifyId)
      .map((f) => ({ ...strip(f), tracking: JSON.parse(f.tracking) as unknown })),
    fulfillmentOrders: fulfillmentOrders
      .filter((f) => f.orderShopifyId === order.shopifyId)
      .map((f) => ({ ...strip(f), holds: JSON.parse(f.holds) as unknown })),
  }));
}

/**
 * The customer's row loses every personal field and its Shopify id (replaced by a keyed hash
 * that still refuses later sync writes); counts, language and consent state stay for metrics.
 */
export async function redactSyncedCustomers(shop: string, subject: DataSubject): Promise<number> {
  const where = customerWhere(shop, subject);
  if (!where) return 0;
  const rows = await prisma.customer.findMany({ where: { ...where, redactedAt: null }, select: { id: true, shopifyId: true } });
  const redactedAt = new Date();
  await prisma.$transaction(
    rows.map((row) =>
      prisma.customer.update({
        where: { id: row.id },
        data: {
          shopifyId: redactedCustomerKey(shop, row.shopifyId),
          firstName: null,
          lastName: null,
          email: null,
          phone: null,
          tags: "",
          searchText: "",
          redactedAt,
        },
      }),
    ),
  );
  return rows.length;
}

/** A hold keeps its reason; the merchant's note on it (an address that would not validate, …) goes. */
function holdsWithoutNotes(holds: string): string {
  try {
    const parsed: unknown = JSON.parse(holds);
    if (!Array.isArray(parsed)) return "[]";
    const reasonOf = (h: { reason?: unknown }) => (typeof h?.reason === "string" ? h.reason : null);
    return JSON.stringify(parsed.map((h: { reason?: unknown }) => ({ reason: reasonOf(h), reasonNotes: null })));
  } catch {
    return "[]";
  }
}

/**
 * Orders lose their contact details; their shipments lose tracking (it leads to an address);
 * their holds lose the notes written on them.
 */
export async function redactSyncedOrders(shop: string, subject: DataSubject): Promise<number> {
  const where = orderWhere(shop, subject);
  if (!where) return 0;
  const ids = (await prisma.order.findMany({ where, select: { shopifyId: true } })).map((o) => o.shopifyId);
  if (ids.length === 0) return 0;
  const held = await prisma.fulfillmentOrder.findMany({
    where: { shop, orderShopifyId: { in: ids }, holds: { not: "[]" } },
    select: { id: true, holds: true },
  });
  const [orders] = await prisma.$transaction([
    prisma.order.updateMany({ where: { shop, shopifyId: { in: ids } }, data: { email: null, phone: null, customerShopifyId: null, redactedAt: new Date() } }),
    prisma.fulfillment.updateMany({ where: { shop, orderShopifyId: { in: ids } }, data: { tracking: "[]" } }),
    ...held.map((fo) =>
      prisma.fulfillmentOrder.updateMany({ where: { shop, id: fo.id }, data: { holds: holdsWithoutNotes(fo.holds) } }),
    ),
  ]);
  return orders.count;
}
