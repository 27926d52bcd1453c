#!/usr/bin/env node
// PostgreSQL's Prisma schema is derived from the one schema, prisma/schema.prisma: the same models,
// another provider, and its client generated beside SQLite's (node_modules/.prisma/postgresql), so
// one checkout runs on either engine, chosen by DATABASE_URL at start.
//   node scripts/postgresql-schema.mjs          writes prisma/postgresql/schema.prisma
//   node scripts/postgresql-schema.mjs --check  exits 1 when the checked-in copy is stale
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const source = path.join(root, "prisma", "schema.prisma");
const target = path.join(root, "prisma", "postgresql", "schema.prisma");

export function derivePostgresqlSchema(text) {
  const generator = /generator client \{\n([\s\S]*?)\n\}/;
  const datasource = /(datasource db \{[\s\S]*?provider\s*=\s*)"sqlite"/;
  if (!generator.test(text) || !datasource.test(text)) {
    throw new Error('prisma/schema.prisma: expected `generator client { … }` and a datasource with provider "sqlite"');
  }
  const header =
    "// GENERATED from prisma/schema.prisma by scripts/postgresql-schema.mjs — do not edit; edit that file\n" +
    "// and run `npm run db:schemas`. The tests fail when this copy is stale.\n";
  return (
    header +
    text
      .replace(
        generator,
        (_m, body) => `generator client {\n${body}\n  output     = "../../node_modules/.prisma/postgresql"\n}`
      )
      .replace(datasource, '$1"postgresql"')
  );
}

export const POSTGRESQL_SCHEMA = target;

function main() {
  const derived = derivePostgresqlSchema(fs.readFileSync(source, "utf8"));
  if (process.argv.includes("--check")) {
    const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : "";
    if (current !== derived) {
      console.error("prisma/postgresql/schema.prisma is stale: run `npm run db:schemas`.");
      process.exit(1);
    }
  } else {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, derived);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
