import { enqueueNextSlot } from "../../jobs/enqueue.server";
import { defineJob } from "../../jobs/types";
import { activeBulkRun, addSyncedCounts, createSyncRun, saveSyncState, syncState, updateSyncRun } from "../../models/sync-run.server";
import { applyOrderBundles, upsertCustomers } from "../../models/sync-store.server";
import type { AdminClient } from "../../shopify/admin-client.server";
import {
  CUSTOMERS_PAGE_QUERY,
  CUSTOMERS_PAGE_SIZE,
  ORDER_CHILDREN_LIMIT,
  ORDER_LINE_ITEMS_LIMIT,
  ORDERS_PAGE_QUERY,
  ORDERS_PAGE_SIZE,
} from "../../shopify/sync-documents";
import { adminClientForShop } from "./client.server";
import { customerFromGraphql, orderBundleFromGraphql } from "./records";

/**
 * Reconciliation: webhooks can be missed (an outage longer than Shopify's retries, a removed
 * subscription), so a periodic job pages through everything Shopify changed since the last
 * pass, oldest change first, and applies it like any other update (newest copy wins).
 * The client waits for the throttle bucket rather than failing.
 */

const intervalMs = () => {
  const value = Number(process.env.SYNC_RECONCILE_INTERVAL_MS);
  return Number.isFinite(value) && value > 0 ? value : 15 * 60 * 1000;
};

interface Page<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

type Node = Record<string, unknown> & { updatedAt?: string };

/**
 * How far before the cursor each pass looks again. Shopify's search index trails its writes, so
 * a record changed just before the last pass's newest one may only now be found; and a clock
 * that runs ahead must not hide later changes. Re-applying a record is harmless (newest wins).
 */
export const RECONCILE_OVERLAP_MS = 2 * 60 * 1000;

/** Shopify search syntax for "changed at or after the cursor, less the overlap". */
export function changedSince(cursor: Date | null): string | null {
  if (!cursor) return null;
  const from = new Date(cursor.getTime() - RECONCILE_OVERLAP_MS);
  return `updated_at:>='${from.toISOString().replace(/\.\d{3}Z$/, "Z")}'`;
}

const later = (a: Date | null, b: string | undefined) => {
  const candidate = b ? new Date(b) : null;
  if (!candidate || Number.isNaN(candidate.getTime())) return a;
  return !a || candidate > a ? candidate : a;
};

export interface ReconcileResult {
  customers: number;
  orders: number;
  requests: number;
}

/** One pass over customers then orders changed since the stored cursors. */
export async function reconcileShop(shop: string, client: AdminClient, runId?: string): Promise<ReconcileResult> {
  const state = await syncState(shop);
  const result: ReconcileResult = { customers: 0, orders: 0, requests: 0 };
  const requestsBefore = client.stats.requests;

  let cursor = state?.customersCursor ?? null;
  let after: string | null = null;
  const customerQuery = changedSince(cursor);
  do {
    const data: { customers: Page<Node> } = await client.request(CUSTOMERS_PAGE_QUERY, { first: CUSTOMERS_PAGE_SIZE, after, query: customerQuery });
    const page = data.customers;
    await upsertCustomers(shop, page.nodes.map(customerFromGraphql));
    for (const node of page.nodes) cursor = later(cursor, node.updatedAt);
    result.customers += page.nodes.length;
    // Saved page by page: a pass cut short resumes from here, not from the start.
    await saveSyncState(shop, { customersCursor: cursor });
    if (runId) await addSyncedCounts(shop, runId, { customers: page.nodes.length, requests: 1 });
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);

  cursor = state?.ordersCursor ?? null;
  const orderQuery = changedSince(cursor);
  do {
    const data: { orders: Page<Node> } = await client.request(ORDERS_PAGE_QUERY, {
      first: ORDERS_PAGE_SIZE,
      after,
      query: orderQuery,
      lineItems: ORDER_LINE_ITEMS_LIMIT,
      children: ORDER_CHILDREN_LIMIT,
    });
    const page = data.orders;
    await applyOrderBundles(shop, page.nodes.map(orderBundleFromGraphql));
    for (const node of page.nodes) cursor = later(cursor, node.updatedAt);
    result.orders += page.nodes.length;
    await saveSyncState(shop, { ordersCursor: cursor });
    if (runId) await addSyncedCounts(shop, runId, { orders: page.nodes.length, requests: 1 });
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);

  result.requests = client.stats.requests - requestsBefore;
  await saveSyncState(shop, { lastReconciledAt: new Date() });
  return result;
}

/** Queues the next pass, one per interval (keyed by it, so scheduling twice queues once). */
export async function scheduleReconciliation(shop: string, from = Date.now()) {
  await enqueueNextSlot(reconcileJob, shop, "reconcile", intervalMs(), from);
}

const RECONCILE_ATTEMPTS = 5;

export const reconcileJob = defineJob<Record<string, never>>({
  kind: "sync.reconcile",
  maxAttempts: RECONCILE_ATTEMPTS,
  async run({ shop, attempt }) {
    const state = await syncState(shop);
    // Before the first full sync there is nothing to reconcile; during one, it would race it.
    if (!state?.lastFullSyncAt || (await activeBulkRun(shop))) {
      if (state?.lastFullSyncAt) await scheduleReconciliation(shop);
      return;
    }
    const run = await createSyncRun(shop, "reconcile");
    await updateSyncRun(shop, run.id, { status: "running" });
    try {
      await reconcileShop(shop, await adminClientForShop(shop), run.id);
      await updateSyncRun(shop, run.id, { status: "succeeded", finishedAt: new Date() });
      await scheduleReconciliation(shop);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await updateSyncRun(shop, run.id, { status: "failed", error: `Catching up with Shopify failed: ${message}`, finishedAt: new Date() });
      // The chain of passes must not end with a job that ran out of attempts.
      if (attempt >= RECONCILE_ATTEMPTS) await scheduleReconciliation(shop);
      throw error;
    }
  },
});
