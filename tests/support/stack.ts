import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { startEmulator, type Emulator, type EmulatorOptions } from "../emulator/index";
import { DEV_APP, freePort, migrateDatabase, startAppServer, type AppServer } from "./processes";

export interface Stack {
  emulator: Emulator;
  app: AppServer;
  /** Stops the app (SIGKILL with `crash`) and starts it again on the same port and database. */
  restartApp(options?: { env?: Record<string, string | undefined>; crash?: boolean }): Promise<AppServer>;
  dbFile: string;
  /** A read-only look at the app's database, to check what it stored. */
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  /** One write to the app's database, for a test's set-up (settings, rows Shopify would not send). */
  execute(sql: string, ...params: unknown[]): void;
  stop(): Promise<void>;
}

/** The app (built) on a fresh, migrated SQLite file, pointed at a fresh emulator. */
export interface StackOptions extends Partial<EmulatorOptions> {
  /** Extra environment for the app. */
  appEnv?: Record<string, string | undefined>;
}

/** Test settings: retries come quickly so a failing job reaches its end within a test. */
const TEST_APP_ENV = { JOB_BACKOFF_BASE_MS: "50", JOB_BACKOFF_MAX_MS: "200", JOB_POLL_INTERVAL_MS: "100" };

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const { appEnv, ...emulatorOptions } = options;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "support-desk-test-"));
  const dbFile = path.join(dir, "test.sqlite");
  const databaseUrl = `file:${dbFile}`;
  await migrateDatabase(databaseUrl);
  const appPort = await freePort();
  const emulator = await startEmulator({
    apiKey: DEV_APP.apiKey,
    apiSecret: DEV_APP.apiSecret,
    appUrl: `http://127.0.0.1:${appPort}`,
    ...emulatorOptions,
  });
  const launch = (env: Record<string, string | undefined> = {}) =>
    startAppServer({
      port: appPort,
      databaseUrl,
      adminOrigin: emulator.url,
      appBridgeUrl: `${emulator.url}/cdn/app-bridge.js`,
      scopes: emulator.config.scopes,
      env: { ...TEST_APP_ENV, ...appEnv, ...env },
    });
  let app: AppServer;
  try {
    app = await launch();
  } catch (error) {
    await emulator.close();
    throw error;
  }
  const stack: Stack = {
    emulator,
    app,
    dbFile,
    async restartApp({ env, crash } = {}) {
      await stack.app.stop(crash ? "SIGKILL" : "SIGTERM");
      stack.app = await launch(env);
      return stack.app;
    },
    query<T>(sql: string, ...params: unknown[]) {
      const db = new Database(dbFile, { readonly: true, fileMustExist: true });
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    },
    execute(sql: string, ...params: unknown[]) {
      const db = new Database(dbFile, { fileMustExist: true });
      try {
        db.prepare(sql).run(...params);
      } finally {
        db.close();
      }
    },
    async stop() {
      await stack.app.stop();
      await emulator.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}
