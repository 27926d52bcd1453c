#!/usr/bin/env node
// Writes a new migration into both engines' histories after a change to prisma/schema.prisma:
//   npm run db:migration -- <name> [--from <git revision>]
// Each is the difference between the schema at <revision> (default HEAD, the last commit) and the
// schema now, as Prisma writes it for that engine. Data moves are added by hand, in both.
// tests/integration/migrations.test.ts fails when either history does not build the schema.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { derivePostgresqlSchema } from "./postgresql-schema.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const fromIndex = args.indexOf("--from");
const revision = fromIndex >= 0 ? args[fromIndex + 1] : "HEAD";
const name = args.find((a, i) => !a.startsWith("--") && (fromIndex < 0 || i !== fromIndex + 1));
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- <name, lower case and underscores> [--from <git revision>]");
  process.exit(2);
}

const current = fs.readFileSync(path.join(root, "prisma", "schema.prisma"), "utf8");
const previous = spawnSync("git", ["show", `${revision}:prisma/schema.prisma`], { cwd: root, encoding: "utf8" });
if (previous.status !== 0) {
  console.error(`cannot read prisma/schema.prisma at ${revision}: ${previous.stderr.trim()}`);
  process.exit(1);
}
// The derived schema first, so the PostgreSQL client and the drift test see the change.
fs.writeFileSync(path.join(root, "prisma", "postgresql", "schema.prisma"), derivePostgresqlSchema(current));

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "support-desk-migration-"));
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const engines = [
  { dir: path.join(root, "prisma", "migrations"), from: previous.stdout, to: current },
  { dir: path.join(root, "prisma", "postgresql", "migrations"), from: derivePostgresqlSchema(previous.stdout), to: derivePostgresqlSchema(current) },
];
for (const engine of engines) {
  const last = fs.readdirSync(engine.dir).filter((d) => /^\d{14}_/.test(d)).sort().pop();
  if (last && last.slice(0, 14) >= stamp) {
    console.error(`${path.relative(root, engine.dir)} already has ${last}, not older than ${stamp}`);
    process.exit(1);
  }
}
let wrote = 0;
for (const [i, engine] of engines.entries()) {
  const from = path.join(scratch, `from-${i}.prisma`);
  const to = path.join(scratch, `to-${i}.prisma`);
  fs.writeFileSync(from, engine.from);
  fs.writeFileSync(to, engine.to);
  const diff = spawnSync(
    "sh",
    [path.join(root, "scripts", "prisma.sh"), "migrate", "diff", "--from-schema-datamodel", from, "--to-schema-datamodel", to, "--script"],
    // A diff between datamodels needs no database; the URL only satisfies prisma.config.ts.
    { cwd: root, encoding: "utf8", env: { ...process.env, DATABASE_URL: `file:${path.join(scratch, "unused.sqlite")}` } },
  );
  if (diff.status !== 0) {
    console.error(diff.stderr);
    process.exit(1);
  }
  const sql = diff.stdout.trim();
  if (!sql || /^-- This is an empty migration\.?$/m.test(sql)) {
    console.log(`${path.relative(root, engine.dir)}: nothing changed since ${revision}`);
    continue;
  }
  const folder = path.join(engine.dir, `${stamp}_${name}`);
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, "migration.sql"), `${sql}\n`);
  console.log(`wrote ${path.relative(root, folder)}/migration.sql`);
  wrote++;
}
fs.rmSync(scratch, { recursive: true, force: true });
if (wrote > 0) console.log("Review both, add any data move to both, then `npm run db:schemas` regenerates the clients.");
