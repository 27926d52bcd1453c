import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { proxyRequest } from "../services/storefront/proxy.server";
import { readInput, refusalBody } from "../services/input.server";
import { wakeWorker } from "../services/worker.server";
import {
  VISITOR_SECRET,
  chatSocketUrl,
  chatState,
  chatToken,
  parseSince,
  rateChat,
  requestChatTranscript,
  sendChatMessage,
  updateChatContext,
  type ChatAfterResult,
  visitorHashOf,
  visitorSeen,
  visitorTyping,
} from "../services/chat/chat.server";

/**
 * POST /apps/support/chat (through the App Proxy): the storefront chat for browsers that cannot
 * hold the direct connection, and the token that opens it. The body names the intent and the
 * visitor's secret (never in the URL, which logs keep).
 */
export const loader = () => json({ error: "method_not_allowed" }, { status: 405, headers: { Allow: "POST" } });

export const action = async ({ request }: ActionFunctionArgs) => {
  // Polling every few seconds while the panel is open, plus typing: a higher ceiling than a form's.
  const context = await proxyRequest(request, { capacity: 60, refillPerMinute: 60 });
  if (context instanceof Response) return context;
  const input = await readInput(request, { maxBytes: 16 * 1024, maxFieldLength: 8000, maxFields: 20 });
  if (!input.ok) return json(refusalBody(input), { status: input.status });
  const body = input.fields;
  if (!VISITOR_SECRET.test(body.visitor ?? "")) return json({ error: "invalid", errors: { visitor: "The chat has no visitor id." } }, { status: 422 });
  const visitorHash = visitorHashOf(body.visitor);
  const shop = context.shop;
  switch (body.intent) {
    case "state":
      return json(await chatState(shop, visitorHash, context.loggedInCustomerId, parseSince(body.since)), { headers: { "Cache-Control": "no-store" } });
    case "send": {
      const result = await sendChatMessage(shop, visitorHash, body, context.loggedInCustomerId);
      if (!result.ok)
        return json(result.error === "rate_limited" ? { error: "rate_limited" } : { error: "invalid", errors: result.errors }, {
          status: result.error === "rate_limited" ? 429 : 422,
        });
      wakeWorker();
      const { ok: _ok, ...answer } = result;
      return json(answer);
    }
    case "typing":
      await visitorTyping(shop, visitorHash);
      return json({ ok: true });
    case "seen":
      await visitorSeen(shop, visitorHash);
      return json({ ok: true });
    case "context": {
      const result = await updateChatContext(shop, visitorHash, { pagePath: body.pagePath, cart: body.cart });
      if (result.ok) return json({ ok: true });
      return json(result.error === "invalid" ? { error: "invalid", errors: result.errors } : { error: result.error }, {
        status: result.error === "invalid" ? 422 : result.error === "not_found" ? 404 : 429,
      });
    }
    case "rate":
      return afterChat(await rateChat(shop, visitorHash, body));
    case "transcript": {
      const result = await requestChatTranscript(shop, visitorHash, body);
      if (result.ok) wakeWorker();
      return afterChat(result);
    }
    case "token":
      return json({ ...chatToken(shop, visitorHash, context.loggedInCustomerId), socketUrl: chatSocketUrl() }, { headers: { "Cache-Control": "no-store" } });
    default:
      return json({ error: "invalid", errors: { intent: "Say state, send, typing, seen, context, rate, transcript or token." } }, { status: 422 });
  }
};

const AFTER_STATUS = { invalid: 422, not_found: 404, not_asked: 409, rate_limited: 429 } as const;

/** A rating or a transcript request: the conversation as it is now, or a code the panel shows in the shopper's language. */
function afterChat(result: ChatAfterResult) {
  if (result.ok) return json({ conversation: result.conversation }, { headers: { "Cache-Control": "no-store" } });
  return json(result.error === "invalid" ? { error: "invalid", errors: result.errors } : { error: result.error }, { status: AFTER_STATUS[result.error] });
}
