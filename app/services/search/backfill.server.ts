import crypto from "node:crypto";
import { enqueue } from "../../jobs/enqueue.server";
import { defineJob } from "../../jobs/types";
import { BACKFILL_TABLES, backfillSteps, type BackfillTable } from "../../models/search-text.server";

/**
 * The search.backfill job: gives rows written before search text existed theirs (and lowers
 * synced emails), queued at every worker start, so rows an older release wrote during a rolling
 * deploy are reached by the next start too. Each run works about a second, then queues the next
 * part where it stopped, so other jobs run in between on a large database. Passes started together
 * are harmless: a row is only written while still NULL, and a pass finding none writes nothing.
 */

const BATCH = 500;
const BUDGET_MS = 1_000;
/** Jobs belong to a shop; this one serves them all. */
export const EVERY_SHOP = "*";

export interface SearchBackfillPayload {
  pass: string;
  part: number;
  table: BackfillTable;
  after: string | null;
}

export const searchBackfillJob = defineJob<SearchBackfillPayload>({
  kind: "search.backfill",
  // Rows of shops that uninstalled are kept until shop/redact, and searchable again on reinstall.
  runsAfterUninstall: true,
  run: ({ payload }) => backfillPart(payload),
});

/** One part of a pass: about budgetMs of batches, then the next part queued where it stopped. */
export async function backfillPart(payload: SearchBackfillPayload, budgetMs = BUDGET_MS, batch = BATCH) {
  const next = await backfillFor(payload.table, payload.after, budgetMs, batch);
  if (!next) return;
  const part = payload.part + 1;
  await enqueue(searchBackfillJob, { shop: EVERY_SHOP, key: `${payload.pass}:${part}`, payload: { ...payload, part, ...next } });
}

/** Works through the tables from (table, after) for about budgetMs; where to go on, or null when all is done. */
export async function backfillFor(table: BackfillTable, after: string | null, budgetMs: number, batch = BATCH) {
  const started = Date.now();
  let at: { table: BackfillTable; after: string | null } = { table, after };
  for (;;) {
    const last = await backfillSteps[at.table](batch, at.after);
    if (last) at = { table: at.table, after: last };
    else {
      const following = BACKFILL_TABLES[BACKFILL_TABLES.indexOf(at.table) + 1];
      if (!following) return null;
      at = { table: following, after: null };
    }
    if (Date.now() - started >= budgetMs) return at;
  }
}

export async function queueSearchBackfill() {
  const pass = `pass:${crypto.randomUUID()}`;
  await enqueue(searchBackfillJob, {
    shop: EVERY_SHOP,
    key: `${pass}:0`,
    payload: { pass, part: 0, table: BACKFILL_TABLES[0], after: null },
  });
}
