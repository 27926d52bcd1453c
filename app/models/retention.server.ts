import prisma from "../db.server";

/**
 * Retention's queries: each deletes (or empties) at most `take` rows of one shop and answers how
 * many, so a pass is many short writes, never one long one that holds SQLite's writer or a
 * PostgreSQL transaction open. Each reads the ids first through an index on (shop, time), then
 * deletes those ids under the same condition, so a row that changed in between is left alone.
 * What the dashboard and the FAQ pages count is rolled up in the same transaction as the delete.
 */

export interface Batch {
  shop: string;
  /** Rows older than this go. */
  before: Date;
  take: number;
}

/** Finished jobs in these statuses whose last change is older than `before`. */
export async function pruneJobs({ shop, before, take }: Batch, statuses: string[]): Promise<number> {
  const where = { shop, status: { in: statuses }, updatedAt: { lt: before } };
  const rows = await prisma.job.findMany({ where, select: { id: true }, take });
  if (rows.length === 0) return 0;
  const { count } = await prisma.job.deleteMany({ where: { ...where, id: { in: rows.map((r) => r.id) } } });
  return count;
}

/** Webhook deliveries in this status received before `before`, payload and all. */
export async function pruneWebhookEvents(
  { shop, before, take }: Batch,
  status: "processed" | "failed"
): Promise<number> {
  const where = { shop, status, receivedAt: { lt: before } };
  const rows = await prisma.webhookEvent.findMany({ where, select: { id: true }, take });
  if (rows.length === 0) return 0;
  const { count } = await prisma.webhookEvent.deleteMany({ where: { ...where, id: { in: rows.map((r) => r.id) } } });
  return count;
}

/** Finished sync runs started before `before`, except the newest finished one of each kind (the sync card's). */
export async function pruneSyncRuns({ shop, before, take }: Batch): Promise<number> {
  const finished = ["succeeded", "failed"];
  const newest = await Promise.all(
    ["bulk", "reconcile"].map((kind) =>
      prisma.syncRun.findFirst({
        where: { shop, kind, status: { in: finished } },
        orderBy: { startedAt: "desc" },
        select: { id: true },
      })
    )
  );
  const keep = newest.flatMap((run) => (run ? [run.id] : []));
  const where = { shop, status: { in: finished }, startedAt: { lt: before }, id: { notIn: keep } };
  const rows = await prisma.syncRun.findMany({ where, select: { id: true }, take });
  if (rows.length === 0) return 0;
  const { count } = await prisma.syncRun.deleteMany({
    where: { shop, status: { in: finished }, id: { in: rows.map((r) => r.id) } },
  });
  return count;
}

/** Searched terms nobody has searched since `before` (each row is already a count per term). */
export async function pruneFaqSearches({ shop, before, take }: Batch): Promise<number> {
  const where = { shop, lastSearchedAt: { lt: before } };
  const rows = await prisma.faqSearch.findMany({ where, select: { id: true }, take });
  if (rows.length === 0) return 0;
  const { count } = await prisma.faqSearch.deleteMany({ where: { ...where, id: { in: rows.map((r) => r.id) } } });
  return count;
}

/** Rate-limit buckets full again by `nowMs`: a full bucket is the same as none. */
export async function pruneRateLimitBuckets(shop: string, nowMs: number, take: number): Promise<number> {
  const where = { shop, fullMs: { lt: nowMs } };
  const rows = await prisma.rateLimitBucket.findMany({ where, select: { key: true }, take });
  if (rows.length === 0) return 0;
  // Still full: a request that took a token since the read keeps its bucket.
  const { count } = await prisma.rateLimitBucket.deleteMany({
    where: { ...where, key: { in: rows.map((r) => r.key) } },
  });
  return count;
}

