/**
 * The demo seeds its desk from its own process while the app (another process) writes to the same
 * SQLite file. A transaction that read before it writes cannot wait for the other writer (SQLite
 * answers "database is locked" at once, whatever busy_timeout says): it rolled back, whole, so it
 * is tried again after a pause. The same for a transaction that waited on the other writer past
 * Prisma's transaction timeout (P2028, "Operation has timed out"): it too was rolled back whole.
 */
const BUSY = /database is locked|SQLITE_BUSY|Operation has timed out|Transaction already closed|P2028/i;

export async function whenNotBusy<T>(work: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !(error instanceof Error) || !BUSY.test(error.message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
}
