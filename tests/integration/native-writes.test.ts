import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, TEST_ENGINE } from "../support/database";

/**
 * The sync's many-statement writes (app/db-native.server.ts): one plan, run on better-sqlite3's
 * own connection on SQLite and through Prisma on PostgreSQL, lands whole or not at all, stores
 * values as Prisma reads them, and on SQLite waits for another connection that holds the write
 * lock without blocking the event loop.
 */

type Native = typeof import("../../app/db-native.server");
type Prisma = typeof import("../../app/db.server")["default"];

const database = await createTestDatabase("native-writes");
let native: Native;
let prisma: Prisma;
let SQL: typeof import("../../app/db.server")["SQL"];

beforeAll(async () => {
  process.env.DATABASE_URL = database.url;
  native = await import("../../app/db-native.server");
  const db = await import("../../app/db.server");
  prisma = db.default;
  SQL = db.SQL;
});

afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

const insertShop = (shop: string, at: Date) =>
  native.statement(
    SQL.sql`INSERT INTO "Shop" ("shop", "name", "scopesUpdatedAt", "installedAt", "updatedAt") VALUES (${shop}, ${
      "Name of " + shop
    }, ${at}, ${at}, ${at}) RETURNING "shop"`,
  );

describe("writes run as plans", () => {
  it("land with the values Prisma reads back, and give each statement's rows to the plan", async () => {
    const at = new Date(Date.UTC(2026, 10, 30, 12, 34, 56, 789));
    const returned = await native.writeInTransaction(function* () {
      const first = yield insertShop("plan-a.myshopify.com", at);
      const second = yield insertShop("plan-b.myshopify.com", new Date(at.getTime() + 1_000));
      return [...first, ...second].map((row) => row.shop);
    });
    expect(returned).toEqual(["plan-a.myshopify.com", "plan-b.myshopify.com"]);
    const stored = await prisma.shop.findUnique({ where: { shop: "plan-a.myshopify.com" } });
    expect(stored).toMatchObject({ name: "Name of plan-a.myshopify.com", scopesUpdatedAt: at, installedAt: at });
    // Prisma's own comparison of the stored time agrees with the value written.
    expect(await prisma.shop.count({ where: { scopesUpdatedAt: { gt: at } } })).toBe(1);
  });

  it("land whole or not at all", async () => {
    const failing = native.writeInTransaction(function* () {
      yield insertShop("plan-c.myshopify.com", new Date());
      yield insertShop("plan-c.myshopify.com", new Date()); // the same key again: refused
      return "not reached";
    });
    await expect(failing).rejects.toThrow();
    expect(await prisma.shop.findUnique({ where: { shop: "plan-c.myshopify.com" } })).toBeNull();
    // The connection is usable afterwards.
    await native.writeInTransaction(function* () {
      yield insertShop("plan-c.myshopify.com", new Date());
    });
    expect(await prisma.shop.count({ where: { shop: "plan-c.myshopify.com" } })).toBe(1);
  });

  it.runIf(TEST_ENGINE === "sqlite")("wait for another connection that holds the write lock, without blocking the event loop", async () => {
    // Another writer (another process, or a transaction waiting on an await) holds the lock.
    const Database = (await import("better-sqlite3")).default;
    const other = new Database(database.url.replace(/^file:/, ""));
    other.exec("BEGIN IMMEDIATE");
    other
      .prepare(`INSERT INTO "Shop" ("shop", "installedAt", "updatedAt") VALUES ('held.myshopify.com', ?, ?)`)
      .run(new Date().toISOString(), new Date().toISOString());
    const order: string[] = [];
    const plan = native
      .writeInTransaction(function* () {
        const seen = yield native.statement(SQL.sql`SELECT "shop" FROM "Shop" WHERE "shop" = ${"held.myshopify.com"}`);
        yield insertShop("after-held.myshopify.com", new Date());
        return seen.length;
      })
      .then((seen) => {
        order.push("plan committed");
        return seen;
      });
    // The event loop runs while the plan waits: timers fire.
    await new Promise((resolve) => setTimeout(resolve, 50));
    order.push("timer fired");
    other.exec("COMMIT");
    other.close();
    order.push("other committed");
    // The plan ran after the other writer's commit: it saw its row.
    expect(await plan).toBe(1);
    expect(order).toEqual(["timer fired", "other committed", "plan committed"]);
    expect(await prisma.shop.count({ where: { shop: { in: ["held.myshopify.com", "after-held.myshopify.com"] } } })).toBe(2);
  });

  it("upsert many rows in one step: values round trip, and only the rows written come back", async () => {
    const columns = ["shop", "fromName", "timeZone", "businessHours", "autoAcknowledge", "csatEnabled", "responseTimeHours", "updatedAt"];
    const at = new Date(Date.UTC(2026, 11, 3, 23, 59, 58, 123));
    const hours = JSON.stringify({ mon: [["09:00", "17:00"]], note: 'say "hi" \\ ok' });
    const newerWins = `ON CONFLICT ("shop") DO UPDATE SET "fromName" = excluded."fromName", "updatedAt" = excluded."updatedAt"
      WHERE excluded."updatedAt" > "SupportSettings"."updatedAt"`;
    const rows = () => [
      ["rows-a.myshopify.com", "Zoë's 東京 shop 🚀, \"quoted\" {braces}", null, hours, false, true, 36, at],
      ["rows-b.myshopify.com", "Plain", "Europe/Berlin", "{}", true, false, 0, at],
    ];
    const first = await native.writeInTransaction(function* () {
      return yield* native.upsertEach({ table: "SupportSettings", columns, rows: rows(), onConflict: newerWins, returning: "shop" });
    });
    expect(first).toEqual(["rows-a.myshopify.com", "rows-b.myshopify.com"]);
    const stored = await prisma.supportSettings.findUnique({ where: { shop: "rows-a.myshopify.com" } });
    expect(stored).toMatchObject({
      fromName: "Zoë's 東京 shop 🚀, \"quoted\" {braces}",
      timeZone: null,
      autoAcknowledge: false,
      csatEnabled: true,
      responseTimeHours: 36,
      updatedAt: at,
    });
    expect(JSON.parse(stored!.businessHours)).toEqual(JSON.parse(hours));
    expect(await prisma.supportSettings.findUnique({ where: { shop: "rows-b.myshopify.com" } })).toMatchObject({ timeZone: "Europe/Berlin", autoAcknowledge: true, csatEnabled: false, responseTimeHours: 0 });

    // Again, one row newer and one older than what is stored: only the newer is written and named.
    const later = new Date(at.getTime() + 1);
    const earlier = new Date(at.getTime() - 1);
    const again = await native.writeInTransaction(function* () {
      return yield* native.upsertEach({
        table: "SupportSettings",
        columns: ["shop", "fromName", "updatedAt"],
        rows: [
          ["rows-a.myshopify.com", "Newer", later],
          ["rows-b.myshopify.com", "Older", earlier],
        ],
        onConflict: newerWins,
        returning: "shop",
      });
    });
    expect(again).toEqual(["rows-a.myshopify.com"]);
    const names = await prisma.supportSettings.findMany({ where: { shop: { startsWith: "rows-" } }, orderBy: { shop: "asc" } });
    expect(names.map((row) => [row.fromName, row.updatedAt])).toEqual([
      ["Newer", later],
      ["Plain", at],
    ]);

    // Through Prisma (a plan run by runThrough), the same step answers the same way.
    const through = await native.runThrough(
      prisma,
      native.upsertEach({ table: "SupportSettings", columns: ["shop", "fromName", "updatedAt"], rows: [["rows-b.myshopify.com", "Newest", later]], onConflict: newerWins, returning: "shop" }),
    );
    expect(through).toEqual(["rows-b.myshopify.com"]);
    expect((await prisma.supportSettings.findUnique({ where: { shop: "rows-b.myshopify.com" } }))?.fromName).toBe("Newest");
  });
});
