import { json } from "@remix-run/node";
import { authenticate } from "../../shopify.server";
import { env } from "../../env.server";
import { takeTokens } from "../../models/rate-limit.server";
import { proxyBuckets, shopperAddress, type ProxyLimit } from "./rate-limit.server";

export type { ProxyLimit };

/**
 * Every storefront request comes through Shopify's App Proxy, signed. This checks the
 * signature (refusing unsigned or tampered requests with 401), that the shop uses the app,
 * and the per-shopper rate limit; it answers with the shop and the logged-in customer, if any.
 */

export interface ProxyContext {
  shop: string;
  loggedInCustomerId: string | null;
  client: string;
}

export async function proxyRequest(request: Request, limit: ProxyLimit): Promise<ProxyContext | Response> {
  let context: Awaited<ReturnType<typeof authenticate.public.appProxy>>;
  try {
    context = await authenticate.public.appProxy(request);
  } catch (error) {
    if (error instanceof Response) return json({ error: "unsigned", message: "This request did not come through the shop." }, { status: 401 });
    throw error;
  }
  if (!context.session) return json({ error: "not_installed", message: "This shop does not use Support Desk." }, { status: 404 });
  const url = new URL(request.url);
  const shop = context.session.shop;
  const loggedIn = url.searchParams.get("logged_in_customer_id") || null;
  // The shopper: the address a trusted proxy appended, their customer id when logged in, and the shop's ceiling.
  const address = shopperAddress(request.headers, env().TRUSTED_PROXY_HOPS);
  const client = loggedIn ? `customer:${loggedIn}` : address ? `ip:${address}` : "anonymous";
  const endpoint = url.pathname.replace(/\/\d+(?=\/|$)/g, "/:id");
  const visit = url.searchParams.get("visit");
  // Every bucket is charged in one statement (no short-circuit), so rotating one key never spares the others.
  if (!(await takeTokens(shop, proxyBuckets({ endpoint, address, customerId: loggedIn, visit, limit }), Date.now()))) {
    return json({ error: "rate_limited", message: "Too many requests. Please wait a minute." }, { status: 429, headers: { "Retry-After": "60" } });
  }
  return { shop, loggedInCustomerId: loggedIn, client };
}
