/**
 * Where the running demo's emulator listens, written to .demo/emulator.json so that
 * `npm run emulator -- trigger …` in another terminal reaches it whatever port it runs on.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const DEMO_STATE_FILE = path.join(path.resolve(path.dirname(fileURLToPath(import.meta.url)), ".."), ".demo", "emulator.json");

export interface DemoEmulatorState {
  url: string;
  pid: number;
  startedAt: string;
}

export function recordDemoEmulator(url: string, file = DEMO_STATE_FILE): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const state: DemoEmulatorState = { url, pid: process.pid, startedAt: new Date().toISOString() };
  fs.writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
}

/** Removes the record when it is still this process's (another demo may have started since). */
export function forgetDemoEmulator(url: string, file = DEMO_STATE_FILE): void {
  const state = readDemoEmulator(file);
  if (state && state.url === url && state.pid === process.pid) fs.rmSync(file, { force: true });
}

/** The running demo's emulator, or null when there is none (no file, or its process has ended). */
export function readDemoEmulator(file = DEMO_STATE_FILE): DemoEmulatorState | null {
  let state: DemoEmulatorState;
  try {
    state = JSON.parse(fs.readFileSync(file, "utf8")) as DemoEmulatorState;
  } catch {
    return null;
  }
  if (typeof state?.url !== "string" || !Number.isInteger(state.pid)) return null;
  try {
    process.kill(state.pid, 0);
  } catch (error) {
    // EPERM: the process exists but is another user's; ESRCH: it has ended.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return null;
  }
  return state;
}
