import Database from "better-sqlite3";
import type { Prisma, PrismaClient } from "@prisma/client";
import pg from "pg";
import prisma, { appPgPool } from "./db.server";
import { databaseUrl, isPostgres } from "./db-adapter";

/**
 * Many-statement writes run by the engine's own driver where Prisma's per-statement cost is
 * most of the time (the sync's upserts: npm run bench, bulk-ingest).
 *
 * A write is a *plan*: a generator that yields raw statements (`Statement`, or a `SQL` fragment
 * through `statement()`) and gets each one's rows back, or yields many rows for one table
 * (`RowsUpsert`, through `upsertEach()`) and gets back which of them were written; so the logic is
 * written once and run either way:
 * - SQLite: on a connection of its own to the same file, in one `BEGIN IMMEDIATE` transaction,
 *   every statement prepared once and run synchronously; rows go one at a time through one
 *   prepared single-row upsert, as the engine is fastest at. Nothing else of this process runs
 *   meanwhile, so the write lock is never held across an await; when another connection holds
 *   it (Prisma's, or another process's), the begin is retried after a pause instead of blocking
 *   the event loop.
 * - PostgreSQL: on a connection of the app's pool (Prisma's own, app/db.server.ts), in one
 *   transaction; rows go as one `INSERT … SELECT * FROM unnest($1::type[], …)` whatever their count,
 *   so the statement's text stays the same and its values are one array per column.
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

/**
 * Rows for one table, each inserted or, on a conflict, updated as `onConflict` says. The runner
 * may bind the rows' values in place.
 */
export interface RowsUpsert {
  table: string;
  columns: string[];
  rows: unknown[][];
  /** `ON CONFLICT (…) DO UPDATE SET … [WHERE …]`, naming the table and `excluded`; the same on both engines. */
  onConflict: string;
  /** The column whose values, for the rows written (inserted or updated), come back. */
  returning: string;
}

export type Step = Statement | RowsUpsert;
export type WritePlan<T> = Generator<Step, T, StatementRows>;

const isRows = (step: Step): step is RowsUpsert => "rows" in step;

