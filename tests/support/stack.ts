import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { startEmulator, type Emulator, type EmulatorOptions } from "../emulator/index";
import { DEV_APP, freePort, migrateDatabase, startAppServer, type AppServer } from "./processes";

export interface Stack {
  emulator: Emulator;
  app: AppServer;
  dbFile: string;
  /** A read-only look at the app's database, to check what it stored. */
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  stop(): Promise<void>;
}

/** The app (built) on a fresh, migrated SQLite file, pointed at a fresh emulator. */
export async function startStack(options: Partial<EmulatorOptions> = {}): Promise<Stack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "support-desk-test-"));
  const dbFile = path.join(dir, "test.sqlite");
  const databaseUrl = `file:${dbFile}`;
  await migrateDatabase(databaseUrl);
  const appPort = await freePort();
  const emulator = await startEmulator({
    apiKey: DEV_APP.apiKey,
    apiSecret: DEV_APP.apiSecret,
    appUrl: `http://127.0.0.1:${appPort}`,
    ...options,
  });
  let app: AppServer;
  try {
    app = await startAppServer({
      port: appPort,
      databaseUrl,
      adminOrigin: emulator.url,
      appBridgeUrl: `${emulator.url}/cdn/app-bridge.js`,
      scopes: emulator.config.scopes,
    });
  } catch (error) {
    await emulator.close();
    throw error;
  }
  return {
    emulator,
    app,
    dbFile,
    query<T>(sql: string, ...params: unknown[]) {
      const db = new Database(dbFile, { readonly: true, fileMustExist: true });
      try {
        return db.prepare(sql).all(...params) as T[];
      } finally {
        db.close();
      }
    },
    async stop() {
      await app.stop();
      await emulator.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
