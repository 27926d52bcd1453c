import { defineJob } from "../../jobs/types";
import { markWebhookProcessed, webhookEventForShop } from "../../models/webhook-event.server";
import { recordScopes, recordUninstall } from "../../models/shop.server";
import { cancelJobsForShop } from "../../models/job.server";
import { ScopesUpdateSchema } from "../../schemas/compliance";
import { answerDataRequest, redactCustomer, redactShop, type StoredDelivery } from "../privacy/compliance.server";
import { InvalidWebhookBody, syncTopicHandlers } from "../sync/webhooks.server";
import { delayTopicHandlers } from "../delay-notices/triggers.server";

type TopicHandler = (delivery: StoredDelivery & { topic: string }) => Promise<unknown>;

/** Shopify's mandatory privacy topics: they must run even after the app is uninstalled. */
export const COMPLIANCE_TOPICS = new Set(["customers/data_request", "customers/redact", "shop/redact"]);

export const WEBHOOK_JOB = "webhook.process";
export const COMPLIANCE_WEBHOOK_JOB = "webhook.compliance";

/** What each topic does. A topic not listed is recorded and closed. */
const topicHandlers: Record<string, TopicHandler> = {
  "app/uninstalled": async (delivery) => {
    await recordUninstall(delivery.shop, delivery.receivedAt);
    // Work for an uninstalled shop stops; privacy work still runs.
    await cancelJobsForShop(delivery.shop, { exceptKinds: [COMPLIANCE_WEBHOOK_JOB] });
  },
  "app/scopes_update": async (delivery) => {
    const update = ScopesUpdateSchema.parse(JSON.parse(delivery.payload));
    const updatedAt = update.updated_at ? new Date(update.updated_at) : delivery.receivedAt;
    await recordScopes(delivery.shop, update.current.join(","), Number.isNaN(updatedAt.getTime()) ? delivery.receivedAt : updatedAt);
  },
  "customers/data_request": answerDataRequest,
  "customers/redact": redactCustomer,
  "shop/redact": redactShop,
  ...syncTopicHandlers,
  ...delayTopicHandlers,
};

/** The job that processes a stored delivery: one per delivery (keyed by its row id). */
export function webhookJobFor(delivery: { id: string; shop: string; topic: string }) {
  const definition = COMPLIANCE_TOPICS.has(delivery.topic) ? complianceWebhookJob : webhookJob;
  return {
    shop: delivery.shop,
    kind: definition.kind,
    key: delivery.id,
    maxAttempts: definition.maxAttempts,
    payload: { webhookEventId: delivery.id },
  };
}

/**
 * Applies one stored delivery's effect, at most once: a processed delivery is skipped,
 * and a failure is written on the delivery and thrown so the job is retried.
 */
export async function processDelivery(shop: string, webhookEventId: string): Promise<void> {
  const event = await webhookEventForShop(shop, webhookEventId);
  if (!event || event.status === "processed") return; // erased by shop/redact, or already done
  const handler = topicHandlers[event.topic];
  try {
    if (handler) await handler({ id: event.id, shop: event.shop, topic: event.topic, payload: event.payload, receivedAt: event.receivedAt });
    await markWebhookProcessed(shop, event.id);
  } catch (error) {
    await markWebhookProcessed(shop, event.id, error instanceof Error ? error.message : String(error));
    // A body that can never be applied is written down as failed; retrying would not help.
    if (error instanceof InvalidWebhookBody) return;
    throw error;
  }
}

interface WebhookJobPayload {
  webhookEventId: string;
}

export const webhookJob = defineJob<WebhookJobPayload>({
  kind: WEBHOOK_JOB,
  maxAttempts: 8,
  run: ({ shop, payload }) => processDelivery(shop, payload.webhookEventId),
});

export const complianceWebhookJob = defineJob<WebhookJobPayload>({
  kind: COMPLIANCE_WEBHOOK_JOB,
  maxAttempts: 12,
  runsAfterUninstall: true,
  run: ({ shop, payload }) => processDelivery(shop, payload.webhookEventId),
});
