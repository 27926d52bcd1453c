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
