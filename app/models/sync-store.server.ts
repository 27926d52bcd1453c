import crypto from "node:crypto";
import prisma, { SQL } from "../db.server";
import { runThrough, statement, upsertEach, writeInTransaction, type StatementRows, type WritePlan } from "../db-native.server";
import { env } from "../env.server";
import { coalesce } from "../utils/coalesce";
import { groupBy } from "../utils/group";
import { normaliseEmail } from "../utils/search-text";
import { customerSearchText } from "./customer.server";
import type { CustomerRow, FulfillmentOrderRow, FulfillmentRow, LineItemRow, OrderBundle, OrderRow } from "../services/sync/records";

/**
 * Writes synced Shopify records, many rows per statement. Every write is an upsert on
 * (shop, shopifyId) that only lands when the incoming copy is at least as new as the stored
 * one, so deliveries and pages may arrive in any order, and any number of times.
 */

type Row = object;

/** Ids per lookup statement: well under SQLite's 32 766 and PostgreSQL's 65 535 bound parameters. */
const ROWS_PER_STATEMENT = 400;

interface UpsertSpec {
  table: "Customer" | "Order" | "OrderLineItem" | "FulfillmentOrder" | "Fulfillment";
  /** Only write over a stored row whose shopifyUpdatedAt is not newer. */
  newerWins: boolean;
  /** Stored rows that must never change again (tombstones, redacted records). */
  frozenWhen?: string[];
  /**
   * Emails are stored in lower case: every lookup by email (tickets, order status, privacy)
   * compares them so.
   */
  lowerEmail?: boolean;
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/** Rows with the same set of defined fields go into one statement together. */
function groupByColumns<T extends Row>(rows: T[]): { columns: string[]; rows: T[] }[] {
  const groups = new Map<string, { columns: string[]; rows: T[] }>();
  let last: { columns: string[]; rows: T[] } | undefined;
  for (const row of rows) {
    // Rows of one source have the same fields: most join the group of the row before them.
    if (last && definesExactly(row, last.columns)) {
      last.rows.push(row);
      continue;
    }
    const columns = Object.keys(row).filter((key) => (row as Record<string, unknown>)[key] !== undefined);
    const signature = columns.join(",");
    last = groups.get(signature);
    if (last) last.rows.push(row);
    else groups.set(signature, (last = { columns, rows: [row] }));
  }
  return [...groups.values()];
}

function definesExactly(row: Row, columns: string[]): boolean {
  const record = row as Record<string, unknown>;
  let defined = 0;
  for (const key in record) if (record[key] !== undefined) defined++;
  if (defined !== columns.length) return false;
  for (const column of columns) if (record[column] === undefined) return false;
  return true;
}

/**
 * The rows in rounds where no shopifyId appears twice, in their order: one statement may not
 * touch a row twice on PostgreSQL, and a later copy of a record must be judged against the
 * earlier one as it would be one call after the other.
 */
function distinctRounds<T extends { shopifyId: string }>(rows: T[]): T[][] {
  if (new Set(rows.map((row) => row.shopifyId)).size === rows.length) return [rows];
  const rounds: { ids: Set<string>; rows: T[] }[] = [];
  for (const row of rows) {
    let round = rounds.find((r) => !r.ids.has(row.shopifyId));
    if (!round) rounds.push((round = { ids: new Set(), rows: [] }));
    round.ids.add(row.shopifyId);
    round.rows.push(row);
  }
  return rounds.map((r) => r.rows);
}

/**
 * The writes are plans (app/db-native.server.ts): they yield their statements, so one
 * transaction runs them on the engine's own driver on SQLite and through Prisma on PostgreSQL.
 */
type Plan<T> = WritePlan<T>;
const rowsOf = <R>(rows: StatementRows) => rows as unknown as R[];

/** Upserts rows; returns the shopifyIds that were written (inserted or updated). */
function* upsertRows<T extends Row & { shopifyId: string }>(shop: string, spec: UpsertSpec, rows: T[]): Plan<Set<string>> {
  const written = new Set<string>();
  if (rows.length === 0) return written;
  const table = quote(spec.table);
  const syncedAt = new Date();
  const stampsSync = spec.table !== "OrderLineItem";
  for (const { columns, rows: group } of groupByColumns(rows)) {
    const updates = columns.filter((c) => c !== "shopifyId").map((c) => `${quote(c)} = excluded.${quote(c)}`);
    if (stampsSync) updates.push(`"syncedAt" = excluded."syncedAt"`);
    const conditions: string[] = [];
    if (spec.newerWins) {
      conditions.push(`(${table}."shopifyUpdatedAt" IS NULL OR excluded."shopifyUpdatedAt" >= ${table}."shopifyUpdatedAt")`);
    }
    for (const column of spec.frozenWhen ?? []) conditions.push(`${table}.${quote(column)} IS NULL`);
    const onConflict = `ON CONFLICT ("shop", "shopifyId") DO UPDATE SET ${updates.join(", ")}` + (conditions.length ? ` WHERE ${conditions.join(" AND ")}` : "");
    const allColumns = stampsSync ? ["id", "shop", "syncedAt", ...columns] : ["id", "shop", ...columns];
    const first = allColumns.length - columns.length;
    const email = spec.lowerEmail ? allColumns.indexOf("email") : -1;
    for (const round of distinctRounds(group)) {
      const values = round.map((row) => {
        const record = row as Record<string, unknown>;
        const tuple = new Array<unknown>(allColumns.length);
        tuple[0] = crypto.randomUUID();
        tuple[1] = shop;
        if (stampsSync) tuple[2] = syncedAt;
        for (let c = 0; c < columns.length; c++) tuple[first + c] = record[columns[c]] ?? null;
        if (email >= 0 && tuple[email]) tuple[email] = normaliseEmail(tuple[email] as string);
        return tuple;
      });
      const ids = yield* upsertEach({ table: spec.table, columns: allColumns, rows: values, onConflict, returning: "shopifyId" });
      for (const id of ids) written.add(id as string);
    }
  }
  return written;
}

const CUSTOMER: UpsertSpec = { table: "Customer", newerWins: true, frozenWhen: ["deletedAt", "redactedAt"], lowerEmail: true };
const ORDER: UpsertSpec = { table: "Order", newerWins: true, frozenWhen: ["redactedAt"], lowerEmail: true };
const LINE_ITEM: UpsertSpec = { table: "OrderLineItem", newerWins: false };
const FULFILLMENT_ORDER: UpsertSpec = { table: "FulfillmentOrder", newerWins: true };
const FULFILLMENT: UpsertSpec = { table: "Fulfillment", newerWins: true };

export interface OrderParts {
  orders: OrderRow[];
  lineItems: LineItemRow[];
  fulfillmentOrders: FulfillmentOrderRow[];
  fulfillments: FulfillmentRow[];
}

export interface WriteResult {
  customers: number;
  orders: number;
  /** Records skipped because what the app holds is newer (or redacted). */
  stale: number;
}

/**
 * What a redacted customer's row is keyed by instead of their Shopify id: a keyed hash, so
 * the id is gone from the database yet a late update for the same customer is still
 * recognised and refused (Shopify may deliver one, and reconciliation may page past one).
 */
export function redactedCustomerKey(shop: string, shopifyId: string): string {
  const digest = crypto.createHmac("sha256", env().SHOPIFY_API_SECRET).update(`${shop}\u0000${shopifyId}`).digest("hex");
  return `redacted:${digest.slice(0, 40)}`;
}

/**
 * The synced customer an order names, also when customers/redact has re-keyed their row: the
 * order's own erasure is a separate step, and until it lands the order still carries the old
 * id. Whoever is about to write to the shopper asks this, so "erased" is never read as "unknown".
 */
export async function customerOfOrder(shop: string, customerShopifyId: string | null) {
  if (!customerShopifyId) return null;
  const rows = await prisma.customer.findMany({
    where: { shop, shopifyId: { in: [customerShopifyId, redactedCustomerKey(shop, customerShopifyId)] } },
  });
  return rows.find((row) => row.redactedAt) ?? rows[0] ?? null;
}

/** The given customer ids whose customer was erased by customers/redact. */
function* redactedAmong(shop: string, shopifyIds: string[]): Plan<Set<string>> {
  const erased = new Set<string>();
  for (let start = 0; start < shopifyIds.length; start += ROWS_PER_STATEMENT) {
    const ids = shopifyIds.slice(start, start + ROWS_PER_STATEMENT);
    const byKey = new Map(ids.map((id) => [redactedCustomerKey(shop, id), id]));
    const rows = rowsOf<{ shopifyId: string }>(
      yield statement(SQL.sql`SELECT "shopifyId" FROM "Customer" WHERE "shop" = ${shop} AND "shopifyId" IN (${SQL.join([...byKey.keys()])})`),
    );
    for (const row of rows) erased.add(byKey.get(row.shopifyId)!);
  }
  return erased;
}

const SEARCHED_CUSTOMER_FIELDS = ["firstName", "lastName", "email", "phone"] as const;

/** Upserts customers, newest wins; returns the shopifyIds that were written. */
export function upsertCustomers(shop: string, rows: CustomerRow[]): Promise<Set<string>> {
  if (rows.length === 0) return Promise.resolve(new Set());
  return writeInTransaction(() => upsertCustomersPlan(shop, rows));
}

function* upsertCustomersPlan(shop: string, rows: CustomerRow[]): Plan<Set<string>> {
  if (rows.length === 0) return new Set();
  const erased = yield* redactedAmong(shop, rows.map((r) => r.shopifyId));
  const kept = erased.size ? rows.filter((r) => !erased.has(r.shopifyId)) : rows;
  // A row that carries every searched field brings its search text; a webhook that left one out
  // has it recomputed from what is stored once the row is written.
  const complete = (row: CustomerRow) => SEARCHED_CUSTOMER_FIELDS.every((field) => row[field] !== undefined);
  // The search text folds case, so the email as Shopify spelled it gives the same text as the stored one.
  const stored = kept.map((row) => (complete(row) ? { ...row, searchText: customerSearchText(row) } : row));
  const written = yield* upsertRows(shop, CUSTOMER, stored);
  const partial = kept.filter((row) => !complete(row) && written.has(row.shopifyId)).map((row) => row.shopifyId);
  if (partial.length > 0) yield* refreshCustomerSearchText(shop, partial);
  return written;
}

// customers/create and customers/update deliveries processed side by side in one worker are
// written in one upsert (app/utils/coalesce.ts); a failing batch is retried one by one.
const upsertCustomersTogether = coalesce(async (changes: { shop: string; row: CustomerRow }[]) => {
  for (const [shop, inShop] of groupBy(changes, (change) => change.shop)) {
    await upsertCustomers(shop, inShop.map((change) => change.row));
  }
  return changes.map(() => undefined);
});

/** One customer's record from a webhook, written with those of the deliveries processed beside it. */
export function applyCustomerChange(shop: string, row: CustomerRow): Promise<void> {
  return upsertCustomersTogether({ shop, row });
}

/** Recomputes the search text of these customers from their stored fields. */
function* refreshCustomerSearchText(shop: string, shopifyIds: string[]): Plan<void> {
  for (let start = 0; start < shopifyIds.length; start += ROWS_PER_STATEMENT) {
    const ids = shopifyIds.slice(start, start + ROWS_PER_STATEMENT);
    const stored = rowsOf<{ id: string } & Parameters<typeof customerSearchText>[0]>(
      yield statement(SQL.sql`SELECT "id", "firstName", "lastName", "email", "phone" FROM "Customer"
       WHERE "shop" = ${shop} AND "shopifyId" IN (${SQL.join(ids)})`),
    );
    if (stored.length === 0) continue;
    const cases = stored.map((row) => SQL.sql`WHEN ${row.id} THEN ${customerSearchText(row)}`);
    yield statement(SQL.sql`
      UPDATE "Customer" SET "searchText" = CASE "id" ${SQL.join(cases, " ")} END
       WHERE "shop" = ${shop} AND "id" IN (${SQL.join(stored.map((row) => row.id))})`);
  }
}

/**
 * Orders with their children. Line items have no timestamp of their own, so they are written
 * only with an order that was: a stale order's line items stay as they were. `staleOrders`
 * carries across calls for children that arrive after their order (bulk lines).
 */
function* upsertOrderParts(shop: string, parts: OrderParts, staleOrders: Set<string>): Plan<Set<string>> {
  const writtenOrders = yield* upsertRows(shop, ORDER, parts.orders);
  for (const order of parts.orders) if (!writtenOrders.has(order.shopifyId)) staleOrders.add(order.shopifyId);
  const current = <R extends { orderShopifyId: string }>(rows: R[]) => rows.filter((r) => !staleOrders.has(r.orderShopifyId));
  yield* upsertRows(shop, LINE_ITEM, current(parts.lineItems));
  // These carry their own updatedAt, so their own comparison decides.
  yield* upsertRows(shop, FULFILLMENT_ORDER, parts.fulfillmentOrders);
  yield* upsertRows(shop, FULFILLMENT, parts.fulfillments);
  return writtenOrders;
}

/** Writes a batch in one transaction: all of it lands, or none. */
export async function writeSyncBatch(shop: string, customers: CustomerRow[], parts: OrderParts, staleOrders: Set<string>): Promise<WriteResult> {
  return writeInTransaction(function* () {
    const writtenCustomers = yield* upsertCustomersPlan(shop, customers);
    const writtenOrders = yield* upsertOrderParts(shop, parts, staleOrders);
    return {
      customers: writtenCustomers.size,
      orders: writtenOrders.size,
      stale: customers.length - writtenCustomers.size + parts.orders.length - writtenOrders.size,
    };
  });
}

export function bundlesToParts(bundles: OrderBundle[]): OrderParts {
  return {
    orders: bundles.map((b) => b.order),
    lineItems: bundles.flatMap((b) => b.lineItems),
    fulfillmentOrders: bundles.flatMap((b) => b.fulfillmentOrders),
    fulfillments: bundles.flatMap((b) => b.fulfillments),
  };
}

/** Applies whole orders (a page, a refresh or a webhook) in one transaction. */
export async function applyOrderBundles(shop: string, bundles: OrderBundle[]): Promise<WriteResult> {
  return writeSyncBatch(shop, [], bundlesToParts(bundles), new Set());
}

export function applyFulfillments(shop: string, rows: FulfillmentRow[]) {
  return writeInTransaction(() => upsertRows(shop, FULFILLMENT, rows));
}

/**
 * customers/delete: the customer is gone from Shopify. Their personal fields are cleared and
 * the row stays as a tombstone, so a late customers/update cannot bring them back.
 */
export async function markCustomerDeleted(shop: string, shopifyId: string, at: Date): Promise<void> {
  if ((await runThrough(prisma, redactedAmong(shop, [shopifyId]))).size > 0) return;
  await prisma.$executeRaw`
    INSERT INTO "Customer" ("id", "shop", "shopifyId", "deletedAt", "syncedAt", "searchText")
    VALUES (${crypto.randomUUID()}, ${shop}, ${shopifyId}, ${at}, ${at}, '')
    ON CONFLICT ("shop", "shopifyId") DO UPDATE SET
      "deletedAt" = COALESCE("Customer"."deletedAt", excluded."deletedAt"),
      "firstName" = NULL, "lastName" = NULL, "email" = NULL, "phone" = NULL, "searchText" = ''`;
}

/** The order a fulfillment or fulfillment order belongs to, when the app has it. */
export async function orderShopifyIdForFulfillmentOrder(shop: string, fulfillmentOrderId: string): Promise<string | null> {
  const row = await prisma.fulfillmentOrder.findUnique({
    where: { shop_shopifyId: { shop, shopifyId: fulfillmentOrderId } },
    select: { orderShopifyId: true },
  });
  return row?.orderShopifyId ?? null;
}
