/**
 * Shopify's App Proxy: a storefront request to /<prefix>/<subpath>/* is forwarded to the
 * app's proxy URL with the shop, the logged-in customer, the path prefix and a timestamp
 * added to the query, and a `signature` over all of it keyed with the client secret.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { AppProxyConfig } from "./app-config";

export type ProxyQuery = Record<string, string | string[]>;

/** Parameters Shopify sets itself; a shopper cannot supply them. */
const SHOPIFY_PARAMS = ["shop", "logged_in_customer_id", "path_prefix", "timestamp", "signature"];

/** Shopify accepts proxied requests signed within this window (the Node library allows 90 s). */
const SIGNATURE_MAX_AGE_SECONDS = 90;

/**
 * The documented algorithm: drop `signature`, turn each parameter into `key=value` (repeated
 * keys' values joined with commas), sort those strings, concatenate with no separator, and
 * take the hex HMAC-SHA256 with the client secret.
 */
export function proxySignature(query: ProxyQuery, secret: string): string {
  const message = Object.entries(query)
    .filter(([key]) => key !== "signature")
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(",") : value}`)
    .sort()
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

export interface SignProxyInput {
  secret: string;
  shop: string;
  pathPrefix: string;
  query?: ProxyQuery | URLSearchParams;
  loggedInCustomerId?: string;
  timestamp?: number;
}

/** The query Shopify sends to the app: the shopper's parameters plus Shopify's, signed. */
export function signProxyQuery(input: SignProxyInput): URLSearchParams {
  const query = input.query instanceof URLSearchParams ? queryFromSearchParams(input.query) : { ...(input.query ?? {}) };
  for (const key of SHOPIFY_PARAMS) delete query[key];
  query.shop = input.shop;
  query.logged_in_customer_id = input.loggedInCustomerId ?? "";
  query.path_prefix = input.pathPrefix;
  query.timestamp = String(input.timestamp ?? Math.floor(Date.now() / 1000));

  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, item);
  }
  params.append("signature", proxySignature(query, input.secret));
  return params;
}

/** True when the signature matches and the timestamp is fresh (pass maxAgeSeconds: Infinity to skip). */
export function verifyProxyQuery(
  search: URLSearchParams | string,
  secret: string,
  { maxAgeSeconds = SIGNATURE_MAX_AGE_SECONDS, now = Date.now() }: { maxAgeSeconds?: number; now?: number } = {},
): boolean {
  const params = typeof search === "string" ? new URLSearchParams(search) : search;
  const signature = params.getAll("signature");
  const timestamp = params.getAll("timestamp");
  if (signature.length !== 1 || timestamp.length !== 1) return false;
  const age = Math.abs(now / 1000 - Number(timestamp[0]));
  if (!Number.isFinite(age) || age > maxAgeSeconds) return false;
  const expected = Buffer.from(proxySignature(queryFromSearchParams(params), secret));
  const given = Buffer.from(signature[0]);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function pathPrefixFor(proxy: AppProxyConfig): string {
  return `/${proxy.prefix}/${proxy.subpath}`;
}

export function queryFromSearchParams(params: URLSearchParams): ProxyQuery {
  const query: ProxyQuery = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    query[key] = values.length === 1 ? values[0] : values;
  }
  return query;
}

// ------------------------------------------------------------------ forwarding

export interface ProxyForwardInput {
  proxy: AppProxyConfig;
  secret: string;
  shop: string;
  method: string;
  /** The path after /<prefix>/<subpath>, starting with "/" or empty. */
  subPath: string;
  search: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  loggedInCustomerId?: string;
}

export interface ProxyForwardResult {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Request headers a storefront request carries through Shopify's proxy; cookies never do. */
const FORWARDED_REQUEST_HEADERS = ["accept", "accept-language", "content-type", "user-agent", "x-requested-with", "x-forwarded-for"];
const RETURNED_RESPONSE_HEADERS = ["content-type", "cache-control", "location", "vary", "etag", "last-modified", "content-language"];

export async function forwardToAppProxy(input: ProxyForwardInput): Promise<ProxyForwardResult> {
  const signed = signProxyQuery({
    secret: input.secret,
    shop: input.shop,
    pathPrefix: pathPrefixFor(input.proxy),
    query: input.search,
    loggedInCustomerId: input.loggedInCustomerId,
  });
  const target = `${input.proxy.url}${input.subPath}?${signed.toString()}`;

  const headers: Record<string, string> = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = input.headers[name];
    if (typeof value === "string") headers[name] = value;
  }
  const hasBody = !["GET", "HEAD"].includes(input.method) && input.body.length > 0;

  let response: Response;
  try {
    response = await fetch(target, {
      method: input.method,
      headers,
      body: hasBody ? new Uint8Array(input.body) : undefined,
      redirect: "manual",
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    return {
      status: 502,
      headers: { "content-type": "text/plain; charset=utf-8" },
      body: Buffer.from(`The app's proxy URL ${input.proxy.url} did not answer: ${(error as Error).message}`),
    };
  }
  const returned: Record<string, string> = {};
  for (const name of RETURNED_RESPONSE_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) returned[name] = value;
  }
  if (returned["content-type"]?.startsWith("application/liquid")) {
    // Shopify renders such answers inside the shop's theme; the emulator has no theme, so show the source.
    returned["content-type"] = "text/plain; charset=utf-8";
    returned["x-emulator-note"] = "application/liquid is rendered by Shopify's theme; shown unrendered";
  }
  return { status: response.status, headers: returned, body: Buffer.from(await response.arrayBuffer()) };
}
