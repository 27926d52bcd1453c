#!/usr/bin/env node
// Applies the pending migrations of the engine DATABASE_URL names, and records them; safe to run any
// number of times, from any number of processes at once (they take turns).
//   node scripts/migrate.mjs            apply what is pending (npm run setup does this)
//   node scripts/migrate.mjs status     list applied and pending migrations; exit 1 when any is pending
//
// SQLite: Prisma's own `migrate deploy` over prisma/migrations.
// PostgreSQL: prisma/postgresql/migrations, applied here with `pg`, because Prisma 6.19's migrate
// cannot run through the pg driver adapter (prisma/orm#27403: "Column type 'name' could not be
// deserialized") and its native engine cannot be downloaded. Each migration runs in one transaction
// with its record, so a failure leaves nothing half done. The record is Prisma's own table,
// "_prisma_migrations", with Prisma's checksum (SHA-256 of the file), under Prisma's advisory lock,
// so Prisma's native tools, where they run, read the same history.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PRISMA_MIGRATE_LOCK = 72707369;

export function isPostgresUrl(url) {
  return url.startsWith("postgres://") || url.startsWith("postgresql://");
}

export function migrationsDir(url) {
  return isPostgresUrl(url)
    ? path.join(root, "prisma", "postgresql", "migrations")
    : path.join(root, "prisma", "migrations");
}

/** The migrations in a folder, in order: { name, sql, checksum }. */
export function readMigrations(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: crypto.createHash("sha256").update(sql).digest("hex") };
    });
}

const CREATE_HISTORY = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/**
 * Applies PostgreSQL migrations from `dir` (default: the project's) to `url`. Returns the names applied.
 * `log` receives one line per step.
 */
export async function migratePostgres(url, { dir = migrationsDir(url), log = () => {} } = {}) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK]);
    await client.query("SET client_min_messages = warning");
    await client.query(CREATE_HISTORY);
    const recorded = (
      await client.query(
        `SELECT "migration_name", "checksum" FROM "_prisma_migrations" WHERE "rolled_back_at" IS NULL AND "finished_at" IS NOT NULL`
      )
    ).rows;
    const applied = new Map(recorded.map((r) => [r.migration_name, r.checksum]));
    const migrations = readMigrations(dir);
    if (applied.size === 0 && process.env.SUPPORT_DESK_BASELINE === "1" && migrations.length > 0) {
      // A database made from the schema before there was a history: record the first migration.
      const made = (await client.query(`SELECT to_regclass('"Session"') AS t`)).rows[0].t;
      if (made) {
        await client.query(
          `INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "logs", "applied_steps_count")
           VALUES ($1, $2, now(), $3, 'baselined: the tables were already there', 0)`,
          [crypto.randomUUID(), migrations[0].checksum, migrations[0].name],
        );
        applied.set(migrations[0].name, migrations[0].checksum);
        log(`recorded ${migrations[0].name} as applied (SUPPORT_DESK_BASELINE: its tables were already there)`);
      }
    }
    for (const name of applied.keys()) {
      if (!migrations.some((m) => m.name === name))
        log(`warning: ${name} is recorded as applied but is not in ${path.relative(root, dir)}`);
    }
    const done = [];
    for (const migration of migrations) {
      const previous = applied.get(migration.name);
      if (previous !== undefined) {
        if (previous !== migration.checksum) log(`warning: ${migration.name} was changed after it was applied`);
        continue;
      }
      const started = new Date();
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "started_at", "applied_steps_count")
           VALUES ($1, $2, now(), $3, $4, 1)`,
          [crypto.randomUUID(), migration.checksum, migration.name, started]
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw new Error(`migration ${migration.name} failed, nothing of it was applied: ${error.message}`);
      }
      log(`applied ${migration.name}`);
      done.push(migration.name);
    }
    return done;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Applied and pending migration names for `url`. */
export async function migrationStatus(url) {
  const migrations = readMigrations(migrationsDir(url)).map((m) => m.name);
  let applied = [];
  if (isPostgresUrl(url)) {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const exists = (await client.query(`SELECT to_regclass('"_prisma_migrations"') AS t`)).rows[0].t;
      if (exists) {
        applied = (
          await client.query(
            `SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`
          )
        ).rows.map((r) => r.migration_name);
      }
    } finally {
      await client.end().catch(() => undefined);
    }
  } else {
    const { default: Database } = await import("better-sqlite3");
    const file = url.replace(/^file:/, "");
    if (fs.existsSync(file)) {
      const db = new Database(file, { readonly: true });
      try {
        const exists = db
          .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`)
          .get();
        if (exists)
          applied = db
            .prepare(
              `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`
            )
            .all()
            .map((r) => r.migration_name);
      } finally {
        db.close();
      }
    }
  }
  return {
    applied: migrations.filter((m) => applied.includes(m)),
    pending: migrations.filter((m) => !applied.includes(m)),
  };
}

/**
 * Applies pending migrations to `url` (either engine), from the project's history or from `dir`
 * (another history of the same engine: the upgrade test applies an earlier release's).
 */
export async function migrate(url, { log = () => {}, dir } = {}) {
  if (isPostgresUrl(url)) return migratePostgres(url, { log, dir });
  if (!url.startsWith("file:")) throw new Error(`DATABASE_URL must be a file: (SQLite) or postgresql:// URL`);
  const args = ["migrate", "deploy"];
  let scratch;
  if (dir) {
    // Prisma reads the migrations beside the schema it is given.
    scratch = fs.mkdtempSync(path.join(root, ".migrate-"));
    fs.copyFileSync(path.join(root, "prisma", "schema.prisma"), path.join(scratch, "schema.prisma"));
    fs.symlinkSync(path.resolve(dir), path.join(scratch, "migrations"));
    args.push("--schema", path.join(scratch, "schema.prisma"));
  }
  const result = spawnSync("sh", [path.join(root, "scripts", "prisma.sh"), ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
    encoding: "utf8",
  });
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  if (result.status !== 0)
    throw new Error(`prisma migrate deploy failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  log(
    result.stdout
      .split("\n")
      .filter((l) => /applied|migrations? found|No pending/i.test(l))
      .join("\n")
  );
  return [];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const url = process.env.DATABASE_URL || "file:./prisma/dev.sqlite";
  const engine = isPostgresUrl(url) ? "PostgreSQL" : "SQLite";
  try {
    if (process.argv[2] === "status") {
      const { applied, pending } = await migrationStatus(url);
      console.log(
        `${engine}: ${applied.length} migrations applied, ${pending.length} pending${
          pending.length ? `: ${pending.join(", ")}` : ""
        }`
      );
      process.exit(pending.length ? 1 : 0);
    }
    await migrate(url, { log: (line) => line && console.log(line) });
    const { applied } = await migrationStatus(url);
    console.log(`${engine}: up to date, ${applied.length} migrations applied.`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
