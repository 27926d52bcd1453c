// Job runners in this process listen here, so a job queued now starts now instead of at the next poll.
const listeners = new Set<() => void>();

export function onJobsQueued(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function notifyJobsQueued(): void {
  for (const listener of listeners) listener();
}
