/**
 * PostgreSQL for the bench: a fresh, migrated database on the server BENCH_POSTGRES_URL names
 * (`postgresql://…/postgres`, a server the bench may create databases on; `.ci/run` passes its
 * throwaway cluster's). Without it, the PostgreSQL cases say so and measure nothing.
 */
import crypto from "node:crypto";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { migrateDatabase, REPO_ROOT } from "../support/processes";

export const BENCH_POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? "";

export async function benchPostgresDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (!/^postgres(ql)?:\/\//.test(BENCH_POSTGRES_URL)) throw new Error("BENCH_POSTGRES_URL is not set");
  const name = `bench_${label}_${crypto.randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: BENCH_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(BENCH_POSTGRES_URL);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString());
  return {
    url: url.toString(),
    async drop() {
      const dropper = new pg.Client({ connectionString: BENCH_POSTGRES_URL });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropper.end();
    },
  };
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
