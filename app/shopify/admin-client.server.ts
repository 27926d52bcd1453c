import { ClientError, GraphQLClient } from "graphql-request";
import { adminFetch } from "./admin-origin.server";
import { apiVersion as defaultApiVersion } from "./api-version";

/** What Shopify reports about the shop's leaky bucket after every Admin GraphQL request. */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

interface QueryCost {
  requestedQueryCost?: number;
  actualQueryCost?: number | null;
  throttleStatus?: ThrottleStatus;
}

export interface AdminClientStats {
  requests: number;
  /** Answers that were THROTTLED (retried, never failed). */
  throttled: number;
  /** Time spent waiting for the bucket to refill, before requests and after THROTTLED. */
  waitedMs: number;
  /** Sum of `actualQueryCost` over every successful request. */
  actualCost: number;
}

/** A request Shopify refused for a reason waiting will not fix (access, validation, a bad id). */
export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = "AdminApiError";
  }
}

export interface AdminClientOptions {
  shop: string;
  accessToken: string;
  apiVersion?: string;
  /** Defaults to the admin-origin seam, so the emulator can stand in for Shopify. */
  fetch?: typeof fetch;
  /** How often a THROTTLED answer is retried before giving up (default 20). */
  maxThrottleRetries?: number;
  /** How often a network error or 5xx is retried (default 4), with exponential backoff. */
  maxTransientRetries?: number;
  /** Base delay for transient retries (default 500 ms). */
  backoffBaseMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface AdminClient {
  request<T>(document: string, variables?: Record<string, unknown>): Promise<T>;
  readonly stats: AdminClientStats;
  /** The bucket as of the last answer, with the time it was read. */
  readonly throttle: (ThrottleStatus & { at: number }) | undefined;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const operationName = (document: string) => /\b(?:query|mutation)\s+(\w+)/.exec(document)?.[1] ?? "GraphQL request";

/**
 * An Admin GraphQL client (graphql-request) that paces itself by the shop's leaky bucket:
 * it reads `extensions.cost.throttleStatus` from every answer, waits until the bucket holds
 * what the next query is expected to cost instead of getting throttled, and when Shopify
 * answers THROTTLED anyway it waits for the bucket and retries rather than failing.
 */
export function createAdminClient(options: AdminClientOptions): AdminClient {
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const maxThrottleRetries = options.maxThrottleRetries ?? 20;
  const maxTransientRetries = options.maxTransientRetries ?? 4;
  const backoffBaseMs = options.backoffBaseMs ?? 500;
  // The shop's own URL: the admin-origin seam (adminFetch) reroutes it in the demo and tests.
  const client = new GraphQLClient(`https://${options.shop}/admin/api/${options.apiVersion ?? defaultApiVersion}/graphql.json`, {
    fetch: options.fetch ?? adminFetch,
    headers: { "X-Shopify-Access-Token": options.accessToken },
    errorPolicy: "all",
  });
  // Requested cost per document: a query's cost depends on its shape and page sizes, which
  // stay the same from page to page, so the last one predicts the next.
  const expectedCost = new Map<string, number>();
  const stats: AdminClientStats = { requests: 0, throttled: 0, waitedMs: 0, actualCost: 0 };
  let bucket: (ThrottleStatus & { at: number }) | undefined;

  const availableNow = () => {
    if (!bucket) return Infinity;
    const restored = ((now() - bucket.at) / 1000) * bucket.restoreRate;
    return Math.min(bucket.maximumAvailable, bucket.currentlyAvailable + restored);
  };

  const waitFor = async (cost: number) => {
    if (!bucket || bucket.restoreRate <= 0) return;
    const missing = Math.min(cost, bucket.maximumAvailable) - availableNow();
    if (missing <= 0) return;
    // A few ms of slack: Shopify restores continuously, our clock and its do not quite agree.
    const ms = Math.ceil((missing / bucket.restoreRate) * 1000) + 5;
    stats.waitedMs += ms;
    await sleep(ms);
  };

  const remember = (cost: QueryCost | undefined, key: string) => {
    if (!cost) return;
    if (cost.throttleStatus) bucket = { ...cost.throttleStatus, at: now() };
    if (typeof cost.requestedQueryCost === "number") expectedCost.set(key, cost.requestedQueryCost);
    if (typeof cost.actualQueryCost === "number") stats.actualCost += cost.actualQueryCost;
  };

  async function request<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
    const name = operationName(document);
    let throttledTimes = 0;
    let transientTimes = 0;
    for (;;) {
      await waitFor(expectedCost.get(document) ?? 0);
      stats.requests++;
      let response: Awaited<ReturnType<typeof client.rawRequest<T>>>;
      try {
        response = await client.rawRequest<T>(document, variables);
      } catch (error) {
        const status = error instanceof ClientError ? error.response.status : undefined;
        const transient = status === undefined || status === 429 || status >= 500;
        if (!transient) {
          const said = error instanceof ClientError ? String(error.response.body ?? "").slice(0, 300) : "";
          throw new AdminApiError(
            `${name}: Shopify answered HTTP ${status}${status === 401 ? " (the access token was refused)" : ""}${said ? `: ${said}` : ""}`,
            status,
          );
        }
        if (++transientTimes > maxTransientRetries) {
          const why = status ? `HTTP ${status}` : error instanceof Error ? error.message : String(error);
          throw new AdminApiError(`${name}: Shopify could not be reached after ${transientTimes} tries (${why})`, status);
        }
        const ms = backoffBaseMs * 2 ** (transientTimes - 1);
        stats.waitedMs += ms;
        await sleep(ms);
        continue;
      }
      const cost = (response.extensions as { cost?: QueryCost } | undefined)?.cost;
      remember(cost, document);
      const errors = response.errors ?? [];
      if (errors.some((e) => e.extensions?.code === "THROTTLED")) {
        stats.throttled++;
        if (++throttledTimes > maxThrottleRetries) {
          throw new AdminApiError(`${name}: still throttled after ${maxThrottleRetries} waits`, 200, "THROTTLED");
        }
        // Wait for the bucket to hold this query's cost; without a cost report, back off.
        if (cost?.requestedQueryCost !== undefined && bucket) await waitFor(cost.requestedQueryCost);
        else {
          const ms = backoffBaseMs * 2 ** Math.min(throttledTimes - 1, 6);
          stats.waitedMs += ms;
          await sleep(ms);
        }
        continue;
      }
      if (errors.length > 0) {
        const code = errors.find((e) => typeof e.extensions?.code === "string")?.extensions?.code as string | undefined;
        throw new AdminApiError(`${name}: ${errors.map((e) => e.message).join("; ")}`, 200, code);
      }
      if (response.data === undefined || response.data === null) throw new AdminApiError(`${name}: Shopify returned no data`, 200);
      return response.data;
    }
  }

  return {
    request,
    stats,
    get throttle() {
      return bucket;
    },
  };
}
