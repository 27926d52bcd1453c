/**
 * Shopify's leaky bucket for the Admin GraphQL API: one bucket per app and shop, refilled
 * continuously at `restoreRate` points a second up to `maximumAvailable`. A query is refused
 * (THROTTLED) when its requested cost exceeds what is available; otherwise the requested cost
 * is taken up front and the difference to the actual cost handed back afterwards.
 */

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface CostThrottleOptions {
  maximumAvailable?: number;
  restoreRate?: number;
  now?: () => number;
}

interface Bucket {
  available: number;
  at: number;
}

export const THROTTLED_DOCUMENTATION = "https://shopify.dev/api/usage/rate-limits";

export class CostThrottle {
  readonly maximumAvailable: number;
  readonly restoreRate: number;
  private readonly now: () => number;
  private readonly buckets = new Map<string, Bucket>();

  constructor(opts: CostThrottleOptions = {}) {
    this.maximumAvailable = opts.maximumAvailable ?? 2000;
    this.restoreRate = opts.restoreRate ?? 100;
    this.now = opts.now ?? Date.now;
  }

  private level(key: string): Bucket {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { available: this.maximumAvailable, at: now };
      this.buckets.set(key, bucket);
    }
    const elapsed = Math.max(0, now - bucket.at) / 1000;
    bucket.available = Math.min(this.maximumAvailable, bucket.available + elapsed * this.restoreRate);
    bucket.at = now;
    return bucket;
  }

  /** Takes `cost` points if they are available; false (and nothing taken) otherwise. */
  take(key: string, cost: number): boolean {
    const bucket = this.level(key);
    if (cost > bucket.available) return false;
    bucket.available -= cost;
    return true;
  }

  /** Hands back points taken for a query that cost less than requested. */
  refund(key: string, points: number): void {
    if (points <= 0) return;
    const bucket = this.level(key);
    bucket.available = Math.min(this.maximumAvailable, bucket.available + points);
  }

  status(key: string): ThrottleStatus {
    return {
      maximumAvailable: this.maximumAvailable,
      currentlyAvailable: Math.floor(this.level(key).available),
      restoreRate: this.restoreRate,
    };
  }
}
