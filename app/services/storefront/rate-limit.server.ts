/**
 * A token bucket per key (shop and shopper), in this process's memory: enough to stop one
 * client hammering the storefront endpoints. Several app instances each keep their own.
 */

interface Bucket {
  tokens: number;
  updated: number;
}

const buckets = new Map<string, Bucket>();
const MAX_KEYS = 50_000;

export function allowRequest(key: string, { capacity = 20, refillPerMinute = 20, now = Date.now() } = {}): boolean {
  let bucket = buckets.get(key);
  if (!bucket) {
    if (buckets.size >= MAX_KEYS) {
      // Forget the oldest keys first (Map keeps insertion order).
      for (const old of [...buckets.keys()].slice(0, MAX_KEYS / 10)) buckets.delete(old);
    }
    bucket = { tokens: capacity, updated: now };
    buckets.set(key, bucket);
  }
  bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updated) / 60_000) * refillPerMinute);
  bucket.updated = now;
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

/** The header server.mjs sets to the socket's peer address (any such header from outside is overwritten). */
export const SOCKET_ADDRESS_HEADER = "x-support-desk-socket-address";

/**
 * The shopper's address as the proxies we trust saw it. Each trusted proxy in front of the app
 * appends the address it was reached from to X-Forwarded-For, so with `trustedHops` of them the
 * shopper is the entry that many places from the end; everything left of it is whatever the
 * shopper sent and is never read. With no trusted hop (or too short a header) it is the socket's peer.
 */
export function shopperAddress(headers: Headers, trustedHops: number): string | null {
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (trustedHops > 0 && entries.length >= trustedHops) return entries[entries.length - trustedHops];
  return headers.get(SOCKET_ADDRESS_HEADER)?.trim() || null;
}

export interface ProxyLimit {
  /** Requests one shopper may make in a burst, and per minute after it. */
  capacity: number;
  refillPerMinute: number;
}

/** One shop's storefront, all shoppers together, per endpoint: a ceiling against floods. */
export const SHOP_CEILING_FACTOR = 50;

/**
 * One storefront request against its buckets: the shopper's address (appended by a trusted proxy),
 * the logged-in customer (signed by Shopify) across whatever addresses they use, and the shop's
 * ceiling. The panel's visit id is the shopper's own choice, so it is a key only when nothing else is.
 */
export function allowProxyRequest(input: {
  shop: string;
  endpoint: string;
  address: string | null;
  customerId: string | null;
  visit: string | null;
  limit: ProxyLimit;
  now?: number;
}): boolean {
  const { shop, endpoint, address, customerId, visit, limit } = input;
  const now = input.now ?? Date.now();
  const shopper: string[] = [];
  if (address) shopper.push(`ip:${address}`);
  if (customerId) shopper.push(`customer:${customerId}`);
  if (shopper.length === 0) shopper.push(visit && /^[\w-]{8,64}$/.test(visit) ? `visit:${visit}` : "anonymous");
  const ceiling = { capacity: limit.capacity * SHOP_CEILING_FACTOR, refillPerMinute: limit.refillPerMinute * SHOP_CEILING_FACTOR, now };
  // Every bucket is charged (no short-circuit), so rotating one key never spares the others.
  const results = [...shopper.map((client) => allowRequest(`${shop}|${endpoint}|${client}`, { ...limit, now })), allowRequest(`${shop}|${endpoint}|*`, ceiling)];
  return results.every(Boolean);
}
