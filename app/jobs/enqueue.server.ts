import { enqueueJob, type EnqueuedJob } from "../models/job.server";
import type { JobDefinition } from "./types";

/**
 * Queues a job of this definition, with the payload type its `run` expects and its
 * maxAttempts. Idempotent by (shop, kind, key); runners in this process start it at once.
 */
export function enqueue<P>(
  definition: JobDefinition<P>,
  input: { shop: string; payload: P; key?: string; runAt?: Date },
): Promise<EnqueuedJob> {
  return enqueueJob({ ...input, kind: definition.kind, maxAttempts: definition.maxAttempts });
}

/**
 * Queues a recurring job's next run at the start of the next `everyMs` slot, keyed by the slot,
 * so scheduling it twice (two processes, a retry) still queues it once.
 */
export function enqueueNextSlot(definition: JobDefinition<Record<string, never>>, shop: string, keyPrefix: string, everyMs: number, from = Date.now()): Promise<EnqueuedJob> {
  const slot = Math.floor(from / everyMs) + 1;
  return enqueue(definition, { shop, key: `${keyPrefix}:${everyMs}:${slot}`, payload: {}, runAt: new Date(slot * everyMs) });
}
