import { startEmulator, type Emulator, type EmulatorOptions } from "../emulator/index";
import { createTestDatabase, type TestDatabase } from "./database";
import { DEV_APP, freePort, startAppServer, type AppServer } from "./processes";

export interface Stack {
  emulator: Emulator;
  app: AppServer;
  /** Stops the app (SIGKILL with `crash`) and starts it again on the same port and database. */
  restartApp(options?: { env?: Record<string, string | undefined>; crash?: boolean }): Promise<AppServer>;
  /** The app's DATABASE_URL: a fresh database on the suite's engine (tests/support/database.ts). */
  databaseUrl: string;
  database: TestDatabase;
  /** A look at the app's database, to check what it stored (SQLite's dialect on either engine). */
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  /** One write to the app's database, for a test's set-up (settings, rows Shopify would not send). */
  execute(sql: string, ...params: unknown[]): void;
  stop(): Promise<void>;
}

/** The app (built) on a fresh, migrated database, pointed at a fresh emulator. */
export interface StackOptions extends Partial<EmulatorOptions> {
  /** Extra environment for the app. */
  appEnv?: Record<string, string | undefined>;
  /** A database made already (a bench's PostgreSQL one, say); dropped with the stack. Default: a fresh one on the suite's engine. */
  database?: TestDatabase;
}

/** Test settings: retries come quickly so a failing job reaches its end within a test. */
const TEST_APP_ENV = { JOB_BACKOFF_BASE_MS: "50", JOB_BACKOFF_MAX_MS: "200", JOB_POLL_INTERVAL_MS: "100" };

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const { appEnv, database: given, ...emulatorOptions } = options;
  const database = given ?? (await createTestDatabase("stack"));
  const databaseUrl = database.url;
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
    await database.drop();
    throw error;
  }
  const stack: Stack = {
    emulator,
    app,
    databaseUrl,
    database,
    async restartApp({ env, crash } = {}) {
      await stack.app.stop(crash ? "SIGKILL" : "SIGTERM");
      stack.app = await launch(env);
      return stack.app;
    },
    query: (sql, ...params) => database.query(sql, ...params),
    execute: (sql, ...params) => database.execute(sql, ...params),
    async stop() {
      await stack.app.stop();
      await emulator.close();
      await database.drop();
    },
  };
  return stack;
}