/** Empties the text and HTML of emails sent before `before`; who, when and the subject stay. */
export async function pruneEmailBodies({ shop, before, take }: Batch, now: Date): Promise<number> {
  // createdAt is never after sentAt: its bound lets the (shop, bodyPrunedAt, createdAt) index find them.
  const where = { shop, bodyPrunedAt: null, createdAt: { lt: before }, status: "sent", sentAt: { lt: before } };
  const rows = await prisma.outboundEmail.findMany({ where, select: { id: true }, take });
  if (rows.length === 0) return 0;
  const { count } = await prisma.outboundEmail.updateMany({
    where: { ...where, id: { in: rows.map((r) => r.id) } },
    data: { text: "", html: "", bodyPrunedAt: now },
  });
  return count;
}

/** Another pass took some of the same rows first: this batch is rolled back and read again. */
class RolledUpElsewhere extends Error {}

async function unlessRolledUpElsewhere(work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RolledUpElsewhere) return 0;
    throw error;
  }
}

/**
 * Help-panel visits started before `before`, counted into their local day (`dayOf`) and deleted
 * in one transaction. The delete comes first and is conditioned on what was read, so the counts
 * are exactly those of the rows deleted, and a row changed meanwhile waits for the next batch.
 */
export async function rollUpHelpVisits({ shop, before, take }: Batch, dayOf: (at: Date) => string): Promise<number> {
  const rows = await prisma.helpVisit.findMany({
    where: { shop, startedAt: { lt: before } },
    select: { id: true, startedAt: true, contacted: true },
    take,
  });
  if (rows.length === 0) return 0;
  const days = new Map<string, { visits: number; contacted: number }>();
  for (const row of rows) {
    const day = days.get(dayOf(row.startedAt)) ?? { visits: 0, contacted: 0 };
    day.visits += 1;
    if (row.contacted) day.contacted += 1;
    days.set(dayOf(row.startedAt), day);
  }
  return unlessRolledUpElsewhere(() =>
    prisma.$transaction(async (tx) => {
      let deleted = 0;
      for (const contacted of [true, false]) {
        const ids = rows.filter((r) => r.contacted === contacted).map((r) => r.id);
        if (ids.length > 0)
          deleted += (await tx.helpVisit.deleteMany({ where: { shop, id: { in: ids }, contacted } })).count;
      }
      if (deleted !== rows.length) throw new RolledUpElsewhere();
      for (const [day, counts] of days) {
        await tx.helpVisitDay.upsert({
          where: { shop_day: { shop, day } },
          create: { shop, day, ...counts },
          update: { visits: { increment: counts.visits }, contacted: { increment: counts.contacted } },
        });
      }
      return deleted;
    })
  );
}

/**
 * "Did this help?" votes last changed before `before`: added to their article's counts and
 * deleted, in one transaction.
 */
export async function rollUpFaqVotes({ shop, before, take }: Batch): Promise<number> {
  const rows = await prisma.faqVote.findMany({
    where: { shop, updatedAt: { lt: before } },
    select: { id: true, articleId: true, helpful: true },
    take,
  });
  if (rows.length === 0) return 0;
  const articles = new Map<number, { helpfulVotes: number; notHelpfulVotes: number }>();
  for (const row of rows) {
    const counts = articles.get(row.articleId) ?? { helpfulVotes: 0, notHelpfulVotes: 0 };
    if (row.helpful) counts.helpfulVotes += 1;
    else counts.notHelpfulVotes += 1;
    articles.set(row.articleId, counts);
  }
  return unlessRolledUpElsewhere(() =>
    prisma.$transaction(async (tx) => {
      let deleted = 0;
      for (const helpful of [true, false]) {
        const ids = rows.filter((r) => r.helpful === helpful).map((r) => r.id);
        if (ids.length > 0)
          deleted += (await tx.faqVote.deleteMany({ where: { shop, id: { in: ids }, helpful } })).count;
      }
      if (deleted !== rows.length) throw new RolledUpElsewhere();
      for (const [id, counts] of articles) {
        await tx.faqArticle.updateMany({
          where: { shop, id },
          data: {
            helpfulVotes: { increment: counts.helpfulVotes },
            notHelpfulVotes: { increment: counts.notHelpfulVotes },
          },
        });
      }
      return deleted;
    })
  );
}
