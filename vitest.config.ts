import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "node",
    setupFiles: ["tests/setup/fail-on-console-error.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Browser and server tests start processes; two cores, so keep files apart.
    fileParallelism: false,
    pool: "forks",
    reporters: ["default", "./tests/setup/summary-reporter.ts"],
  },
});
