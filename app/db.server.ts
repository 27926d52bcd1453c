import { createRequire } from "node:module";
import path from "node:path";
import { Prisma, PrismaClient } from "@prisma/client";
import type pg from "pg";
import { createAdapterFactory, createPgPool, databaseUrl, isPostgres } from "./db-adapter";

declare global {
  // eslint-disable-next-line no-var
  var __supportDeskPrisma: PrismaClient | undefined;
  // eslint-disable-next-line no-var
  var __supportDeskPgPool: pg.Pool | undefined;
}

/**
 * The client for a database URL. A Prisma client is generated for one provider, so PostgreSQL has its
 * own, generated from prisma/postgresql/schema.prisma (the same models) into node_modules/.prisma/postgresql;
 * it is loaded only when DATABASE_URL names PostgreSQL and typed as the SQLite one, its twin.
 */
type ClientModule = { PrismaClient: typeof PrismaClient; Prisma: typeof Prisma };

function clientModule(url: string): ClientModule {
  if (!isPostgres(url)) return { PrismaClient, Prisma };
  const load = createRequire(path.join(process.cwd(), "package.json"));
  return load(".prisma/postgresql") as ClientModule;
}

export function createPrismaClient(url: string, options: { poolSize?: number; pool?: pg.Pool } = {}): PrismaClient {
  const { PrismaClient: Client } = clientModule(url);
  return new Client({ adapter: createAdapterFactory(url, options) });
}

/** Raw SQL fragments (`sql`, `join`, `raw`, `empty`) a client of this URL's engine accepts as fragments. */
export function sqlFragmentsFor(url: string) {
  const { Prisma: namespace } = clientModule(url);
  return { sql: namespace.sql, join: namespace.join, raw: namespace.raw, empty: namespace.empty };
}

function createClient(): PrismaClient {
  const url = databaseUrl();
  if (isPostgres(url)) global.__supportDeskPgPool = createPgPool(url);
  const client = createPrismaClient(url, { pool: global.__supportDeskPgPool });
  if (!isPostgres(url)) {
    // WAL lets webhook writes and admin reads proceed together; the setting persists in the file.
    void client.$queryRawUnsafe("PRAGMA journal_mode = WAL").catch(() => undefined);
    void client.$queryRawUnsafe("PRAGMA busy_timeout = 5000").catch(() => undefined);
  }
  return client;
}

// One client per process; kept on global so dev-server reloads do not open new ones.
const prisma: PrismaClient = global.__supportDeskPrisma ?? createClient();
if (process.env.NODE_ENV !== "production") global.__supportDeskPrisma = prisma;

export default prisma;

/** PostgreSQL: the pool the app's client runs on (app/db-native.server.ts takes its connections from it). */
export function appPgPool(): pg.Pool | undefined {
  return global.__supportDeskPgPool;
}

/** The client an interactive transaction's callback is given. */
export type Transaction = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/**
 * Raw SQL fragments for the app's client. Use these, not `Prisma.sql` from "@prisma/client": each
 * generated client knows only its own fragment class, and PostgreSQL's client is another module, so
 * a fragment of the other engine's would be sent as a parameter.
 */
export const SQL = sqlFragmentsFor(databaseUrl());

/** A write refused by a unique index (SQLite and PostgreSQL word it differently): a race another writer won. */
export const isUniqueViolation = (error: unknown) => error instanceof Error && /Unique constraint|UNIQUE/i.test(error.message);
