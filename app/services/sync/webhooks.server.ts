import { applyCustomerChange, applyFulfillments, applyOrderBundles, markCustomerDeleted, orderShopifyIdForFulfillmentOrder } from "../../models/sync-store.server";
import { FULFILLMENT_ORDER_OWNER_QUERY, ORDER_CHILDREN_LIMIT, ORDER_REFRESH_QUERY, REFRESH_LINE_ITEMS_LIMIT } from "../../shopify/sync-documents";
import { handleBulkOperationFinish } from "./bulk.server";
import { adminClientForShop } from "./client.server";
import { customerFromWebhook, fulfillmentFromWebhook, gid, orderBundleFromGraphql, orderBundleFromWebhook } from "./records";

/**
 * What the sync webhooks do. Bodies are REST-shaped; each is applied only when its updated_at
 * is at least as new as what the app holds (app/models/sync-store.server.ts), so duplicates
 * and late deliveries change nothing.
 */

/** A body that can never be applied: recorded on the delivery as failed, not retried. */
export class InvalidWebhookBody extends Error {
  constructor(topic: string, why: string) {
    super(`${topic}: ${why}`);
    this.name = "InvalidWebhookBody";
  }
}

interface Delivery {
  shop: string;
  topic: string;
  payload: string;
  receivedAt: Date;
}

/** The delivery's JSON object; anything else is a body that can never be applied. */
export function body(delivery: Delivery): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(delivery.payload);
  } catch {
    throw new InvalidWebhookBody(delivery.topic, "the body is not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InvalidWebhookBody(delivery.topic, "the body is not a JSON object");
  return value as Record<string, unknown>;
}

async function applyCustomer(delivery: Delivery) {
  const row = customerFromWebhook(body(delivery));
  if (!row) throw new InvalidWebhookBody(delivery.topic, "no customer id");
  if (!row.shopifyUpdatedAt) throw new InvalidWebhookBody(delivery.topic, "no valid updated_at");
  await applyCustomerChange(delivery.shop, row);
}

async function deleteCustomer(delivery: Delivery) {
  const data = body(delivery);
  const id = gid("Customer", data.id, data.admin_graphql_api_id);
  if (!id) throw new InvalidWebhookBody(delivery.topic, "no customer id");
  await markCustomerDeleted(delivery.shop, id, delivery.receivedAt);
}

async function applyOrder(delivery: Delivery) {
  const bundle = orderBundleFromWebhook(body(delivery));
  if (!bundle) throw new InvalidWebhookBody(delivery.topic, "no order id");
  if (!bundle.order.shopifyUpdatedAt) throw new InvalidWebhookBody(delivery.topic, "no valid updated_at");
  await applyOrderBundles(delivery.shop, [bundle]);
}

async function applyFulfillment(delivery: Delivery) {
  const row = fulfillmentFromWebhook(body(delivery));
  if (!row) throw new InvalidWebhookBody(delivery.topic, "no fulfillment id or order_id");
  if (!row.shopifyUpdatedAt) throw new InvalidWebhookBody(delivery.topic, "no valid updated_at");
  await applyFulfillments(delivery.shop, [row]);
}

/** Reads the whole order fresh from Shopify and applies it. */
export async function refreshOrder(shop: string, orderId: string) {
  const client = await adminClientForShop(shop);
  const data = await client.request<{ order: Record<string, unknown> | null }>(ORDER_REFRESH_QUERY, {
    id: orderId,
    lineItems: REFRESH_LINE_ITEMS_LIMIT,
    children: ORDER_CHILDREN_LIMIT,
  });
  if (data.order) await applyOrderBundles(shop, [orderBundleFromGraphql(data.order)]);
}

/** The fulfillment order ids a fulfillment_orders/* body names (split and merge name several). */
export function fulfillmentOrderIds(data: Record<string, unknown>): string[] {
  const ids = new Set<string>();
  const visit = (value: unknown, depth: number) => {
    if (depth > 4 || typeof value !== "object" || value === null) return;
    if (Array.isArray(value)) return value.forEach((v) => visit(v, depth + 1));
    for (const v of Object.values(value)) {
      if (typeof v === "string" && v.startsWith("gid://shopify/FulfillmentOrder/")) ids.add(v);
      else visit(v, depth + 1);
    }
  };
  visit(data, 0);
  return [...ids];
}

/**
 * fulfillment_orders/*: the bodies carry ids and a status, not the holds or dates the app keeps,
 * so the order they belong to is read fresh from Shopify.
 */
async function refreshFulfillmentOrders(delivery: Delivery) {
  const ids = fulfillmentOrderIds(body(delivery));
  if (ids.length === 0) throw new InvalidWebhookBody(delivery.topic, "no fulfillment order id");
  const orders = new Set<string>();
  for (const id of ids) {
    let orderId = await orderShopifyIdForFulfillmentOrder(delivery.shop, id);
    if (!orderId) {
      const client = await adminClientForShop(delivery.shop);
      const data = await client.request<{ fulfillmentOrder: { orderId: string } | null }>(FULFILLMENT_ORDER_OWNER_QUERY, { id });
      orderId = data.fulfillmentOrder?.orderId ?? null;
    }
    if (orderId) orders.add(orderId);
  }
  for (const orderId of orders) await refreshOrder(delivery.shop, orderId);
}

export const syncTopicHandlers: Record<string, (delivery: Delivery) => Promise<void>> = {
  "customers/create": applyCustomer,
  "customers/update": applyCustomer,
  "customers/delete": deleteCustomer,
  "orders/create": applyOrder,
  "orders/updated": applyOrder,
  "orders/cancelled": applyOrder,
  "fulfillments/create": applyFulfillment,
  "fulfillments/update": applyFulfillment,
  "fulfillment_orders/placed_on_hold": refreshFulfillmentOrders,
  "fulfillment_orders/hold_released": refreshFulfillmentOrders,
  "fulfillment_orders/rescheduled": refreshFulfillmentOrders,
  "fulfillment_orders/cancelled": refreshFulfillmentOrders,
  "fulfillment_orders/split": refreshFulfillmentOrders,
  "fulfillment_orders/merged": refreshFulfillmentOrders,
  "fulfillment_orders/moved": refreshFulfillmentOrders,
  "bulk_operations/finish": (delivery) => handleBulkOperationFinish(delivery.shop, body(delivery)),
};
