import { enqueue } from "../../jobs/enqueue.server";
import { scheduleDelayScan } from "../delay-notices/notices.server";
import { scheduleCheckInScan } from "../csat/checkins.server";
import { defineJob, type JobContext } from "../../jobs/types";
import {
  activeBulkRun,
  createSyncRun,
  saveSyncState,
  syncRunByBulkOperation,
  syncRunForShop,
  syncState,
  updateSyncRun,
  type BulkPhase,
} from "../../models/sync-run.server";
import { writeSyncBatch, type OrderParts } from "../../models/sync-store.server";
import {
  BULK_CUSTOMERS_QUERY,
  BULK_OPERATION_QUERY,
  BULK_ORDERS_QUERY,
  BULK_RUN_QUERY_MUTATION,
  SYNC_COUNTS_QUERY,
} from "../../shopify/sync-documents";
import { adminClientForShop } from "./client.server";
import { gidType, readJsonLines } from "./jsonl";
import {
  customerFromGraphql,
  fulfillmentFromGraphql,
  fulfillmentOrderFromGraphql,
  lineItemFromGraphql,
  orderFromGraphql,
  type CustomerRow,
} from "./records";
import { scheduleReconciliation } from "./reconcile.server";

/**
 * The first sync (on install) and "Sync now": one bulk operation for customers, then one for
 * orders with their line items, fulfillment orders and fulfillments. Each step is a durable
 * job, so a restart in the middle picks up where it was; the JSONL result is streamed and
 * written in batches, one transaction each.
 */

interface BulkOperation {
  id: string;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELED" | "CANCELING" | "EXPIRED";
  errorCode: "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT" | null;
  objectCount: string;
  rootObjectCount: string;
  url: string | null;
  partialDataUrl: string | null;
}

const numberFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

/** How often a running bulk operation is polled (the finish webhook usually comes first). */
const pollIntervalMs = () => numberFromEnv("SYNC_POLL_INTERVAL_MS", 5_000);
/** JSONL lines per transaction. */
const INGEST_BATCH_LINES = 2_000;

const PHASE_QUERY: Record<Exclude<BulkPhase, "done">, string> = {
  customers: BULK_CUSTOMERS_QUERY,
  orders: BULK_ORDERS_QUERY,
};

/** A bulk export failure as the merchant should read it. */
export function bulkFailureMessage(phase: string, status: string, errorCode: string | null): string {
  const what = phase === "customers" ? "customers" : "orders";
  switch (errorCode) {
    case "ACCESS_DENIED":
      return `Shopify refused to export your ${what}: the app lacks permission to read them. Open the app again to approve its access, then choose Sync now.`;
    case "TIMEOUT":
      return `Shopify stopped the export of your ${what} because it took too long. Choose Sync now to try again.`;
    case "INTERNAL_SERVER_ERROR":
      return `Shopify's export of your ${what} failed on Shopify's side. Choose Sync now to try again; if it keeps failing, Shopify may be having trouble.`;
    default:
      return `Shopify's export of your ${what} ended as ${status.toLowerCase()}${errorCode ? ` (${errorCode})` : ""}. Choose Sync now to try again.`;
  }
}

/**
 * Starts a full sync unless one is already queued or running. The first sync on install
 * only happens once: a shop that has completed one is kept current by webhooks and
 * reconciliation, unless the merchant asks again.
 */
export async function requestFullSync(shop: string, reason: "install" | "manual"): Promise<{ runId: string; started: boolean }> {
  const active = await activeBulkRun(shop);
  if (active) return { runId: active.id, started: false };
  if (reason === "install") {
    const state = await syncState(shop);
    if (state?.lastFullSyncAt) {
      // Installed again before shop/redact: the data is here, only the catch-up chain was stopped.
      await scheduleReconciliation(shop);
      await scheduleDelayScan(shop);
      await scheduleCheckInScan(shop);
      return { runId: "", started: false };
    }
  }
  const run = await createSyncRun(shop, "bulk");
  await enqueue(bulkStartJob, { shop, key: `${run.id}:customers`, payload: { runId: run.id, phase: "customers" } });
  return { runId: run.id, started: true };
}

/** Marks the run failed when the job that carries it has used its last attempt. */
async function onLastAttempt<P extends { runId: string }>(ctx: JobContext<P>, maxAttempts: number, work: () => Promise<void>) {
  try {
    await work();
  } catch (error) {
    if (ctx.attempt >= maxAttempts) {
      const message = error instanceof Error ? error.message : String(error);
      await updateSyncRun(ctx.shop, ctx.payload.runId, { status: "failed", error: `The sync stopped: ${message}`, finishedAt: new Date() });
    }
    throw error;
  }
}

async function failRun(shop: string, runId: string, error: string) {
  await updateSyncRun(shop, runId, { status: "failed", error, finishedAt: new Date() });
}

interface StartPayload {
  runId: string;
  phase: "customers" | "orders";
}

