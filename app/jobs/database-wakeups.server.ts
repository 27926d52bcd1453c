import pg from "pg";

/**
 * The channel PostgreSQL notifies when a job becomes due now: a trigger on "Job" (its
 * PostgreSQL migration, job_wakeups) calls pg_notify on every insert or re-queue due now, so a
 * job queued by any process wakes the runners of every process, not only its own.
 */
export const JOBS_CHANNEL = "support_desk_jobs";

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;

export interface DatabaseWakeups {
  /** Resolves once LISTEN is in place (or the first try failed; it keeps trying). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Holds one connection that LISTENs for queued jobs and calls `onWake` for each notice. A lost
 * connection is made again with backoff, and `onWake` is called then too, for what was queued
 * while it was down (the runner's own polling covers that gap as well).
 */
export function listenForQueuedJobs(connectionString: string, onWake: () => void): DatabaseWakeups {
  return listenForNotices(connectionString, JOBS_CHANNEL, "job wake-ups", () => onWake());
}

/**
 * Holds one connection that LISTENs on `channel` and calls `onNotice` with each notice's payload,
 * and with `undefined` once LISTEN is (again) in place: whatever was notified while the connection
 * was down is lost, so a listener catches up then.
 */
export function listenForNotices(connectionString: string, channel: string, label: string, onNotice: (payload: string | undefined) => void): DatabaseWakeups {
  let client: pg.Client | undefined;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let delay = RECONNECT_MIN_MS;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const reconnectLater = (why: unknown) => {
    if (stopped || retryTimer) return;
    console.warn(`${label}: lost the LISTEN connection, trying again in ${delay} ms`, why);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, delay);
    retryTimer.unref();
    delay = Math.min(delay * 2, RECONNECT_MAX_MS);
  };

  async function connect() {
    const next = new pg.Client({ connectionString });
    client = next;
    next.on("notification", (message) => {
      if (message.channel === channel) onNotice(message.payload ?? "");
    });
    next.on("error", (error) => {
      if (client === next) client = undefined;
      next.end().catch(() => undefined);
      reconnectLater(error);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      if (stopped) {
        await next.end();
        return;
      }
      delay = RECONNECT_MIN_MS;
      markReady();
      onNotice(undefined);
    } catch (error) {
      if (client === next) client = undefined;
      next.end().catch(() => undefined);
      markReady();
      reconnectLater(error);
    }
  }

  void connect();
  return {
    ready,
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}
