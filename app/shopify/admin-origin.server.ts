/**
 * Where a shop's Admin API lives. In production that is https://<shop>; in the demo
 * and the tests SHOPIFY_ADMIN_ORIGIN points every shop at the local Shopify emulator.
 * This file is the only place that knows the difference.
 */
const SHOPIFY_SHOP_HOST = /\.myshopify\.com$/i;

function override(): string | undefined {
  const value = process.env.SHOPIFY_ADMIN_ORIGIN?.trim();
  return value ? value.replace(/\/+$/, "") : undefined;
}

export function adminOrigin(shop: string): string {
  return override() ?? `https://${shop}`;
}

export function adminGraphqlUrl(shop: string, apiVersion: string): string {
  return `${adminOrigin(shop)}/admin/api/${apiVersion}/graphql.json`;
}

/**
 * fetch() for everything that talks to Shopify: requests to https://<shop>.myshopify.com
 * go to the configured admin origin, with the shop named in a header so the
 * emulator knows which store was addressed.
 */
export const adminFetch: typeof fetch = async (input, init) => {
  const origin = override();
  if (!origin) return fetch(input, init);

  const request = input instanceof Request ? input : undefined;
  const url = new URL(request ? request.url : String(input));
  if (!SHOPIFY_SHOP_HOST.test(url.hostname)) return fetch(input, init);

  const target = `${origin}${url.pathname}${url.search}`;
  const headers = new Headers(init?.headers ?? request?.headers);
  headers.set("X-Shopify-Shop-Domain", url.hostname);
  if (request) {
    return fetch(new Request(target, request), { ...init, headers });
  }
  return fetch(target, { ...init, headers });
};

/**
 * Shopify's document headers allow only Shopify's admin origins to frame the app and
 * preload App Bridge from Shopify's CDN. When the admin is the local emulator, its
 * origin must be allowed to frame the app, and App Bridge comes from it too.
 */
export function adaptDocumentHeadersToEmulator(headers: Headers): void {
  const origin = override();
  if (!origin) return;
  const csp = headers.get("Content-Security-Policy");
  if (csp?.includes("frame-ancestors")) {
    headers.set("Content-Security-Policy", csp.replace("frame-ancestors", `frame-ancestors ${new URL(origin).origin}`));
  }
  const appBridge = process.env.APP_BRIDGE_URL;
  if (headers.get("Link")?.includes("cdn.shopify.com/shopifycloud/app-bridge.js")) {
    if (appBridge) headers.set("Link", `<${appBridge}>; rel="preload"; as="script";`);
    else headers.delete("Link");
  }
}
