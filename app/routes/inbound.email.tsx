import crypto from "node:crypto";
import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { env } from "../env.server";
import { receiveInboundEmail } from "../services/email/inbound.server";

/**
 * POST /inbound/email: a shopper's email, as raw RFC 5322 (message/rfc822), forwarded by the
 * mail provider that receives the support address (Mailgun, Postmark, SES, an MTA pipe…),
 * authorised by `Authorization: Bearer <INBOUND_EMAIL_SECRET>`. 200 once it is on a ticket (or
 * dropped because no shop receives at its address); a provider retries anything else, so nothing
 * is lost while the app is down.
 */

const MAX_BYTES = 10 * 1024 * 1024;

function authorised(request: Request, secret: string): boolean {
  const given = request.headers.get("authorization")?.match(/^Bearer (.+)$/i)?.[1] ?? "";
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(secret).digest();
  return crypto.timingSafeEqual(a, b);
}

export const loader = () => json({ error: "POST an email here." }, { status: 405, headers: { Allow: "POST" } });

export const action = async ({ request }: ActionFunctionArgs) => {
  const secret = env().INBOUND_EMAIL_SECRET;
  if (!secret) return json({ error: "Inbound email is not set up (INBOUND_EMAIL_SECRET)." }, { status: 404 });
  if (request.method !== "POST") return json({ error: "POST an email here." }, { status: 405, headers: { Allow: "POST" } });
  if (!authorised(request, secret)) return json({ error: "Not authorised." }, { status: 401 });
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_BYTES) return json({ error: "The email is larger than 10 MB." }, { status: 413 });
  const raw = Buffer.from(await request.arrayBuffer());
  if (raw.length === 0 || raw.length > MAX_BYTES) return json({ error: raw.length ? "The email is larger than 10 MB." : "The body is empty." }, { status: raw.length ? 413 : 400 });
  const result = await receiveInboundEmail(raw);
  switch (result.outcome) {
    case "invalid":
      return json({ error: result.reason }, { status: 400 });
    case "unroutable":
      // Mail to no shop's address will never route: providers retry a 4xx/5xx for hours or days
      // and bounce nothing, so it is accepted, dropped and logged with the reason.
      console.warn(`inbound email dropped: ${result.reason}`);
      return json({ outcome: "dropped", reason: result.reason });
    default:
      return json({ outcome: result.outcome, ticketId: result.ticketId });
  }
};