/** Upserts the rows (a plan's step); gives back the `returning` values of those written, in their order. */
export function* upsertEach(upsert: RowsUpsert): Generator<Step, unknown[], StatementRows> {
  // The runners answer a rows step with the written rows' values, not with row objects.
  return (yield upsert) as unknown[];
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/** The upsert of one of the step's rows, in the active engine's placeholders. */
const singleRowUpsert = (upsert: RowsUpsert) =>
  `INSERT INTO ${quote(upsert.table)} (${upsert.columns.map(quote).join(", ")}) VALUES ${valuesList(1, upsert.columns.length)} ${upsert.onConflict}`;

/** A rows step as single-row statements, one after the other: for a plan run through Prisma (rarely). */
function rowStatements(upsert: RowsUpsert): Statement[] {
  const sql = `${singleRowUpsert(upsert)} RETURNING ${quote(upsert.returning)}`;
  return upsert.rows.map((values) => ({ sql, values }));
}

type Db = Pick<PrismaClient, "$queryRawUnsafe">;

/** Runs a plan's statements one after the other through a Prisma client or transaction. */
export async function runThrough<T>(db: Db, plan: WritePlan<T>): Promise<T> {
  let step = plan.next();
  while (!step.done) {
    const current = step.value;
    if (isRows(current)) {
      const written: unknown[] = [];
      for (const one of rowStatements(current)) {
        for (const row of await db.$queryRawUnsafe<StatementRows>(one.sql, ...one.values)) written.push(row[current.returning]);
      }
      step = plan.next(written as StatementRows);
    } else step = plan.next(await db.$queryRawUnsafe<StatementRows>(current.sql, ...current.values));
  }
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

let lastDate: Date | undefined;
let lastTime = NaN;
let lastBound = "";

/** Values as the Prisma SQLite adapter stores them, so rows written either way compare alike. */
function bind(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) {
    // A batch's rows share their syncedAt: one conversion for all of them.
    if (value !== lastDate || value.getTime() !== lastTime) {
      lastBound = value.toISOString().slice(0, -1) + "+00:00";
      lastDate = value;
      lastTime = value.getTime();
    }
    return lastBound;
  }
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

type Connection = NonNullable<typeof connection>;

function prepare(conn: Connection, sql: string): Database.Statement {
  let prepared = conn.prepared.get(sql);
  if (!prepared) {
    if (conn.prepared.size >= MAX_PREPARED) conn.prepared.clear();
    prepared = conn.db.prepare(sql);
    conn.prepared.set(sql, prepared);
  }
  return prepared;
}

function run(conn: Connection, statement: Statement): StatementRows {
  const prepared = prepare(conn, statement.sql);
  const values = statement.values.map(bind);
  if (prepared.reader) return prepared.all(values) as StatementRows;
  prepared.run(values);
  return [];
}

/** One prepared single-row upsert run for each row: a row was written when it changed one. */
function runRows(conn: Connection, upsert: RowsUpsert): unknown[] {
  const prepared = prepare(conn, singleRowUpsert(upsert));
  const key = upsert.columns.indexOf(upsert.returning);
  const written: unknown[] = [];
  for (const row of upsert.rows) {
    for (let i = 0; i < row.length; i++) row[i] = bind(row[i]);
    if (prepared.run(row).changes > 0) written.push(row[key]);
  }
  return written;
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
    while (!step.done) step = steps.next(isRows(step.value) ? (runRows(conn, step.value) as StatementRows) : run(conn, step.value));
    conn.db.exec("COMMIT");
    return step.value;
  } catch (error) {
    if (conn.db.inTransaction) conn.db.exec("ROLLBACK");
    throw error;
  }
}

/** PostgreSQL's name for each column's type (`timestamp(3) without time zone`), per table, read once. */
const columnTypes = new Map<string, Promise<Map<string, string>>>();

function typesOf(client: pg.PoolClient, table: string): Promise<Map<string, string>> {
  let types = columnTypes.get(table);
  if (!types) {
    types = client
      .query<{ name: string; type: string }>(
        `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
          WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
        [quote(table)],
      )
      .then((result) => new Map(result.rows.map((row) => [row.name, row.type])));
    types.catch(() => columnTypes.delete(table));
    columnTypes.set(table, types);
  }
  return types;
}

/** Values for pg as Prisma's adapter sends them (also as array elements): times in UTC, as `timestamp(3)` stores them. */
const pgValue = (value: unknown) => (value instanceof Date ? value.toISOString() : value === undefined ? null : value);

/** All the rows in one statement: one array per column, unnested back into rows. */
async function runRowsOnPostgres(client: pg.PoolClient, upsert: RowsUpsert): Promise<unknown[]> {
  if (upsert.rows.length === 0) return [];
  const types = await typesOf(client, upsert.table);
  const casts = upsert.columns.map((column, i) => {
    const type = types.get(column);
    if (!type) throw new Error(`${upsert.table} has no column ${column}`);
    return `$${i + 1}::${type}[]`;
  });
  const arrays = upsert.columns.map(() => new Array<unknown>(upsert.rows.length));
  upsert.rows.forEach((row, r) => {
    for (let c = 0; c < arrays.length; c++) arrays[c][r] = pgValue(row[c]);
  });
  const result = await client.query({
    text:
      `INSERT INTO ${quote(upsert.table)} (${upsert.columns.map(quote).join(", ")}) SELECT * FROM unnest(${casts.join(", ")}) ` +
      `${upsert.onConflict} RETURNING ${quote(upsert.returning)}`,
    values: arrays,
    rowMode: "array",
  });
  return result.rows.map((row: unknown[]) => row[0]);
}

const TIMESTAMP = 1114;
/** Rows as Prisma reads them: a `timestamp(3)` is a time in UTC (pg alone reads it in the process's zone). */
const readTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP ? (value: string) => new Date(`${value.replace(" ", "T")}Z`) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};

async function postgresTransaction<T>(pool: pg.Pool, plan: () => WritePlan<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    try {
      const steps = plan();
      let step = steps.next();
      while (!step.done) {
        const current = step.value;
        if (isRows(current)) step = steps.next((await runRowsOnPostgres(client, current)) as StatementRows);
        else step = steps.next((await client.query({ text: current.sql, values: current.values.map(pgValue), types: readTypes })).rows);
      }
      await client.query("COMMIT");
      return step.value;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => (broken = true));
      throw error;
    }
  } finally {
    client.release(broken);
  }
}

/** Runs the plan as one transaction: all of it lands, or none. */
export function writeInTransaction<T>(plan: () => WritePlan<T>): Promise<T> {
  if (isPostgres(databaseUrl())) {
    const pool = appPgPool();
    // A client made apart from the app's (tests) has no shared pool: Prisma's transaction then.
    if (!pool) return prisma.$transaction((tx) => runThrough(tx, plan()));
    return postgresTransaction(pool, plan);
  }
  return sqliteTransaction(plan);
}
