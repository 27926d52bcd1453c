/**
 * Single requests from many concurrent callers (jobs running side by side in one worker) served
 * by batched calls: the requests made in the same turn of the event loop go together, and those
 * made while a batch is in flight go in the next, so a busy process makes one round trip for many
 * callers and an idle one adds no wait. Each caller gets its own result. When a batch fails, each
 * of its requests is tried alone, so one bad request fails only its own caller.
 *
 * Only in-flight requests are held here: nothing that other processes must agree on.
 */
export function coalesce<I, O>(many: (items: I[]) => Promise<O[]>, options: { max?: number } = {}): (item: I) => Promise<O> {
  const max = options.max ?? 500;
  type Pending = { item: I; resolve: (value: O) => void; reject: (error: unknown) => void };
  let queue: Pending[] = [];
  let running = false;
  let scheduled = false;

  async function runBatch(batch: Pending[]) {
    try {
      const results = await many(batch.map((entry) => entry.item));
      if (results.length !== batch.length) throw new Error(`a batch of ${batch.length} answered ${results.length} results`);
      batch.forEach((entry, i) => entry.resolve(results[i]));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      for (const entry of batch) await runBatch([entry]);
    }
  }

  async function drain() {
    running = true;
    try {
      while (queue.length > 0) {
        const batch = queue.slice(0, max);
        queue = queue.slice(batch.length);
        await runBatch(batch);
      }
    } finally {
      running = false;
    }
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (running || scheduled) return;
      scheduled = true;
      // The rest of this turn's callers join before the first batch goes.
      setImmediate(() => {
        scheduled = false;
        if (!running) void drain();
      });
    });
}
