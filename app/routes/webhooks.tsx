import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { receiveWebhook } from "../services/webhooks/receive.server";

/** Every webhook topic in shopify.app.toml is delivered here. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const topic = request.headers.get("X-Shopify-Topic") ?? "";
  let context;
  try {
    // Verifies X-Shopify-Hmac-Sha256 over the raw body: 401 when forged, 400 when headers are missing.
    context = await authenticate.webhook(request);
  } catch (error) {
    if (error instanceof Response) throw error;
    if (error instanceof SyntaxError) return new Response("Webhook body is not valid JSON", { status: 400 });
    throw error;
  }
  const eventId = context.eventId ?? context.webhookId;
  const triggeredAt = context.triggeredAt ? new Date(context.triggeredAt) : undefined;
  await receiveWebhook(
    {
      shop: context.shop,
      topic,
      eventId,
      webhookId: context.webhookId,
      apiVersion: context.apiVersion,
      triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : undefined,
      rawPayload: JSON.stringify(context.payload),
    },
    context.payload,
  );
  return new Response(null, { status: 200 });
};

export const loader = () => new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