const START_ATTEMPTS = 10;

export const bulkStartJob = defineJob<StartPayload>({
  kind: "sync.bulk.start",
  maxAttempts: START_ATTEMPTS,
  run: (ctx) =>
    onLastAttempt(ctx, START_ATTEMPTS, async () => {
      const { shop, payload } = ctx;
      const run = await syncRunForShop(shop, payload.runId);
      if (!run || run.status === "failed" || run.status === "succeeded") return;
      // A retry after the operation was started (and written down) just goes on polling it.
      if (run.phase === payload.phase && run.bulkOperationId) {
        await enqueuePoll(shop, payload.runId, run.bulkOperationId, 1);
        return;
      }
      const client = await adminClientForShop(shop);
      if (payload.phase === "customers") {
        const counts = await client.request<{ customersCount: { count: number } | null; ordersCount: { count: number } | null }>(SYNC_COUNTS_QUERY);
        await updateSyncRun(shop, run.id, { customersTotal: counts.customersCount?.count ?? null, ordersTotal: counts.ordersCount?.count ?? null });
      }
      const result = await client.request<{
        bulkOperationRunQuery: { bulkOperation: { id: string; status: string } | null; userErrors: { message: string; code: string | null }[] };
      }>(BULK_RUN_QUERY_MUTATION, { query: PHASE_QUERY[payload.phase] });
      const { bulkOperation, userErrors } = result.bulkOperationRunQuery;
      if (!bulkOperation) {
        const busy = userErrors.some((e) => e.code === "OPERATION_IN_PROGRESS" || e.code === "LIMIT_REACHED");
        const message = userErrors.map((e) => e.message).join("; ") || "no bulk operation was created";
        // Another export is running (ours from before a restart, or another app's): wait and retry.
        if (busy) throw new Error(`Shopify is busy with another export: ${message}`);
        await failRun(shop, run.id, `Shopify would not start the export of your ${payload.phase}: ${message}`);
        return;
      }
      await updateSyncRun(shop, run.id, {
        status: "running",
        phase: payload.phase,
        bulkOperationId: bulkOperation.id,
        exportedObjects: 0,
        requests: run.requests + client.stats.requests,
      });
      await enqueuePoll(shop, run.id, bulkOperation.id, 1);
    }),
});

interface PollPayload {
  runId: string;
  bulkOperationId: string;
  poll: number;
}

function enqueuePoll(shop: string, runId: string, bulkOperationId: string, poll: number) {
  // Polls slow down from the interval up to a minute while an export runs for long.
  const delay = Math.min(pollIntervalMs() * Math.min(poll, 12), 60_000);
  return enqueue(bulkPollJob, {
    shop,
    key: `${runId}:${bulkOperationId}:poll:${poll}`,
    payload: { runId, bulkOperationId, poll },
    runAt: new Date(Date.now() + delay),
  });
}

function enqueueIngest(shop: string, runId: string, bulkOperationId: string) {
  // Keyed by operation: the finish webhook and a poll that both see the end queue it once.
  return enqueue(bulkIngestJob, { shop, key: `${runId}:${bulkOperationId}:ingest`, payload: { runId, bulkOperationId } });
}

async function readOperation(shop: string, id: string) {
  const client = await adminClientForShop(shop);
  const data = await client.request<{ bulkOperation: BulkOperation | null }>(BULK_OPERATION_QUERY, { id });
  return data.bulkOperation;
}

/** Acts on an operation's state; shared by polling and the bulk_operations/finish webhook. */
async function followOperation(shop: string, runId: string, operation: BulkOperation | null, bulkOperationId: string): Promise<"running" | "done"> {
  const run = await syncRunForShop(shop, runId);
  if (!run || run.bulkOperationId !== bulkOperationId || run.status !== "running") return "done";
  if (!operation) {
    await failRun(shop, runId, `Shopify no longer knows the export of your ${run.phase} (${bulkOperationId}). Choose Sync now to try again.`);
    return "done";
  }
  if (operation.status === "CREATED" || operation.status === "RUNNING") {
    await updateSyncRun(shop, runId, { exportedObjects: Number(operation.objectCount) || 0 });
    return "running";
  }
  if (operation.status === "COMPLETED") {
    await updateSyncRun(shop, runId, { exportedObjects: Number(operation.objectCount) || 0 });
    await enqueueIngest(shop, runId, bulkOperationId);
    return "done";
  }
  await failRun(shop, runId, bulkFailureMessage(run.phase ?? "customers", operation.status, operation.errorCode));
  return "done";
}

export const bulkPollJob = defineJob<PollPayload>({
  kind: "sync.bulk.poll",
  maxAttempts: 8,
  run: (ctx) =>
    onLastAttempt(ctx, 8, async () => {
      const { shop, payload } = ctx;
      const run = await syncRunForShop(shop, payload.runId);
      if (!run || run.status !== "running" || run.bulkOperationId !== payload.bulkOperationId) return;
      const operation = await readOperation(shop, payload.bulkOperationId);
      const state = await followOperation(shop, payload.runId, operation, payload.bulkOperationId);
      if (state === "running") await enqueuePoll(shop, payload.runId, payload.bulkOperationId, payload.poll + 1);
    }),
});

