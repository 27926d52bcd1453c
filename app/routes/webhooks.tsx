import type { ActionFunctionArgs } from "@remix-run/node";
import { env } from "../env.server";
import { receiveWebhook } from "../services/webhooks/receive.server";
import { verifyWebhook } from "../services/webhooks/verify.server";

/**
 * Every webhook topic in shopify.app.toml is delivered to /webhooks. In production
 * server.mjs answers it on node:http before Remix (app/services/webhooks/http.server.ts);
 * this route serves it under `npm run dev`, with the same verification and recording.
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  const rawBody = Buffer.from(await request.arrayBuffer());
  const verification = verifyWebhook((name) => request.headers.get(name), rawBody, env().SHOPIFY_API_SECRET);
  if (!verification.ok) return new Response(verification.message, { status: verification.status });
  const { payload: _payload, ...delivery } = verification.delivery;
  await receiveWebhook(delivery);
  return new Response("ok", { status: 200 });
};

export const loader = () => new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
