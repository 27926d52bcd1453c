import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { proxyRequest } from "../services/storefront/proxy.server";
import { readInput, refusalBody } from "../services/input.server";
import { lookUpOrder } from "../services/storefront/order-status.server";

/** POST /apps/support/order-status (through the App Proxy): an order's status for its shopper. */
export const loader = () => json({ error: "method_not_allowed" }, { status: 405, headers: { Allow: "POST" } });

export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await proxyRequest(request, { capacity: 10, refillPerMinute: 10 });
  if (context instanceof Response) return context;
  const input = await readInput(request, { maxBytes: 64 * 1024 });
  if (!input.ok) return json(refusalBody(input), { status: input.status });
  const body = input.fields;
  const result = await lookUpOrder(context.shop, body, context.loggedInCustomerId);
  if (!result.ok) return json({ ok: false, errors: result.errors }, { status: result.status });
  return json(result, { headers: { "Cache-Control": "private, no-store" } });
};
