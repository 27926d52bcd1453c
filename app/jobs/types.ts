/** Where a job is in its life. Only "queued" jobs are picked up; the last three are final. */
export const JOB_STATUSES = ["queued", "running", "succeeded", "dead", "cancelled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const DEFAULT_MAX_ATTEMPTS = 8;

export interface JobContext<P> {
  shop: string;
  payload: P;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  jobId: string;
}

export interface JobDefinition<P = unknown> {
  /** Stored on every job row, e.g. "webhook.process"; never rename one that may still be queued. */
  kind: string;
  /** Runs before the job is dead (default 8). Read when the job is enqueued. */
  maxAttempts?: number;
  /** Compliance work (redaction) must still run after app/uninstalled; everything else is cancelled. */
  runsAfterUninstall?: boolean;
  /** May run more than once (a retry, a crash after the effect): make its effects idempotent. */
  run(ctx: JobContext<P>): Promise<void>;
}

export function defineJob<P>(definition: JobDefinition<P>): JobDefinition<P> {
  if (!definition.kind) throw new Error("a job definition needs a kind");
  if (definition.maxAttempts !== undefined && !(Number.isInteger(definition.maxAttempts) && definition.maxAttempts >= 1)) {
    throw new Error(`job "${definition.kind}": maxAttempts must be a whole number of at least 1`);
  }
  return definition;
}
