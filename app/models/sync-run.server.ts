import prisma from "../db.server";

/** A sync of one shop: `bulk` (first sync, "Sync now") or `reconcile` (the periodic catch-up). */
export type SyncKind = "bulk" | "reconcile";
export type SyncStatus = "queued" | "running" | "succeeded" | "failed";
export type BulkPhase = "customers" | "orders" | "done";

export function createSyncRun(shop: string, kind: SyncKind) {
  return prisma.syncRun.create({ data: { shop, kind, status: "queued", phase: kind === "bulk" ? "customers" : null } });
}

export function syncRunForShop(shop: string, id: string) {
  return prisma.syncRun.findFirst({ where: { id, shop } });
}

/** The bulk sync that is queued or running for the shop, if any: there is never more than one. */
export function activeBulkRun(shop: string) {
  return prisma.syncRun.findFirst({ where: { shop, kind: "bulk", status: { in: ["queued", "running"] } }, orderBy: { startedAt: "desc" } });
}

export function syncRunByBulkOperation(shop: string, bulkOperationId: string) {
  return prisma.syncRun.findFirst({ where: { shop, bulkOperationId } });
}

export async function updateSyncRun(
  shop: string,
  id: string,
  data: Partial<{
    status: SyncStatus;
    phase: BulkPhase;
    bulkOperationId: string | null;
    customersTotal: number | null;
    ordersTotal: number | null;
    exportedObjects: number;
    customersSynced: number;
    ordersSynced: number;
    requests: number;
    error: string | null;
    finishedAt: Date | null;
  }>,
) {
  await prisma.syncRun.updateMany({ where: { id, shop }, data });
}

export async function addSyncedCounts(shop: string, id: string, counts: { customers?: number; orders?: number; requests?: number }) {
  await prisma.syncRun.updateMany({
    where: { id, shop },
    data: {
      customersSynced: { increment: counts.customers ?? 0 },
      ordersSynced: { increment: counts.orders ?? 0 },
      requests: { increment: counts.requests ?? 0 },
    },
  });
}

export function syncState(shop: string) {
  return prisma.syncState.findUnique({ where: { shop } });
}

export async function saveSyncState(
  shop: string,
  data: Partial<{ lastFullSyncAt: Date; customersCursor: Date | null; ordersCursor: Date | null; lastReconciledAt: Date }>,
) {
  await prisma.syncState.upsert({ where: { shop }, create: { shop, ...data }, update: data });
}

export function recentSyncRuns(shop: string, take = 10) {
  return prisma.syncRun.findMany({ where: { shop }, orderBy: { startedAt: "desc" }, take });
}

/** What the sync status card shows: counts, the last complete sync, the run in progress, the last error. */
export async function syncOverview(shop: string) {
  const [customers, orders, state, active, lastFinished, lastFailed] = await Promise.all([
    prisma.customer.count({ where: { shop, deletedAt: null } }),
    prisma.order.count({ where: { shop } }),
    syncState(shop),
    prisma.syncRun.findFirst({ where: { shop, status: { in: ["queued", "running"] } }, orderBy: { startedAt: "desc" } }),
    prisma.syncRun.findFirst({ where: { shop, status: { in: ["succeeded", "failed"] } }, orderBy: { startedAt: "desc" } }),
    prisma.syncRun.findFirst({ where: { shop, status: "failed" }, orderBy: { startedAt: "desc" } }),
  ]);
  return {
    customers,
    orders,
    lastFullSyncAt: state?.lastFullSyncAt ?? null,
    lastReconciledAt: state?.lastReconciledAt ?? null,
    active,
    /** The last failure, shown only while it is the latest news (a later success clears it). */
    lastError: lastFailed && lastFinished?.id === lastFailed.id ? { message: lastFailed.error, at: lastFailed.finishedAt } : null,
  };
}

/**
 * 0–1 progress of a bulk run: Shopify exports (objects counted while it runs), then the app
 * writes them. Customers are a third of the way, orders the rest (they carry more lines).
 */
export function bulkProgress(run: {
  phase: string | null;
  status: string;
  customersTotal: number | null;
  ordersTotal: number | null;
  customersSynced: number;
  ordersSynced: number;
}): number {
  if (run.status === "succeeded") return 1;
  const share = (done: number, total: number | null) => (total && total > 0 ? Math.min(1, done / total) : 0);
  const customers = run.phase === "customers" ? share(run.customersSynced, run.customersTotal) : 1;
  const orders = run.phase === "orders" ? share(run.ordersSynced, run.ordersTotal) : run.phase === "done" ? 1 : 0;
  return Math.round((customers / 3 + (orders * 2) / 3) * 100) / 100;
}
