import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SHOP } from "../emulator/index";
import { startStack, type Stack } from "../support/stack";
import { SHOP_CEILING_FACTOR, SOCKET_ADDRESS_HEADER, shopperAddress } from "../../app/services/storefront/rate-limit.server";

/**
 * The storefront's rate limits key on what a shopper cannot choose: the address Shopify's proxy
 * appends to X-Forwarded-For (the emulator appends X-Emulator-Client-Ip, or its socket's peer), the
 * logged-in customer Shopify signs, and the shop's ceiling. Whatever X-Forwarded-For the shopper sends is ignored.
 */

const OTHER_SHOP = "other-desk.myshopify.com";
const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36";
const CONTACT_CAPACITY = 5;
let stack: Stack;

const handle = (shop: string) => shop.replace(/\.myshopify\.com$/, "");
const contactUrl = (shop: string) => `${stack.emulator.url}/storefront/${handle(shop)}/apps/support/contact`;

/** An invalid contact form (422, nothing stored) from one shopper, as the headers say. */
async function contact(shop: string, headers: Record<string, string>): Promise<number> {
  const response = await fetch(contactUrl(shop), {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify({ email: "x@example.com", message: "" }),
  });
  await response.arrayBuffer();
  return response.status;
}

beforeAll(async () => {
  stack = await startStack({ shops: [DEFAULT_SHOP, OTHER_SHOP] });
  for (const shop of [DEFAULT_SHOP, OTHER_SHOP]) {
    const opened = await fetch(`${stack.app.url}/app`, { headers: { Authorization: `Bearer ${stack.emulator.sessionToken(shop)}`, "User-Agent": BROWSER_UA } });
    expect(opened.status).toBe(200);
  }
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe("the shopper's address", () => {
  const headers = (forwarded: string | null, socket: string | null = null) => {
    const h = new Headers();
    if (forwarded !== null) h.set("x-forwarded-for", forwarded);
    if (socket !== null) h.set(SOCKET_ADDRESS_HEADER, socket);
    return h;
  };

  it("is the entry the trusted proxies appended, never what the shopper wrote before it", () => {
    expect(shopperAddress(headers("6.6.6.6, 203.0.113.7"), 1)).toBe("203.0.113.7");
    expect(shopperAddress(headers("6.6.6.6,1.2.3.4 , 203.0.113.7, 10.0.0.2"), 2)).toBe("203.0.113.7");
    // No trusted proxy, or fewer entries than trusted proxies: the socket's peer.
    expect(shopperAddress(headers("6.6.6.6", "198.51.100.1"), 0)).toBe("198.51.100.1");
    expect(shopperAddress(headers("203.0.113.7", "198.51.100.1"), 2)).toBe("198.51.100.1");
    expect(shopperAddress(headers(null, "198.51.100.1"), 1)).toBe("198.51.100.1");
    expect(shopperAddress(headers(null), 1)).toBeNull();
  });
});

describe("storefront rate limits", () => {
  it("limit a shopper who sends a new X-Forwarded-For on every request", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < CONTACT_CAPACITY + 3; i++) {
      statuses.push(await contact(DEFAULT_SHOP, { "X-Emulator-Client-Ip": "10.60.0.1", "X-Forwarded-For": `172.16.${i}.${i + 1}` }));
    }
    expect(statuses.slice(0, CONTACT_CAPACITY)).toEqual(Array(CONTACT_CAPACITY).fill(422));
    expect(statuses.slice(CONTACT_CAPACITY)).toEqual([429, 429, 429]);
    // Another shopper is not blocked by the first, even naming the first one's address in their own header.
    expect(await contact(DEFAULT_SHOP, { "X-Emulator-Client-Ip": "10.60.0.2", "X-Forwarded-For": "10.60.0.1" })).toBe(422);
  });

  it("limit a logged-in customer across every address they use", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < CONTACT_CAPACITY + 2; i++) {
      statuses.push(await contact(DEFAULT_SHOP, { "X-Emulator-Customer-Id": "987654321", "X-Emulator-Client-Ip": `10.61.0.${i + 1}` }));
    }
    expect(statuses.slice(0, CONTACT_CAPACITY)).toEqual(Array(CONTACT_CAPACITY).fill(422));
    expect(statuses.slice(CONTACT_CAPACITY)).toEqual([429, 429]);
    // Another customer, and the same addresses without that login, are still served.
    expect(await contact(DEFAULT_SHOP, { "X-Emulator-Customer-Id": "123456789", "X-Emulator-Client-Ip": "10.61.1.1" })).toBe(422);
  });

  it("hold the shop's ceiling however many addresses the requests come from, and only for that shop", async () => {
    const ceiling = CONTACT_CAPACITY * SHOP_CEILING_FACTOR;
    // Each address sends one request; the ceiling refills a little while they run (its rate a minute), so
    // the first 429 comes after the burst and a few refilled requests, well before twice the ceiling.
    let served = 0;
    let limited = false;
    for (let batch = 0; batch < (2 * ceiling) / 10 && !limited; batch++) {
      const statuses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => contact(OTHER_SHOP, { "X-Emulator-Client-Ip": `10.62.${batch}.${i + 1}` })),
      );
      served += statuses.filter((s) => s === 422).length;
      limited = statuses.includes(429);
    }
    expect(limited).toBe(true);
    expect(served).toBeGreaterThanOrEqual(ceiling);
    expect(served).toBeLessThan(ceiling * 1.5);
    expect(await contact(DEFAULT_SHOP, { "X-Emulator-Client-Ip": "10.63.0.1" })).toBe(422);
  });
});