/** bulk_operations/finish: the operation ended; the rest is as if a poll had seen it. */
export async function handleBulkOperationFinish(shop: string, body: { admin_graphql_api_id?: unknown }): Promise<void> {
  const id = typeof body.admin_graphql_api_id === "string" ? body.admin_graphql_api_id : null;
  if (!id) throw new Error("bulk_operations/finish without admin_graphql_api_id");
  const run = await syncRunByBulkOperation(shop, id);
  if (!run) return; // not one of our syncs (or from before a Sync now replaced it)
  const operation = await readOperation(shop, id);
  await followOperation(shop, run.id, operation, id);
}

interface IngestPayload {
  runId: string;
  bulkOperationId: string;
}

const INGEST_ATTEMPTS = 6;

/** Streams the operation's JSONL into the database; run again, it writes the same rows again. */
export async function ingestBulkResult(shop: string, url: string, onBatch: (progress: { customers: number; orders: number }) => Promise<void>) {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`the export file could not be downloaded (HTTP ${response.status})`);
  let customers: CustomerRow[] = [];
  let parts: OrderParts = { orders: [], lineItems: [], fulfillmentOrders: [], fulfillments: [] };
  let lines = 0;
  const totals = { customers: 0, orders: 0 };
  const staleOrders = new Set<string>();
  const flush = async () => {
    if (lines === 0) return;
    await writeSyncBatch(shop, customers, parts, staleOrders);
    totals.customers += customers.length;
    totals.orders += parts.orders.length;
    customers = [];
    parts = { orders: [], lineItems: [], fulfillmentOrders: [], fulfillments: [] };
    lines = 0;
    await onBatch(totals);
  };
  for await (const line of readJsonLines(response.body)) {
    const parent = typeof line.__parentId === "string" ? line.__parentId : null;
    switch (gidType(line.id)) {
      case "Customer":
        customers.push(customerFromGraphql(line));
        break;
      case "Order": {
        const order = orderFromGraphql(line);
        parts.orders.push(order);
        // Order.fulfillments is a plain list, so it comes inline on the order's line.
        for (const f of Array.isArray(line.fulfillments) ? line.fulfillments : []) {
          parts.fulfillments.push(fulfillmentFromGraphql(f as Record<string, unknown>, order.shopifyId));
        }
        break;
      }
      case "LineItem":
        if (parent) parts.lineItems.push(lineItemFromGraphql(line, parent));
        break;
      case "FulfillmentOrder":
        if (parent) parts.fulfillmentOrders.push(fulfillmentOrderFromGraphql(line, parent));
        break;
      default:
        break; // a field this version of the app does not ask for
    }
    if (++lines >= INGEST_BATCH_LINES) await flush();
  }
  await flush();
  return totals;
}

export const bulkIngestJob = defineJob<IngestPayload>({
  kind: "sync.bulk.ingest",
  maxAttempts: INGEST_ATTEMPTS,
  run: (ctx) =>
    onLastAttempt(ctx, INGEST_ATTEMPTS, async () => {
      const { shop, payload } = ctx;
      const run = await syncRunForShop(shop, payload.runId);
      if (!run || run.status !== "running" || run.bulkOperationId !== payload.bulkOperationId) return;
      const phase = run.phase === "orders" ? "orders" : "customers";
      // Fetched fresh: the file's signed URL expires a week after the export.
      const operation = await readOperation(shop, payload.bulkOperationId);
      if (!operation || operation.status !== "COMPLETED") throw new Error(`the export ${payload.bulkOperationId} is ${operation?.status ?? "gone"}`);
      if (operation.url) {
        await ingestBulkResult(shop, operation.url, (totals) =>
          updateSyncRun(shop, run.id, phase === "customers" ? { customersSynced: totals.customers } : { ordersSynced: totals.orders }),
        );
      }
      if (phase === "customers") {
        await updateSyncRun(shop, run.id, { phase: "orders", bulkOperationId: null, exportedObjects: 0 });
        await enqueue(bulkStartJob, { shop, key: `${run.id}:orders`, payload: { runId: run.id, phase: "orders" } });
        return;
      }
      const finishedAt = new Date();
      await updateSyncRun(shop, run.id, { status: "succeeded", phase: "done", finishedAt });
      // Anything changed since the export began is for reconciliation (an overlap is harmless).
      await saveSyncState(shop, { lastFullSyncAt: finishedAt, customersCursor: run.startedAt, ordersCursor: run.startedAt });
      await scheduleReconciliation(shop);
      await scheduleDelayScan(shop);
      await scheduleCheckInScan(shop);
    }),
});

export const bulkSyncJobs = [bulkStartJob, bulkPollJob, bulkIngestJob];
