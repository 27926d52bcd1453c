import crypto from "node:crypto";

/** The headers Shopify sends with every delivery, read case-insensitively. */
export type HeaderGetter = (name: string) => string | null | undefined;

export interface VerifiedDelivery {
  shop: string;
  topic: string;
  eventId: string;
  webhookId?: string;
  apiVersion?: string;
  triggeredAt?: Date;
  payload: unknown;
  rawPayload: string;
}

export type Verification =
  | { ok: true; delivery: VerifiedDelivery }
  | { ok: false; status: 400 | 401; message: string };

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i;

/**
 * Shopify signs each delivery with X-Shopify-Hmac-Sha256: the base64 HMAC-SHA256
 * of the raw body keyed with the app's client secret. Compared in constant time.
 */
export function hasValidSignature(rawBody: Buffer, signature: string | null | undefined, secret: string): boolean {
  if (!signature) return false;
  const expected = crypto.createHmac("sha256", secret).update(rawBody).digest();
  const given = Buffer.from(signature, "base64");
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

/** Checks a delivery's signature and headers, then parses its body. Forged → 401, malformed → 400. */
export function verifyWebhook(header: HeaderGetter, rawBody: Buffer, secret: string): Verification {
  if (!hasValidSignature(rawBody, header("x-shopify-hmac-sha256"), secret)) {
    return { ok: false, status: 401, message: "Webhook signature is missing or invalid" };
  }
  const shop = header("x-shopify-shop-domain") ?? "";
  const topic = header("x-shopify-topic") ?? "";
  const webhookId = header("x-shopify-webhook-id") ?? undefined;
  // Older API versions carry no event id; the webhook id then identifies the delivery.
  const eventId = header("x-shopify-event-id") ?? webhookId;
  if (!SHOP_DOMAIN.test(shop)) return { ok: false, status: 400, message: "X-Shopify-Shop-Domain is missing or not a myshopify.com domain" };
  if (!topic) return { ok: false, status: 400, message: "X-Shopify-Topic is missing" };
  if (!eventId) return { ok: false, status: 400, message: "X-Shopify-Event-Id and X-Shopify-Webhook-Id are missing" };

  const rawPayload = rawBody.toString("utf8");
  let payload: unknown;
  try {
    payload = JSON.parse(rawPayload);
  } catch {
    return { ok: false, status: 400, message: "Webhook body is not valid JSON" };
  }
  const triggered = header("x-shopify-triggered-at");
  const triggeredAt = triggered ? new Date(triggered) : undefined;
  return {
    ok: true,
    delivery: {
      shop: shop.toLowerCase(),
      topic,
      eventId,
      webhookId,
      apiVersion: header("x-shopify-api-version") ?? undefined,
      triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : undefined,
      payload,
      rawPayload,
    },
  };
}
