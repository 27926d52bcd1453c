import { expect } from "vitest";
import type { Emulator } from "../emulator/index";
import type { AppServer } from "./processes";
import { BROWSER_UA } from "./wait";

/**
 * Requests to one app process of several on one database (tests of what must agree between
 * processes): the embedded admin's, with the shop's session token, and the storefront's, signed as
 * Shopify's App Proxy forwards them.
 */

/** An admin page or action (a form POST when `fields` are given); redirects are returned, not followed. */
export const adminRequest = (emulator: Emulator, app: AppServer, shop: string, path: string, fields?: Record<string, string>) =>
  fetch(`${app.url}${path}`, {
    method: fields ? "POST" : "GET",
    redirect: "manual",
    headers: {
      Authorization: `Bearer ${emulator.sessionToken(shop)}`,
      "User-Agent": BROWSER_UA,
      ...(fields ? { "Content-Type": "application/x-www-form-urlencoded" } : {}),
    },
    body: fields ? new URLSearchParams(fields) : undefined,
  });

/** A storefront FAQ search from the shopper at `address` (appended last, as the proxy does); the questions found. */
export async function storefrontSearch(emulator: Emulator, app: AppServer, shop: string, q: string, address: string): Promise<string[]> {
  const response = await fetch(`${app.url}/proxy/faq/search?${emulator.signProxyQuery(shop, { q, locale: "en" })}`, {
    headers: { "X-Forwarded-For": address },
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { results: { question: string }[] };
  return body.results.map((r) => r.question);
}

/** An invalid contact form (422, nothing stored) from the shopper at `address`: its status, 429 once rate-limited. */
export async function invalidContact(emulator: Emulator, app: AppServer, shop: string, address: string): Promise<number> {
  const response = await fetch(`${app.url}/proxy/contact?${emulator.signProxyQuery(shop, {})}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Forwarded-For": address },
    body: JSON.stringify({ email: "x@example.com", message: "" }),
  });
  await response.arrayBuffer();
  return response.status;
}
