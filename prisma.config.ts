import path from "node:path";
import { defineConfig } from "prisma/config";
import { createAdapterFactory, databaseUrl } from "./app/db-adapter";

// No native Prisma engines can be downloaded on these machines: the CLI and the
// client both run through driver adapters (better-sqlite3 or pg).
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  async adapter() {
    return createAdapterFactory(databaseUrl());
  },
});
