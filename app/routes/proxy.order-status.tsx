import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { proxyRequest, readBody } from "../services/storefront/proxy.server";
import { lookUpOrder } from "../services/storefront/order-status.server";

/** POST /apps/support/order-status (through the App Proxy): an order's status for its shopper. */
export const loader = () => json({ error: "method_not_allowed" }, { status: 405, headers: { Allow: "POST" } });

export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await proxyRequest(request, { capacity: 10, refillPerMinute: 10 });
  if (context instanceof Response) return context;
  const body = await readBody(request);
  if (!body) return json({ ok: false, errors: { form: "invalid_body" } }, { status: 400 });
  const result = await lookUpOrder(context.shop, body, context.loggedInCustomerId);
  if (!result.ok) return json({ ok: false, errors: result.errors }, { status: result.status });
  return json(result, { headers: { "Cache-Control": "private, no-store" } });
};
