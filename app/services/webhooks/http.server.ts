import type { IncomingMessage, ServerResponse } from "node:http";
import { receiveWebhook } from "./receive.server";
import { verifyWebhook } from "./verify.server";

const MAX_BODY_BYTES = 5 * 1024 * 1024;

function respond(res: ServerResponse, status: number, message: string) {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
  res.end(message);
}

/**
 * POST /webhooks on node:http, ahead of Remix: Shopify allows 5 s and retries
 * anything slower, so a delivery is verified, written down and answered with no
 * routing or session lookup in between. The Remix route (app/routes/webhooks.tsx)
 * serves the same endpoint in `npm run dev` with the same verification.
 */
export function handleWebhookHttp(req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== "POST") {
    res.setHeader("Allow", "POST");
    respond(res, 405, "Method not allowed");
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) tooLarge = true;
    else chunks.push(chunk);
  });
  req.on("error", () => respond(res, 400, "Could not read the request body"));
  req.on("end", () => {
    if (tooLarge) return respond(res, 413, "Webhook body too large");
    const secret = process.env.SHOPIFY_API_SECRET ?? "";
    const verification = verifyWebhook((name) => headerValue(req, name), Buffer.concat(chunks), secret);
    if (!verification.ok) return respond(res, verification.status, verification.message);
    const { payload: _payload, ...delivery } = verification.delivery;
    receiveWebhook(delivery).then(
      () => respond(res, 200, "ok"),
      // Not written down: a 500 makes Shopify deliver it again.
      () => respond(res, 500, "Could not record the webhook; Shopify will retry"),
    );
  });
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
