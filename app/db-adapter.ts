import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";

export const DEFAULT_DATABASE_URL = "file:./prisma/dev.sqlite";

export function databaseUrl(): string {
  return process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
}

export function isPostgres(url: string): boolean {
  return url.startsWith("postgres://") || url.startsWith("postgresql://");
}

/** The driver adapter for a database URL: pg for PostgreSQL, better-sqlite3 for `file:` URLs. */
export function createAdapterFactory(url: string) {
  if (isPostgres(url)) return new PrismaPg({ connectionString: url });
  if (!url.startsWith("file:")) {
    throw new Error(`DATABASE_URL must be a file: (SQLite) or postgresql:// URL, got "${url.split(":")[0]}:…"`);
  }
  return new PrismaBetterSQLite3({ url });
}
