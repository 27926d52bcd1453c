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
