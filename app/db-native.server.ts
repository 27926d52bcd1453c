import Database from "better-sqlite3";
import type { Prisma, PrismaClient } from "@prisma/client";
import prisma from "./db.server";
import { databaseUrl, isPostgres } from "./db-adapter";

/**
 * Many-statement writes run by the engine's own driver where Prisma's per-statement cost is
 * most of the time (the sync's upserts: npm run bench, bulk-ingest).
 *
 * A write is a *plan*: a generator that yields raw statements (`Statement`, or a `SQL` fragment
 * through `statement()`) and gets each one's rows back, so the logic is written once and run either way:
 * - SQLite: on a connection of its own to the same file, in one `BEGIN IMMEDIATE` transaction,
 *   every statement prepared once and run synchronously. Nothing else of this process runs
 *   meanwhile, so the write lock is never held across an await; when another connection holds
 *   it (Prisma's, or another process's), the begin is retried after a pause instead of blocking
 *   the event loop.
 * - PostgreSQL: through Prisma, in one interactive transaction.
 */

/** A raw statement: its text, with placeholders in the active engine's style (`?` or `$n`), and its values. */
export interface Statement {
  sql: string;
  values: unknown[];
}

/** A fragment made with `SQL.sql` as a statement for the active engine. */
export function statement(fragment: Prisma.Sql): Statement {
  return {
    sql: isPostgres(databaseUrl()) ? fragment.text : fragment.sql,
    values: fragment.values,
  };
}

/** `(?, ?), (?, ?)` or `($1, $2), ($3, $4)`: the VALUES list for rows × columns parameters. */
export function valuesList(rows: number, columns: number): string {
  const postgres = isPostgres(databaseUrl());
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < columns; c++) cells.push(postgres ? `$${r * columns + c + 1}` : "?");
    tuples.push(`(${cells.join(", ")})`);
  }
  return tuples.join(", ");
}
export type StatementRows = Record<string, unknown>[];
export type WritePlan<T> = Generator<Statement, T, StatementRows>;

type Db = Pick<PrismaClient, "$queryRawUnsafe">;

/** Runs a plan's statements one after the other through a Prisma client or transaction. */
export async function runThrough<T>(db: Db, plan: WritePlan<T>): Promise<T> {
  let step = plan.next();
  while (!step.done) step = plan.next(await db.$queryRawUnsafe<StatementRows>(step.value.sql, ...step.value.values));
  return step.value;
}

const BEGIN_TIMEOUT_MS = 30_000;
const MAX_PREPARED = 256;

let connection:
  | {
      db: Database.Database;
      url: string;
      prepared: Map<string, Database.Statement>;
    }
  | undefined;

function sqlite() {
  const url = databaseUrl();
  if (connection?.url === url && connection.db.open) return connection;
  const db = new Database(url.replace(/^file:/, ""));
  // Busy answers come back at once: this connection pauses asynchronously instead (below).
  db.pragma("busy_timeout = 0");
  connection = { db, url, prepared: new Map() };
  return connection;
}

/** Values as the Prisma SQLite adapter stores them, so rows written either way compare alike. */
function bind(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

function run(conn: NonNullable<typeof connection>, statement: Statement): StatementRows {
  let prepared = conn.prepared.get(statement.sql);
  if (!prepared) {
    if (conn.prepared.size >= MAX_PREPARED) conn.prepared.clear();
    prepared = conn.db.prepare(statement.sql);
    conn.prepared.set(statement.sql, prepared);
  }
  const values = statement.values.map(bind);
  if (prepared.reader) return prepared.all(...values) as StatementRows;
  prepared.run(...values);
  return [];
}

const isBusy = (error: unknown) => error instanceof Error && "code" in error && String((error as { code: unknown }).code).startsWith("SQLITE_BUSY");

async function sqliteTransaction<T>(plan: () => WritePlan<T>): Promise<T> {
  const conn = sqlite();
  const deadline = Date.now() + BEGIN_TIMEOUT_MS;
  for (let pause = 1; ; pause = Math.min(pause * 2, 25)) {
    try {
      conn.db.exec("BEGIN IMMEDIATE");
      break;
    } catch (error) {
      if (!isBusy(error) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
  try {
    const steps = plan();
    let step = steps.next();
    while (!step.done) step = steps.next(run(conn, step.value));
    conn.db.exec("COMMIT");
    return step.value;
  } catch (error) {
    if (conn.db.inTransaction) conn.db.exec("ROLLBACK");
    throw error;
  }
}

/** Runs the plan as one transaction: all of it lands, or none. */
export function writeInTransaction<T>(plan: () => WritePlan<T>): Promise<T> {
  if (isPostgres(databaseUrl())) return prisma.$transaction((tx) => runThrough(tx, plan()));
  return sqliteTransaction(plan);
}
