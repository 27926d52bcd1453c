/**
 * PostgreSQL for the bench: a fresh, migrated database (tests/support/database.ts) on the server
 * BENCH_POSTGRES_URL names (`postgresql://…/postgres`, a server the bench may create databases on,
 * e.g. what `scripts/postgres-cluster.sh start` prints). Without it, the PostgreSQL cases say so
 * and measure nothing.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createPostgresDatabase, type TestDatabase } from "../support/database";
import { REPO_ROOT } from "../support/processes";

export const BENCH_POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? "";

export async function benchPostgresDatabase(label: string): Promise<TestDatabase> {
  if (!/^postgres(ql)?:\/\//.test(BENCH_POSTGRES_URL)) throw new Error("BENCH_POSTGRES_URL is not set");
  return createPostgresDatabase(BENCH_POSTGRES_URL, `bench_${label}`);
}

export interface RunnerProcess {
  child: ChildProcess;
  /** Stops it; resolves with the CPU it used, ms. */
  stop(): Promise<number>;
}

/** Starts a runner process (tests/bench/runner-process.ts); resolves once it listens. */
export async function startRunnerProcess(env: Record<string, string>): Promise<RunnerProcess> {
  const tsx = path.join(REPO_ROOT, "node_modules/tsx/dist/cli.mjs");
  const child = spawn(process.execPath, [tsx, path.join(REPO_ROOT, "tests/bench/runner-process.ts")], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`runner process did not start:\n${output}`)), 60_000);
    child.stdout!.on("data", () => {
      if (output.includes("ready")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`runner process exited (${code}):\n${output}`)));
  });
  return {
    child,
    stop: () =>
      new Promise<number>((resolve) => {
        child.once("exit", () => resolve(Number(/cpu ([\d.]+)/.exec(output)?.[1] ?? NaN)));
        child.kill("SIGTERM");
      }),
  };
}
