import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, migrationStatus, migrationsDir, readMigrations } from "../../scripts/migrate.mjs";
import { derivePostgresqlSchema, POSTGRESQL_SCHEMA } from "../../scripts/postgresql-schema.mjs";
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from "../support/database";
import { REPO_ROOT, run } from "../support/processes";

/**
 * One schema, two engines, each with its own migration history. On this run's engine: the history
 * builds exactly what the schema says (a drift check), an earlier release's database upgrades with
 * its data intact, and `npm run setup`'s migration step can run any number of times.
 */
const SQLITE_SCHEMA = path.join(REPO_ROOT, "prisma", "schema.prisma");
const schemaFile = TEST_ENGINE === "postgresql" ? POSTGRESQL_SCHEMA : SQLITE_SCHEMA;
/** Where each engine's previous release ended (the upgrade test starts there). */
const PREVIOUS_RELEASE = { sqlite: "20261202030000_shared_state", postgresql: "20261202040000_init" } as const;
/** What PostgreSQL's history adds beyond Prisma's schema language: trigram indexes and the job wake-up trigger. */
const POSTGRES_ONLY = (name: string) => /_trgm$|^Job_due_on_/.test(name);

const opened: TestDatabase[] = [];
async function database(label: string, options: { empty?: boolean } = {}) {
  const db = await createTestDatabase(label, options);
  opened.push(db);
  return db;
}
afterAll(async () => {
  for (const db of opened) await db.drop();
});

/** The SQL that builds the schema from nothing, as Prisma writes it. */
async function schemaScript(file: string): Promise<string> {
  // A diff between datamodels needs no database; with a PostgreSQL URL Prisma would connect first.
  const result = await run("sh", ["scripts/prisma.sh", "migrate", "diff", "--from-empty", "--to-schema-datamodel", file, "--script"], {
    DATABASE_URL: `file:${path.join(os.tmpdir(), "support-desk-unused.sqlite")}`,
  });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

/** `describeSchema()` without what only PostgreSQL's history adds. */
function withoutPostgresOnly(schema: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(schema).map(([table, value]) => {
      const described = value as Record<string, { name?: string }[]>;
      return [
        table,
        Object.fromEntries(Object.entries(described).map(([kind, items]) => [kind, items.filter((i) => !POSTGRES_ONLY(i.name ?? ""))])),
      ];
    }),
  );
}

