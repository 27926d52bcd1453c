import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../../app/db.server";
import { createTestDatabase, TEST_ENGINE } from "../support/database";

/**
 * On SQLite a transaction that reads before it writes must hold the write lock from its start: a
 * deferred one fails with SQLITE_BUSY_SNAPSHOT when another process writes between its read and
 * its write (seen as a 500 from two app processes on one file). The app's client begins every
 * transaction IMMEDIATE, so another connection waits for it instead (app/db-adapter.ts).
 */
/** What another process gets when it asks for the write lock without waiting: "locked" or "free". */
function writeLockFromAnotherProcess(file: string): string {
  const script = `const Database = require("better-sqlite3"); const db = new Database(${JSON.stringify(file)}, { timeout: 0 });
    try { db.prepare("BEGIN IMMEDIATE").run(); db.prepare("ROLLBACK").run(); console.log("free"); }
    catch (e) { console.log(/locked|busy/i.test(e.message) ? "locked" : e.message); }`;
  const result = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
  return result.stdout.trim() || result.stderr.trim();
}

describe.runIf(TEST_ENGINE === "sqlite")("SQLite transactions", async () => {
  const database = await createTestDatabase("transactions");
  const prisma = createPrismaClient(database.url);
  afterAll(async () => {
    await prisma.$disconnect();
    await database.drop();
  });

  it("hold the write lock from their first statement, a read", async () => {
    const file = database.url.replace(/^file:/, "");
    await prisma.$transaction(async (tx) => {
      expect(await tx.shop.findMany({ where: { shop: "a.myshopify.com" } })).toEqual([]);
      expect(writeLockFromAnotherProcess(file)).toBe("locked");
      await tx.shop.create({ data: { shop: "a.myshopify.com", name: "A" } });
    });
    // Committed: the lock is free again, and the write is there.
    expect(writeLockFromAnotherProcess(file)).toBe("free");
    expect(await prisma.shop.findUnique({ where: { shop: "a.myshopify.com" }, select: { name: true } })).toEqual({ name: "A" });
  });
});
