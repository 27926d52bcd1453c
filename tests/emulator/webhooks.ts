/**
 * Webhook delivery as Shopify does it: a JSON POST to the URI the app's toml subscribes for
 * the topic, signed with X-Shopify-Hmac-Sha256 (base64 HMAC-SHA256 of the raw body keyed
 * with the client secret) and described by the X-Shopify-* headers.
 */
import { createHmac, randomUUID } from "node:crypto";
import { subscribedTopics, webhookUriFor, type AppConfig } from "./app-config";
import { buildWebhookPayload, type PayloadContext, type PayloadSelection } from "./webhook-payloads";

/** Shopify gives the app 5 s to answer before it counts the delivery as failed. */
const DELIVERY_TIMEOUT_MS = 5_000;

export interface DeliverWebhookInput {
  shop: string;
  topic: string;
  /** The body; built from the store's data when omitted. */
  payload?: unknown;
  /** For the default customers/* and compliance payloads: a customer id or email (default: the first seeded customer). */
  customer?: string;
  /** For the default orders/* payloads: an order id (numeric or gid) or name like #1001. */
  order?: string;
  /** For the default fulfillments/* payloads: a fulfillment id (default: the first shipped order's). */
  fulfillment?: string;
  /** For the default fulfillment_orders/* payloads: a fulfillment order id. */
  fulfillmentOrder?: string;
  /** For fulfillment_events/create: the carrier's status. */
  eventStatus?: string;
  /** Reuse an event id to emulate a redelivery of the same event. */
  eventId?: string;
  webhookId?: string;
  triggeredAt?: Date;
  apiVersion?: string;
  /** Sign with a wrong key, as a forged request would be. */
  forgeSignature?: boolean;
  timeoutMs?: number;
  /** Deliver to this origin instead of the app's (one of several processes behind a load balancer). */
  appOrigin?: string;
}

export interface DeliveryResult {
  status: number;
  body: string;
  eventId: string;
  webhookId: string;
  topic: string;
  uri: string;
}

/** Why a delivery could not be made; `status` is what the control API answers with. */
export class WebhookDeliveryError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export function webhookHmac(rawBody: string | Buffer, secret: string): string {
  return createHmac("sha256", secret).update(rawBody).digest("base64");
}

export interface WebhookSenderOptions {
  config: AppConfig;
  apiSecret: string;
  hasShop(shop: string): boolean;
  payloadContext(shop: string, select: PayloadSelection): PayloadContext;
}

export function createWebhookSender(options: WebhookSenderOptions) {
  const { config, apiSecret } = options;

  return async function deliverWebhook(input: DeliverWebhookInput): Promise<DeliveryResult> {
    const topic = input.topic?.trim();
    if (!topic) throw new WebhookDeliveryError("A webhook needs a topic, e.g. app/uninstalled", 400);
    if (!input.shop || !options.hasShop(input.shop)) {
      throw new WebhookDeliveryError(`Unknown shop ${JSON.stringify(input.shop ?? null)}`, 404);
    }
    const configured = webhookUriFor(config, topic);
    const path = configured && new URL(configured);
    const uri = path && input.appOrigin ? new URL(path.pathname + path.search, input.appOrigin).toString() : configured;
    if (!uri) {
      throw new WebhookDeliveryError(
        `The app does not subscribe to ${topic} in shopify.app.toml (subscribed: ${subscribedTopics(config).join(", ") || "none"})`,
        422,
      );
    }

    let payload = input.payload;
    if (payload === undefined) {
      try {
        const { customer, order, fulfillment, fulfillmentOrder, eventStatus } = input;
        payload = buildWebhookPayload(topic, options.payloadContext(input.shop, { customer, order, fulfillment, fulfillmentOrder, eventStatus }));
      } catch (error) {
        throw new WebhookDeliveryError((error as Error).message, 422);
      }
    }
    const rawBody = JSON.stringify(payload);
    const eventId = input.eventId ?? randomUUID();
    const webhookId = input.webhookId ?? randomUUID();
    const key = input.forgeSignature ? `forged-${apiSecret}` : apiSecret;

    const headers = {
      "Content-Type": "application/json",
      "User-Agent": "Shopify-Captain-Hook",
      "X-Shopify-Topic": topic,
      "X-Shopify-Hmac-Sha256": webhookHmac(rawBody, key),
      "X-Shopify-Shop-Domain": input.shop,
      "X-Shopify-API-Version": input.apiVersion ?? config.webhooksApiVersion,
      "X-Shopify-Webhook-Id": webhookId,
      "X-Shopify-Event-Id": eventId,
      "X-Shopify-Triggered-At": (input.triggeredAt ?? new Date()).toISOString(),
    };

    const timeoutMs = input.timeoutMs ?? DELIVERY_TIMEOUT_MS;
    let response: Response;
    try {
      response = await fetch(uri, { method: "POST", headers, body: rawBody, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const reason = (error as Error).name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : describeFetchError(error);
      throw new WebhookDeliveryError(`Delivering ${topic} to ${uri} failed: ${reason}`, 502);
    }
    return { status: response.status, body: await response.text(), eventId, webhookId, topic, uri };
  };
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
