import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { createSyncFn } from "synckit";
import { REPO_ROOT, migrateDatabase } from "./processes";

/**
 * The database a test runs on. SQLite, a fresh file, by default; PostgreSQL, a fresh database on the
 * server `TEST_DATABASE_URL` names (`postgresql://…/postgres`), when it is set: the README's test
 * command runs the suite once each way. Each database starts from a template migrated once per
 * migration history (a copied file; `CREATE DATABASE … TEMPLATE`), so a test pays milliseconds, not
 * a migration run.
 *
 * Tests read and set up rows in one dialect, SQLite's habits: `?` parameters, mixed-case table and
 * column names written bare, booleans as 0/1. On PostgreSQL this helper quotes the names, numbers
 * the parameters and gives rows back in SQLite's shape (tests/support/postgres-sync-worker.mjs), so
 * no test carries dialect-specific SQL; the catalog questions tests ask (which tables, which text
 * columns) are functions here.
 */
export type Engine = "sqlite" | "postgresql";

const SERVER_URL = process.env.TEST_DATABASE_URL ?? "";
export const TEST_ENGINE: Engine = /^postgres(ql)?:\/\//.test(SERVER_URL) ? "postgresql" : "sqlite";

export interface TestDatabase {
  engine: Engine;
  /** The DATABASE_URL an app process or an in-process module uses. */
  url: string;
  /** Rows of a read, in SQLite's shape on either engine. */
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  /** One write, for a test's set-up. */
  execute(sql: string, ...params: unknown[]): void;
  /** The app's tables (Prisma's models), without the engine's or the migration history's own. */
  tables(): string[];
  /** A table's columns. */
  columns(table: string): string[];
  /** A table's text columns (where personal data could be written). */
  textColumns(table: string): string[];
  /** Runs a script of several statements (a migration's SQL). */
  executeScript(sql: string): void;
  /**
   * The database's structure, engine-normalised and sorted: per table its columns (type, null,
   * default), indexes (columns, unique), foreign keys; on PostgreSQL also its triggers.
   */
  describeSchema(): Record<string, unknown>;
  /** Deletes the database (its file, or DROP DATABASE). */
  drop(): Promise<void>;
}

type SyncQuery = (op: "query" | "end", url: string, sql: string, params: unknown[]) => Record<string, unknown>[];
let syncQuery: SyncQuery | undefined;
const postgresSync = (): SyncQuery =>
  (syncQuery ??= createSyncFn(path.join(REPO_ROOT, "tests", "support", "postgres-sync-worker.mjs")) as SyncQuery);

/**
 * SQLite-habit SQL as PostgreSQL reads it: `?` → `$n`; bare names with both cases (Prisma's
 * `Ticket`, `customerEmail`) quoted, since PostgreSQL folds bare names to lower case. Quoted
 * strings and quoted names are left alone.
 */
export function toPostgresSql(sql: string): string {
  let out = "";
  let n = 0;
  for (let i = 0; i < sql.length; ) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= sql.length) break;
        if (sql[j] === c) {
          if (sql[j + 1] === c) j += 2;
          else break;
        } else j++;
      }
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === "?") {
      out += `$${++n}`;
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /[A-Za-z0-9_]/.test(sql[j])) j++;
      const word = sql.slice(i, j);
      out += /[a-z]/.test(word) && /[A-Z]/.test(word) ? `"${word}"` : word;
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function migrationsHash(dir: string): string {
  const hash = crypto.createHash("sha256");
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name, "migration.sql");
    if (fs.existsSync(file)) hash.update(name).update(fs.readFileSync(file));
  }
  return hash.digest("hex").slice(0, 12);
}

async function sqliteTemplate(): Promise<string> {
  const template = path.join(os.tmpdir(), `support-desk-template-${migrationsHash(path.join(REPO_ROOT, "prisma", "migrations"))}.sqlite`);
  if (!fs.existsSync(template)) {
    const building = `${template}.${process.pid}.${crypto.randomUUID()}`;
    await migrateDatabase(`file:${building}`);
    fs.renameSync(building, template); // atomic: a reader sees the whole file or none
  }
  return template;
}

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function postgresTemplate(admin: pg.Client, serverUrl: string): Promise<string> {
  const name = `sd_template_${migrationsHash(path.join(REPO_ROOT, "prisma", "postgresql", "migrations"))}`;
  await admin.query("SELECT pg_advisory_lock(4815162342)");
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount === 0) {
      const building = `${name}_building`;
      await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${building}"`);
      await migrateDatabase(withDatabase(serverUrl, building));
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    }
  } finally {
    await admin.query("SELECT pg_advisory_unlock(4815162342)");
  }
  return name;
}

/**
 * A fresh, migrated database for one test file (or one stack), on the suite's engine; with
 * `empty`, one with no tables at all (for migration tests).
 */
