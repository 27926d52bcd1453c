import { json } from "@remix-run/node";
import { authenticate } from "../../shopify.server";
import { allowRequest } from "./rate-limit.server";

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

export interface ProxyLimit {
  /** Requests one shopper may make in a burst, and per minute after it. */
  capacity: number;
  refillPerMinute: number;
}

/** One shop's storefront, all shoppers together, per endpoint: a ceiling against floods. */
const SHOP_CEILING_FACTOR = 50;

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
  // The shopper: their customer id when logged in, else the address Shopify forwards, else the
  // panel's visit id (anonymous, and only a fallback).
  const ip = (request.headers.get("x-forwarded-for") ?? "").split(",")[0].trim();
  const visit = url.searchParams.get("visit") ?? "";
  const client = loggedIn ? `customer:${loggedIn}` : ip ? `ip:${ip}` : /^[\w-]{8,64}$/.test(visit) ? `visit:${visit}` : "anonymous";
  const endpoint = url.pathname.replace(/\/\d+(?=\/|$)/g, "/:id");
  const shopLimit = { capacity: limit.capacity * SHOP_CEILING_FACTOR, refillPerMinute: limit.refillPerMinute * SHOP_CEILING_FACTOR };
  if (!allowRequest(`${shop}|${endpoint}|${client}`, limit) || !allowRequest(`${shop}|${endpoint}|*`, shopLimit)) {
    return json({ error: "rate_limited", message: "Too many requests. Please wait a minute." }, { status: 429, headers: { "Retry-After": "60" } });
  }
  return { shop, loggedInCustomerId: loggedIn, client };
}
