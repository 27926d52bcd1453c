import { recordWebhook, markWebhookProcessed, type IncomingWebhook } from "../../models/webhook-event.server";
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

export function isHandledTopic(topic: string): boolean {
  return topic in handlers;
}

/**
 * Records a verified delivery (once per shop and event id) and applies its effect.
 * A duplicate delivery is acknowledged without a second effect.
 */
export async function receiveWebhook(input: IncomingWebhook, payload: unknown) {
  const { event, duplicate } = await recordWebhook(input);
  if (duplicate) return { event, duplicate };
  const handler = handlers[input.topic];
  if (handler) {
    try {
      await handler(input.shop, payload, event.receivedAt);
      await markWebhookProcessed(input.shop, event.id);
    } catch (error) {
      // Written down already; a failed effect is visible in System health, never lost.
      await markWebhookProcessed(input.shop, event.id, error instanceof Error ? error.message : String(error));
    }
  }
  return { event, duplicate };
}
