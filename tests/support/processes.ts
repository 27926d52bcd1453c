import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Development credentials shared by the demo, the tests and the emulator; never a real app's. */
export const DEV_APP = {
  apiKey: "support-desk-local-client-id",
  apiSecret: "support-desk-local-secret",
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Applies the checked-in migrations to a database, as `npm run setup` does. */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  const result = await run(process.execPath, ["scripts/migrate.mjs"], { DATABASE_URL: databaseUrl });
  if (result.code !== 0) {
    throw new Error(`migrations failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

export interface AppServer {
  url: string;
  port: number;
  /** The process id (benches read its memory). */
  pid: number;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

export interface AppServerOptions {
  port: number;
  databaseUrl: string;
  adminOrigin: string;
  appBridgeUrl: string;
  scopes: string;
  env?: Record<string, string | undefined>;
  nodeArgs?: string[];
  /** Also print the app's output (the demo does; tests keep it for failure messages). */
  echo?: boolean;
  /** server.mjs (default) or worker.mjs (`npm run worker`: jobs only, no HTTP). */
  script?: "server.mjs" | "worker.mjs";
}

const START_TIMEOUT_MS = 60_000;

/** Starts the built app (`npm run build` first) with server.mjs, pointed at the emulator. */
export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const url = `http://127.0.0.1:${options.port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), path.join(REPO_ROOT, options.script ?? "server.mjs")],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(options.port),
        HOST: "127.0.0.1",
        SHOPIFY_API_KEY: DEV_APP.apiKey,
        SHOPIFY_API_SECRET: DEV_APP.apiSecret,
        SHOPIFY_APP_URL: url,
        SCOPES: options.scopes,
        DATABASE_URL: options.databaseUrl,
        SHOPIFY_ADMIN_ORIGIN: options.adminOrigin,
        LOG_REQUESTS: "0",
        APP_BRIDGE_URL: options.appBridgeUrl,
        // The emulator serves the storefront too: the chat socket takes its origin.
        STOREFRONT_ORIGINS: new URL(options.adminOrigin).origin,
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
    if (options.echo || process.env.TEST_ECHO_APP) process.stdout.write(d);
  });
  child.stderr?.on("data", (d) => {
    output += d;
    if (options.echo || process.env.TEST_ECHO_APP) process.stderr.write(d);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  // A start takes a second or two; the whole suite on two cores (browsers included) has made one take over 30 s.
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app server exited early:\n${output}`);
    if (options.script === "worker.mjs") {
      if (output.includes("job worker running")) break;
      await new Promise((r) => setTimeout(r, 100));
      if (Date.now() > deadline) throw new Error(`worker did not start within ${START_TIMEOUT_MS / 1000} s:\n${output}`);
      continue;
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`app server did not start within ${START_TIMEOUT_MS / 1000} s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }

  return {
    url,
    port: options.port,
    pid: child.pid ?? 0,
    output: () => output,
    stop: async (signal: NodeJS.Signals = "SIGTERM") => {
      if (child.exitCode === null) {
        child.kill(signal);
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
    },
  };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the app when there is no build or app/ changed since the last one. */
export async function ensureBuild(log: (line: string) => void = () => undefined): Promise<void> {
  const built = path.join(REPO_ROOT, "build/server/index.js");
  const sources = Math.max(newestMtime(path.join(REPO_ROOT, "app")), fs.statSync(path.join(REPO_ROOT, "vite.config.ts")).mtimeMs);
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources) return;
  log("building the app (remix vite:build)…");
  const build = await run(process.execPath, [path.join(REPO_ROOT, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"]);
  if (build.code !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
}
