import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * One SQLite library in the process. Prisma's adapter and the app's own writer
 * (app/db-native.server.ts) both open the database file; were each to load its own copy of
 * better-sqlite3, there would be two SQLite libraries in one process, each blind to the other's
 * POSIX locks (which are per process): closing a file in one releases the other's locks, and the
 * WAL index they share can be cut under the other's mapping. That was seen as SIGBUS in
 * walIndexAppend during the full bulk-ingest bench, while the adapter carried better-sqlite3 11
 * and the app 12. The two must resolve to one file.
 */
const root = path.resolve(__dirname, "../..");

describe("better-sqlite3", () => {
  it("is one copy for the app and for Prisma's adapter", () => {
    const fromApp = createRequire(path.join(root, "package.json")).resolve("better-sqlite3");
    const adapter = createRequire(path.join(root, "package.json")).resolve("@prisma/adapter-better-sqlite3");
    const fromAdapter = createRequire(adapter).resolve("better-sqlite3");
    expect(fromAdapter).toBe(fromApp);
  });
});
