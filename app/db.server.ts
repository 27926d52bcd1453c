import { PrismaClient } from "@prisma/client";
import { createAdapterFactory, databaseUrl, isPostgres } from "./db-adapter";

declare global {
  // eslint-disable-next-line no-var
  var __supportDeskPrisma: PrismaClient | undefined;
}

function createClient(): PrismaClient {
  const url = databaseUrl();
  const client = new PrismaClient({ adapter: createAdapterFactory(url) });
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

/** A write refused by a unique index (SQLite and PostgreSQL word it differently): a race another writer won. */
export const isUniqueViolation = (error: unknown) => error instanceof Error && /Unique constraint|UNIQUE/i.test(error.message);
