import crypto from "node:crypto";
import { env } from "../../env.server";
import type { BucketRequest } from "../../models/rate-limit.server";

/**
 * Which token buckets a storefront request draws on. The buckets live in the database
 * (app/models/rate-limit.server.ts), so every app process on one database enforces one limit: a
 * shopper whose requests are spread over several servers is limited as on one.
 */

/** The bucket's name: a keyed hash, so the shopper's address or customer id is never stored. */
export function bucketKey(endpoint: string, client: string): string {
  const hmac = crypto.createHmac("sha256", env().SHOPIFY_API_SECRET).update(`${endpoint}\u0000${client}`);
  return hmac.digest("base64url").slice(0, 22);
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
 * A storefront request's buckets, every one charged: the shopper's address (appended by a trusted
 * proxy), the logged-in customer (signed by Shopify) across whatever addresses they use, and the
 * shop's ceiling. The panel's visit id is the shopper's own choice, so it is a key only when nothing else is.
 */
export function proxyBuckets(input: {
  endpoint: string;
  address: string | null;
  customerId: string | null;
  visit: string | null;
  limit: ProxyLimit;
}): BucketRequest[] {
  const { endpoint, address, customerId, visit, limit } = input;
  const shopper: string[] = [];
  if (address) shopper.push(`ip:${address}`);
  if (customerId) shopper.push(`customer:${customerId}`);
  if (shopper.length === 0) shopper.push(visit && /^[\w-]{8,64}$/.test(visit) ? `visit:${visit}` : "anonymous");
  const ceiling = {
    capacity: limit.capacity * SHOP_CEILING_FACTOR,
    refillPerMinute: limit.refillPerMinute * SHOP_CEILING_FACTOR,
  };
  return [
    ...shopper.map((client) => ({ key: bucketKey(endpoint, client), ...limit })),
    { key: bucketKey(endpoint, "*"), ...ceiling },
  ];
}
