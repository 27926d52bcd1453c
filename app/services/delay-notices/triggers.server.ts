import prisma from "../../db.server";
import { gid } from "../sync/records";
import { InvalidWebhookBody, body, fulfillmentOrderIds, refreshOrder, syncTopicHandlers } from "../sync/webhooks.server";
import { recordDelay } from "./notices.server";
import type { DelayTrigger } from "./text";

/**
 * Which webhooks mean "this order is late", checked after the sync has applied what the
 * webhook says (so the app's copy of the order is current when the notice is decided).
 */

interface Delivery {
  shop: string;
  topic: string;
  payload: string;
  receivedAt: Date;
}

const CARRIER_TRIGGERS: Record<string, DelayTrigger> = {
  delayed: "carrier_delayed",
  failure: "carrier_failure",
  attempted_delivery: "attempted_delivery",
};

const isoDate = (value: unknown): Date | null => {
  if (typeof value !== "string") return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
};

const carrierKey = (fulfillmentId: string, trigger: DelayTrigger, date: Date | null) => `carrier:${fulfillmentId}:${trigger}:${date ? date.toISOString().slice(0, 10) : "-"}`;

/** fulfillment_events/create: a carrier's tracking event; the delayed, failed and attempted ones notify. */
async function fulfillmentEvent(delivery: Delivery) {
  const data = body(delivery);
  const orderId = gid("Order", data.order_id);
  const fulfillmentId = gid("Fulfillment", data.fulfillment_id);
  if (!orderId || !fulfillmentId) throw new InvalidWebhookBody(delivery.topic, "no order_id or fulfillment_id");
  const trigger = CARRIER_TRIGGERS[String(data.status ?? "").toLowerCase()];
  if (!trigger) return;
  // The event names ids only: the order, its items and tracking are read fresh from Shopify.
  await refreshOrder(delivery.shop, orderId);
  const newDate = isoDate(data.estimated_delivery_at);
  await recordDelay(delivery.shop, { trigger, orderShopifyId: orderId, dedupeKey: carrierKey(fulfillmentId, trigger, newDate), newDate, source: `${delivery.topic} (${String(data.status)})` });
}

/** fulfillments/update: the fulfillment's display status moved to delayed, failure or attempted delivery. */
async function fulfillmentUpdated(delivery: Delivery) {
  const data = body(delivery);
  const fulfillmentId = gid("Fulfillment", data.id, data.admin_graphql_api_id);
  if (!fulfillmentId) return;
  const row = await prisma.fulfillment.findFirst({ where: { shop: delivery.shop, shopifyId: fulfillmentId } });
  const trigger = row?.displayStatus ? CARRIER_TRIGGERS[row.displayStatus.toLowerCase()] : undefined;
  if (!row || !trigger) return;
  await recordDelay(delivery.shop, {
    trigger,
    orderShopifyId: row.orderShopifyId,
    dedupeKey: carrierKey(fulfillmentId, trigger, row.estimatedDeliveryAt),
    newDate: row.estimatedDeliveryAt,
    source: `${delivery.topic} (${row.displayStatus})`,
  });
}

/** fulfillment_orders/placed_on_hold: one notice per fulfillment order and hold reason. */
async function placedOnHold(delivery: Delivery) {
  for (const id of fulfillmentOrderIds(body(delivery))) {
    const fo = await prisma.fulfillmentOrder.findFirst({ where: { shop: delivery.shop, shopifyId: id } });
    if (!fo) continue;
    let holds: { reason: string | null }[] = [];
    try {
      holds = JSON.parse(fo.holds);
    } catch {
      holds = [];
    }
    for (const reason of new Set(holds.map((h) => h.reason ?? "OTHER"))) {
      await recordDelay(delivery.shop, { trigger: "on_hold", reason, orderShopifyId: fo.orderShopifyId, dedupeKey: `hold:${fo.shopifyId}:${reason}`, source: `${delivery.topic} (${reason})` });
    }
  }
}

/** fulfillment_orders/rescheduled: a new fulfill-at date; each new date may notify once. */
async function rescheduled(delivery: Delivery) {
  for (const id of fulfillmentOrderIds(body(delivery))) {
    const fo = await prisma.fulfillmentOrder.findFirst({ where: { shop: delivery.shop, shopifyId: id } });
    if (!fo?.fulfillAt) continue;
    await recordDelay(delivery.shop, {
      trigger: "rescheduled",
      orderShopifyId: fo.orderShopifyId,
      dedupeKey: `rescheduled:${fo.shopifyId}:${fo.fulfillAt.toISOString()}`,
      newDate: fo.fulfillAt,
      source: delivery.topic,
    });
  }
}

const after =
  (topic: string, detect: (delivery: Delivery) => Promise<void>) =>
  async (delivery: Delivery): Promise<void> => {
    await syncTopicHandlers[topic](delivery);
    await detect(delivery);
  };

/** The sync's handlers for these topics, followed by delay detection; and the carrier events. */
export const delayTopicHandlers: Record<string, (delivery: Delivery) => Promise<void>> = {
  "fulfillment_events/create": fulfillmentEvent,
  "fulfillments/update": after("fulfillments/update", fulfillmentUpdated),
  "fulfillment_orders/placed_on_hold": after("fulfillment_orders/placed_on_hold", placedOnHold),
  "fulfillment_orders/rescheduled": after("fulfillment_orders/rescheduled", rescheduled),
};
