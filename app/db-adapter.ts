import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

export const DEFAULT_DATABASE_URL = "file:./prisma/dev.sqlite";

export function databaseUrl(): string {
  return process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
}

export function isPostgres(url: string): boolean {
  return url.startsWith("postgres://") || url.startsWith("postgresql://");
}

/**
 * Connections each process's pool may open on PostgreSQL (`DATABASE_POOL_SIZE`, default 10, pg's own).
 * A deployment needs, per process, this many plus one `LISTEN` connection (job wake-ups), see the README.
 */
export function poolSize(): number {
  const raw = process.env.DATABASE_POOL_SIZE;
  if (!raw) return 10;
  const size = Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > 1000) {
    throw new Error(`DATABASE_POOL_SIZE must be a whole number from 1 to 1000, got "${raw}"`);
  }
  return size;
}

/**
 * A PostgreSQL pool for a process's Prisma client, to share with the plans of app/db-native.server.ts
 * (they add no connections). Idle connections do not keep the process alive.
 */
export function createPgPool(url: string, size = poolSize()): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: size, allowExitOnIdle: true });
  // An idle connection the server ended (a restart, a dropped database) leaves the pool; the next query opens another.
  pool.on("error", () => undefined);
  return pool;
}

/** The driver adapter for a database URL: pg for PostgreSQL (on `pool` when given), better-sqlite3 for `file:` URLs. */
export function createAdapterFactory(url: string, options: { poolSize?: number; pool?: pg.Pool } = {}) {
  if (isPostgres(url)) return new PrismaPg(options.pool ?? { connectionString: url, max: options.poolSize ?? poolSize() });
  if (!url.startsWith("file:")) {
    throw new Error(`DATABASE_URL must be a file: (SQLite) or postgresql:// URL, got "${url.split(":")[0]}:…"`);
  }
  return withImmediateTransactions(new PrismaBetterSQLite3({ url }));
}

/**
 * SQLite: every transaction takes the write lock when it begins (`BEGIN IMMEDIATE`), not at its
 * first write. A deferred transaction that reads first and writes later fails with
 * SQLITE_BUSY_SNAPSHOT when another connection (another process on the same file) wrote in between,
 * and busy_timeout cannot help it; an immediate one waits its turn instead. One writer at a time is
 * SQLite's rule anyway. (The adapter sends a plain "BEGIN" and has no option for it.)
 */
function withImmediateTransactions(factory: PrismaBetterSQLite3): PrismaBetterSQLite3 {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const client = (adapter as unknown as { client: { prepare(sql: string): unknown } }).client;
    const prepare = client.prepare.bind(client);
    client.prepare = (sql: string) => prepare(sql === "BEGIN" ? "BEGIN IMMEDIATE" : sql);
    return adapter;
  };
  return factory;
}