describe("one schema", () => {
  it("PostgreSQL's Prisma schema is prisma/schema.prisma with another provider, and is up to date", () => {
    const source = fs.readFileSync(SQLITE_SCHEMA, "utf8");
    const derived = fs.readFileSync(POSTGRESQL_SCHEMA, "utf8");
    expect(derived, "run `npm run db:schemas`").toBe(derivePostgresqlSchema(source));
    const models = (text: string) => [...text.matchAll(/^model (\w+) \{/gm)].map((m) => m[1]);
    expect(models(derived)).toEqual(models(source));
    expect(derived).toMatch(/provider = "postgresql"/);
    // A model added to the one schema appears in the derived one.
    expect(derivePostgresqlSchema(`${source}\nmodel Added {\n  id String @id\n  shop String\n}\n`)).toMatch(/^model Added \{/m);
  });

  it("each engine has its own history, with a lock file naming its provider", () => {
    for (const [dir, provider] of [
      [path.join(REPO_ROOT, "prisma", "migrations"), "sqlite"],
      [path.join(REPO_ROOT, "prisma", "postgresql", "migrations"), "postgresql"],
    ] as const) {
      expect(fs.readFileSync(path.join(dir, "migration_lock.toml"), "utf8")).toContain(`provider = "${provider}"`);
      expect(readMigrations(dir).length).toBeGreaterThan(0);
    }
  });
});

describe(`the ${TEST_ENGINE} migration history`, () => {
  // Prisma's SQL for the schema, and for the schema with one model more (what a migration forgotten on
  // one engine looks like), each executed on an empty database; the two diffs run at once.
  let fromSchema: TestDatabase;
  let withForgottenModel: TestDatabase;
  beforeAll(async () => {
    fromSchema = await database("drift_schema", { empty: true });
    withForgottenModel = await database("drift_forgotten_schema", { empty: true });
    const added = fs.readFileSync(schemaFile, "utf8") + `\nmodel ForgottenModel {\n  id   String @id\n  shop String\n}\n`;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "support-desk-schema-")), "schema.prisma");
    fs.writeFileSync(file, added);
    const [script, forgotten] = await Promise.all([schemaScript(schemaFile), schemaScript(file)]);
    fromSchema.executeScript(script);
    withForgottenModel.executeScript(forgotten);
  }, 60_000);

  it("builds exactly the schema: every table, column, index and foreign key", async () => {
    const migrated = await database("drift_migrated");
    const expected = fromSchema.describeSchema();
    const actual = migrated.describeSchema();
    expect(Object.keys(actual)).toEqual(Object.keys(expected));
    expect(withoutPostgresOnly(actual)).toEqual(expected);
    if (TEST_ENGINE === "postgresql") {
      // What the schema cannot say is there too: trigram indexes on every search text, the job trigger.
      const extras = Object.values(actual).flatMap((t) =>
        Object.values(t as Record<string, { name: string }[]>).flatMap((items) => items.map((i) => i.name).filter(POSTGRES_ONLY)),
      );
      expect(extras.sort()).toEqual(
        ["Customer_searchText_trgm", "FaqTranslation_searchText_trgm", "Job_due_on_insert", "Job_due_on_requeue", "Ticket_searchText_trgm"].sort(),
      );
    }
  });

  it("reports a model the history lacks (what a migration forgotten on one engine looks like)", async () => {
    const migrated = await database("drift_forgotten");
    const expected = withForgottenModel.describeSchema();
    expect(Object.keys(expected)).toContain("ForgottenModel");
    expect(Object.keys(migrated.describeSchema())).not.toContain("ForgottenModel");
    expect(withoutPostgresOnly(migrated.describeSchema())).not.toEqual(expected);
  });

  it("upgrades the previous release's database with its data, and records every migration", async () => {
    const db = await database("upgrade", { empty: true });
    const all = readMigrations(migrationsDir(db.url)).map((m) => m.name);
    const cut = all.indexOf(PREVIOUS_RELEASE[TEST_ENGINE]);
    expect(cut).toBeGreaterThanOrEqual(0);
    expect(cut, "the upgrade test needs at least one migration after the previous release").toBeLessThan(all.length - 1);
    const previous = fs.mkdtempSync(path.join(os.tmpdir(), "support-desk-previous-"));
    for (const name of all.slice(0, cut + 1)) fs.cpSync(path.join(migrationsDir(db.url), name), path.join(previous, name), { recursive: true });
    fs.copyFileSync(path.join(migrationsDir(db.url), "migration_lock.toml"), path.join(previous, "migration_lock.toml"));

    await migrate(db.url, { dir: previous });
    expect((await migrationStatus(db.url)).pending).toEqual(all.slice(cut + 1));
    // A shop's data, written by the previous release.
    db.execute(`INSERT INTO "Shop" (shop, name, updatedAt) VALUES ('upgrade.myshopify.com', 'Upgrade Shop', CURRENT_TIMESTAMP)`);
    db.execute(
      `INSERT INTO "Ticket" (id, shop, number, subject, status, priority, channel, tags, customerEmail, replyToken, createdAt, updatedAt, lastMessageAt, unread)
       VALUES ('t-upgrade', 'upgrade.myshopify.com', 1, 'Beden numarası', 'open', 'normal', 'email', '', 'ayse@example.com', 'tok-upgrade', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, true)`,
    );
    db.execute(
      `INSERT INTO "Customer" (id, shop, shopifyId, email, firstName, syncedAt)
       VALUES ('c-upgrade', 'upgrade.myshopify.com', 'gid://shopify/Customer/1', 'ayse@example.com', 'Ayşe', CURRENT_TIMESTAMP)`,
    );

    await migrate(db.url);
    expect(await migrationStatus(db.url)).toEqual({ applied: all, pending: [] });
    expect(db.query(`SELECT id, subject, customerEmail, searchText FROM "Ticket"`)).toEqual([
      { id: "t-upgrade", subject: "Beden numarası", customerEmail: "ayse@example.com", searchText: null },
    ]);
    expect(db.query(`SELECT firstName FROM "Customer" WHERE shop = ?`, "upgrade.myshopify.com")).toEqual([{ firstName: "Ayşe" }]);
    // The upgraded database is the schema's, as a new one is.
    const fresh = await database("upgrade_fresh");
    expect(db.describeSchema()).toEqual(fresh.describeSchema());
    fs.rmSync(previous, { recursive: true, force: true });
  });

  it("npm run setup's migration step applies nothing the second time and edits no tracked file", async () => {
    const db = await database("setup_twice", { empty: true });
    const before = await run("git", ["status", "--porcelain", "--", "prisma", "package.json"]);
    for (let i = 0; i < 2; i++) {
      const result = await run(process.execPath, ["scripts/migrate.mjs"], { DATABASE_URL: db.url });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/up to date/);
    }
    const status = await run(process.execPath, ["scripts/migrate.mjs", "status"], { DATABASE_URL: db.url });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/0 pending/);
    const after = await run("git", ["status", "--porcelain", "--", "prisma", "package.json"]);
    expect(after.stdout).toBe(before.stdout);
  });

  it.runIf(TEST_ENGINE === "postgresql")(
    "adopts a database the earlier setup:postgres made (its release's tables, no history) with SUPPORT_DESK_BASELINE=1, then applies the rest",
    async () => {
      // What the earlier setup:postgres made: the tables of the release it shipped in (the first
      // migration's, executed straight), and no history. Later migrations are applied over them.
      const made = await database("baseline_made", { empty: true });
      const [first] = readMigrations(migrationsDir(made.url));
      made.executeScript(first.sql);
      const refused = await run(process.execPath, ["scripts/migrate.mjs"], { DATABASE_URL: made.url });
      expect(refused.code, "without the baseline, the first migration meets its own tables").toBe(1);
      expect(refused.stderr).toMatch(/already exists/);
      const adopted = await run(process.execPath, ["scripts/migrate.mjs"], { DATABASE_URL: made.url, SUPPORT_DESK_BASELINE: "1" });
      expect(adopted.code, adopted.stderr).toBe(0);
      expect(adopted.stdout).toMatch(/recorded 20261202040000_init as applied/);
      expect((await migrationStatus(made.url)).pending).toEqual([]);
      const fresh = await database("baseline_fresh");
      expect(made.describeSchema()).toEqual(fresh.describeSchema());
    },
  );
});
