export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/** 10 s, 20 s, 40 s, … up to an hour. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 10_000, maxMs: 60 * 60 * 1_000 };

const JITTER = 0.2;

/**
 * How long to wait before retrying after failed attempt number `attempt` (1-based):
 * doubling from baseMs, capped at maxMs, ±20% so jobs that failed together do not
 * all come back in the same instant.
 */
export function backoffDelay(attempt: number, { baseMs, maxMs }: BackoffOptions, random: () => number = Math.random): number {
  const exponential = baseMs * 2 ** Math.max(0, attempt - 1);
  const jittered = Math.min(maxMs, exponential) * (1 + (random() * 2 - 1) * JITTER);
  return Math.max(1, Math.round(Math.min(maxMs, jittered)));
}
