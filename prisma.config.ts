import path from "node:path";
import { defineConfig } from "prisma/config";
import { createAdapterFactory, databaseUrl, isPostgres } from "./app/db-adapter";

// No native Prisma engines can be downloaded on these machines: the CLI and the
// client both run through driver adapters (better-sqlite3 or pg). DATABASE_URL picks the engine,
// and with it the schema and its migration history: prisma/migrations (SQLite) or
// prisma/postgresql/migrations (PostgreSQL, schema derived by scripts/postgresql-schema.mjs).
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: isPostgres(databaseUrl()) ? path.join("prisma", "postgresql", "schema.prisma") : path.join("prisma", "schema.prisma"),
  async adapter() {
    return createAdapterFactory(databaseUrl());
  },
});
