import {
  markWebhookProcessed,
  markWebhooksProcessed,
  pendingWebhooks,
  recordWebhook,
  type IncomingWebhook,
} from "../../models/webhook-event.server";
import { recordScopes, recordUninstall } from "../../models/shop.server";

type Handler = (shop: string, payload: unknown, receivedAt: Date) => Promise<void>;

/** What each topic does once its delivery is written down. Topics not listed are only recorded. */
const handlers: Record<string, Handler> = {
  "app/uninstalled": async (shop, _payload, receivedAt) => recordUninstall(shop, receivedAt),
  "app/scopes_update": async (shop, payload) => {
    const current = (payload as { current?: unknown }).current;
    if (Array.isArray(current)) await recordScopes(shop, current.map(String).join(","));
  },
};

/**
 * Records a verified delivery (once per shop and event id) and returns as soon as it
 * is on disk, so Shopify gets its 200 at once. Effects run afterwards, from the table.
 */
export async function receiveWebhook(input: IncomingWebhook) {
  const recorded = await recordWebhook(input);
  if (!recorded.duplicate) scheduleWebhookProcessing();
  return recorded;
}

let draining: Promise<void> | undefined;
let again = false;

/** Applies the effects of every delivery not yet processed, oldest first. */
export function scheduleWebhookProcessing(): Promise<void> {
  if (draining) {
    again = true;
    return draining;
  }
  draining = new Promise<void>((resolve) => setImmediate(resolve))
    .then(drain)
    .finally(() => {
      draining = undefined;
      if (again) {
        again = false;
        void scheduleWebhookProcessing();
      }
    });
  return draining;
}

async function drain(): Promise<void> {
  for (;;) {
    const batch = await pendingWebhooks(100);
    if (batch.length === 0) return;
    // Deliveries that are only recorded are closed together.
    const recordOnly = batch.filter((event) => !handlers[event.topic]);
    if (recordOnly.length > 0) await markWebhooksProcessed(recordOnly.map((event) => event.id));
    for (const event of batch) {
      const handler = handlers[event.topic];
      if (!handler) continue;
      try {
        await handler(event.shop, JSON.parse(event.payload), event.receivedAt);
        await markWebhookProcessed(event.shop, event.id);
      } catch (error) {
        // Kept with its error and visible in System health; never dropped.
        await markWebhookProcessed(event.shop, event.id, error instanceof Error ? error.message : String(error));
      }
      // Let acknowledgements in between: effects are never on the hot path.
      await new Promise((r) => setImmediate(r));
    }
  }
}
