import type { Prisma } from "@prisma/client";
import prisma from "../db.server";
import { foldSearchText, isWholeEmail, normaliseEmail, searchTextOf, searchWords } from "../utils/search-text";

/**
 * The synced customers as the admin shows them: a searchable, paged list and one customer
 * with their orders. Deleted (tombstoned) and redacted customers are never shown, and every
 * query is scoped by shop, so an id from another shop finds nothing.
 */

export const CUSTOMERS_PAGE_SIZE = 50;
const ORDERS_SHOWN = 50;

export interface CustomerListOptions {
  query?: string;
  /** Row id of the last customer of the previous page (next page). */
  after?: string;
  /** Row id of the first customer of the following page (previous page). */
  before?: string;
  take?: number;
}

const visible = (shop: string): Prisma.CustomerWhereInput => ({ shop, deletedAt: null, redactedAt: null });

/** What the customer search looks in; written with every sync write of these fields. */
export function customerSearchText(customer: {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
}) {
  return searchTextOf([customer.firstName, customer.lastName, customer.email, customer.phone]);
}

/**
 * Each word must appear in the name, email or phone, in any case and with or without accents:
 * "asha mwangi" finds Asha Mwangi, "sukru yilmaz" finds Şükrü Yılmaz.
 */
export function customerSearchWhere(query: string | undefined): Prisma.CustomerWhereInput {
  const words = searchWords(query);
  if (words.length === 0) return {};
  // A whole email address is looked up exactly (stored in lower case), by the (shop, email) index.
  const typed = (query ?? "").trim().split(/\s+/);
  return {
    AND: words.map((word) => {
      const email = typed.find((t) => isWholeEmail(t) && foldSearchText(t) === word);
      return email ? { email: normaliseEmail(email) } : { searchText: { contains: word } };
    }),
  };
}

export async function listCustomers(shop: string, options: CustomerListOptions = {}) {
  const take = Math.min(Math.max(options.take ?? CUSTOMERS_PAGE_SIZE, 1), 250);
  const where: Prisma.CustomerWhereInput = { ...visible(shop), ...customerSearchWhere(options.query) };
  const orderBy: Prisma.CustomerOrderByWithRelationInput[] = [{ shopifyUpdatedAt: { sort: "desc", nulls: "last" } }, { id: "desc" }];
  const select = {
    id: true,
    firstName: true,
    lastName: true,
    email: true,
    phone: true,
    locale: true,
    numberOfOrders: true,
    emailMarketingState: true,
    tags: true,
    shopifyUpdatedAt: true,
  } satisfies Prisma.CustomerSelect;

  // A cursor must name a visible customer of this shop; anything else starts from the top.
  const cursorId = options.before ?? options.after;
  const cursorValid = cursorId ? (await prisma.customer.count({ where: { ...where, id: cursorId } })) === 1 : false;
  const backward = cursorValid && Boolean(options.before);

  const rows = await prisma.customer.findMany({
    where,
    orderBy,
    select,
    ...(cursorValid ? { cursor: { id: cursorId! }, skip: 1 } : {}),
    take: backward ? -(take + 1) : take + 1,
  });
  const more = rows.length > take;
  const page = backward ? (more ? rows.slice(1) : rows) : rows.slice(0, take);
  return {
    customers: page,
    hasNext: backward ? true : more,
    hasPrevious: backward ? more : cursorValid,
  };
}

export interface TrackingLink {
  company: string | null;
  number: string | null;
  /** Only http(s) addresses; anything else (javascript:, data:) is dropped. */
  url: string | null;
}

export interface Hold {
  reason: string;
  reasonNotes: string | null;
}

function parseJsonArray(text: string): unknown[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

const str = (value: unknown): string | null => (typeof value === "string" && value.trim() !== "" ? value : null);

export function safeHttpUrl(value: unknown): string | null {
  const text = str(value);
  if (!text) return null;
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : null;
  } catch {
    return null;
  }
}

export function parseTracking(text: string): TrackingLink[] {
  return parseJsonArray(text)
    .filter((t): t is Record<string, unknown> => typeof t === "object" && t !== null)
    .map((t) => ({ company: str(t.company), number: str(t.number), url: safeHttpUrl(t.url) }))
    .filter((t) => t.company || t.number || t.url);
}

export function parseHolds(text: string): Hold[] {
  return parseJsonArray(text)
    .filter((h): h is Record<string, unknown> => typeof h === "object" && h !== null)
    .filter((h) => typeof h.reason === "string")
    .map((h) => ({ reason: h.reason as string, reasonNotes: str(h.reasonNotes) }));
}

/** One customer of this shop with their orders, each with items, fulfillment orders and shipments. */
export async function customerForShop(shop: string, id: string) {
  const customer = await prisma.customer.findFirst({ where: { ...visible(shop), id } });
  if (!customer) return null;
  const orders = await prisma.order.findMany({
    where: { shop, customerShopifyId: customer.shopifyId },
    orderBy: [{ processedAt: { sort: "desc", nulls: "last" } }, { id: "desc" }],
    take: ORDERS_SHOWN,
  });
  const orderIds = orders.map((o) => o.shopifyId);
  const [lineItems, fulfillmentOrders, fulfillments] = await Promise.all([
    prisma.orderLineItem.findMany({ where: { shop, orderShopifyId: { in: orderIds } }, orderBy: { id: "asc" } }),
    prisma.fulfillmentOrder.findMany({ where: { shop, orderShopifyId: { in: orderIds } }, orderBy: { shopifyId: "asc" } }),
    prisma.fulfillment.findMany({ where: { shop, orderShopifyId: { in: orderIds } }, orderBy: { shopifyCreatedAt: "asc" } }),
  ]);
  const of = <T extends { orderShopifyId: string }>(rows: T[], order: string) => rows.filter((r) => r.orderShopifyId === order);
  return {
    customer,
    orders: orders.map((order) => ({
      ...order,
      lineItems: of(lineItems, order.shopifyId).map((l) => ({ id: l.id, title: l.title, variantTitle: l.variantTitle, quantity: l.quantity })),
      fulfillmentOrders: of(fulfillmentOrders, order.shopifyId).map((f) => ({
        id: f.id,
        status: f.status,
        fulfillAt: f.fulfillAt,
        fulfillBy: f.fulfillBy,
        holds: parseHolds(f.holds),
      })),
      fulfillments: of(fulfillments, order.shopifyId).map((f) => ({
        id: f.id,
        name: f.name,
        status: f.status,
        displayStatus: f.displayStatus,
        estimatedDeliveryAt: f.estimatedDeliveryAt,
        deliveredAt: f.deliveredAt,
        tracking: parseTracking(f.tracking),
      })),
    })),
    ordersShown: ORDERS_SHOWN,
  };
}

/** The row id of a synced (visible) customer by their Shopify id. */
export async function customerRowId(shop: string, shopifyId: string | null): Promise<string | null> {
  if (!shopifyId) return null;
  const row = await prisma.customer.findFirst({ where: { ...visible(shop), shopifyId }, select: { id: true } });
  return row?.id ?? null;
}