export async function createTestDatabase(label = "test", options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const safeLabel = label.toLowerCase().replace(/[^a-z0-9]+/g, "_").slice(0, 30);
  if (TEST_ENGINE === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `support-desk-${safeLabel}-`));
    const file = path.join(dir, `${safeLabel}.sqlite`);
    if (options.empty) new Database(file).close();
    else fs.copyFileSync(await sqliteTemplate(), file);
    const open = (readonly: boolean) => new Database(file, { readonly, fileMustExist: true });
    const query = <T>(sql: string, ...params: unknown[]): T[] => {
      const db = open(true);
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    };
    return {
      engine: "sqlite",
      url: `file:${file}`,
      query,
      execute(sql, ...params) {
        const db = open(false);
        try {
          db.pragma("busy_timeout = 5000");
          db.prepare(sql).run(...params);
        } finally {
          db.close();
        }
      },
      tables: () =>
        query<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma%' ORDER BY name",
        ).map((t) => t.name),
      columns: (table) => query<{ name: string }>(`SELECT name FROM pragma_table_info(?)`, table).map((c) => c.name),
      textColumns: (table) =>
        query<{ name: string; type: string }>(`SELECT name, type FROM pragma_table_info(?)`, table)
          .filter((c) => /TEXT|CHAR|CLOB|JSON/i.test(c.type) || c.type === "")
          .map((c) => c.name),
      executeScript(sql) {
        const db = open(false);
        try {
          db.exec(sql);
        } finally {
          db.close();
        }
      },
      describeSchema() {
        const tables = query<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma%' ORDER BY name",
        );
        return Object.fromEntries(
          tables.map(({ name }) => [
            name,
            {
              columns: query(`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?) ORDER BY name`, name),
              indexes: query<{ name: string; unique: number }>(`SELECT name, "unique" FROM pragma_index_list(?) ORDER BY name`, name).map(
                (index) => ({ ...index, columns: query<{ name: string }>(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`, index.name).map((c) => c.name) }),
              ),
              foreignKeys: query(`SELECT "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY "from"`, name),
            },
          ]),
        );
      },
      async drop() {
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  return createPostgresDatabase(SERVER_URL, label, options);
}

/**
 * A fresh database on the PostgreSQL server `serverUrl` names (a URL of a database there that may
 * create others, e.g. `…/postgres`), migrated from the template, or `empty`. The suite's come from
 * TEST_DATABASE_URL; the bench's PostgreSQL cases make theirs on BENCH_POSTGRES_URL.
 */
export async function createPostgresDatabase(serverUrl: string, label: string, options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const safeLabel = label.toLowerCase().replace(/[^a-z0-9]+/g, "_").slice(0, 30);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const name = `sd_${safeLabel}_${crypto.randomBytes(5).toString("hex")}`;
  try {
    const template = options.empty ? "template0" : await postgresTemplate(admin, serverUrl);
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        break;
      } catch (error) {
        // Two test files copying the template at the same instant: PostgreSQL refuses the second.
        if (attempt >= 50 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
      }
    }
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  const run = (sql: string, params: unknown[]) => postgresSync()("query", url, toPostgresSql(sql), params);
  return {
    engine: "postgresql",
    url,
    query: <T>(sql: string, ...params: unknown[]) => run(sql, params) as T[],
    execute(sql, ...params) {
      run(sql, params);
    },
    tables: () =>
      (
        postgresSync()(
          "query",
          url,
          `SELECT table_name AS name FROM information_schema.tables
            WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_prisma%' ORDER BY table_name`,
          [],
        ) as { name: string }[]
      ).map((t) => t.name),
    columns: (table) =>
      (
        postgresSync()(
          "query",
          url,
          `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
          [table],
        ) as { name: string }[]
      ).map((c) => c.name),
    textColumns: (table) =>
      (
        postgresSync()(
          "query",
          url,
          `SELECT column_name AS name FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name = $1 AND data_type IN ('text', 'character varying', 'jsonb', 'json')`,
          [table],
        ) as { name: string }[]
      ).map((c) => c.name),
    executeScript(sql) {
      postgresSync()("query", url, sql, []);
    },
    describeSchema() {
      // Four catalog reads for the whole schema (information_schema views are slow one table at a time).
      const raw = (sql: string) => postgresSync()("query", url, sql, []) as Record<string, string>[];
      const tables = raw(
        `SELECT table_name AS name FROM information_schema.tables
          WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_prisma%' ORDER BY table_name`,
      );
      const byTable = (rows: Record<string, string>[]) => (table: string) =>
        rows.filter((r) => r.table === table).map(({ table: _table, ...rest }) => rest);
      const columns = byTable(
        raw(`SELECT table_name AS "table", column_name AS name, data_type AS type, is_nullable AS nullable, column_default AS "default"
               FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name`),
      );
      const indexes = byTable(
        raw(`SELECT tablename AS "table", indexname AS name, indexdef AS definition FROM pg_indexes WHERE schemaname = 'public' ORDER BY tablename, indexname`),
      );
      const foreignKeys = byTable(
        raw(`SELECT t.relname AS "table", conname AS name, pg_get_constraintdef(c.oid) AS definition FROM pg_constraint c
               JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
              WHERE n.nspname = 'public' AND c.contype = 'f' ORDER BY t.relname, conname`),
      );
      const triggers = byTable(
        raw(`SELECT t.relname AS "table", tgname AS name, pg_get_triggerdef(g.oid) AS definition FROM pg_trigger g
               JOIN pg_class t ON t.oid = g.tgrelid JOIN pg_namespace n ON n.oid = t.relnamespace
              WHERE n.nspname = 'public' AND NOT g.tgisinternal ORDER BY t.relname, tgname`),
      );
      return Object.fromEntries(
        tables.map(({ name }) => [name, { columns: columns(name), indexes: indexes(name), foreignKeys: foreignKeys(name), triggers: triggers(name) }]),
      );
    },
    async drop() {
      postgresSync()("end", url, "", []);
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
