import crypto from "node:crypto";
import prisma, { SQL } from "../db.server";
import { coalesce } from "../utils/coalesce";
import { groupBy } from "../utils/group";
import { containsPattern } from "../utils/search-text";

export interface IncomingWebhook {
  shop: string;
  topic: string;
  eventId: string;
  webhookId?: string;
  apiVersion?: string;
  triggeredAt?: Date;
  rawPayload: string;
}

export interface RecordedWebhook {
  id: string;
  duplicate: boolean;
}

interface Pending {
  input: IncomingWebhook;
  resolve: (result: RecordedWebhook) => void;
  reject: (error: unknown) => void;
}

// Deliveries that arrive while a write is in flight are committed together in the
// next transaction: one commit (and one fsync) for many webhooks, each still on
// disk before its 200 is sent.
const MAX_BATCH = 200;
let queue: Pending[] = [];
let writing = false;

async function writeBatch(batch: Pending[]): Promise<void> {
  const receivedAt = new Date();
  const rows = batch.map(({ input }) => ({ id: crypto.randomUUID(), input }));
  const values = rows.map(
    ({ id, input }) =>
      SQL.sql`(${id}, ${input.shop}, ${input.topic}, ${input.eventId}, ${input.webhookId ?? null}, ${input.apiVersion ?? null}, ${input.rawPayload}, ${input.triggeredAt ?? null}, ${receivedAt}, 'received')`,
  );
  // ON CONFLICT DO NOTHING: a redelivered event (same shop and event id) keeps its first row.
  const inserted = await prisma.$queryRaw<{ id: string }[]>`
    INSERT INTO "WebhookEvent" ("id", "shop", "topic", "eventId", "webhookId", "apiVersion", "payload", "triggeredAt", "receivedAt", "status")
    VALUES ${SQL.join(values)}
    ON CONFLICT ("shop", "eventId") DO NOTHING
    RETURNING "id"`;
  const insertedIds = new Set(inserted.map((r) => r.id));
  const firstIdByKey = new Map<string, string>();
  rows.forEach(({ id, input }, index) => {
    const key = `${input.shop}\u0000${input.eventId}`;
    if (insertedIds.has(id)) {
      firstIdByKey.set(key, id);
      batch[index].resolve({ id, duplicate: false });
    }
  });
  // Everything else was already stored, earlier or by another delivery in this batch.
  const missing = rows.filter(({ id }) => !insertedIds.has(id));
  if (missing.length === 0) return;
  const existing = await prisma.webhookEvent.findMany({
    where: { OR: missing.map(({ input }) => ({ shop: input.shop, eventId: input.eventId })) },
    select: { id: true, shop: true, eventId: true },
  });
  const existingIdByKey = new Map(existing.map((e) => [`${e.shop}\u0000${e.eventId}`, e.id]));
  rows.forEach(({ id, input }, index) => {
    if (insertedIds.has(id)) return;
    const key = `${input.shop}\u0000${input.eventId}`;
    const storedId = firstIdByKey.get(key) ?? existingIdByKey.get(key);
    if (storedId) batch[index].resolve({ id: storedId, duplicate: true });
    else batch[index].reject(new Error(`webhook ${input.eventId} was neither stored nor found`));
  });
}

async function flush(): Promise<void> {
  if (writing) return;
  writing = true;
  try {
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(batch.length);
      try {
        await writeBatch(batch);
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
  } finally {
    writing = false;
  }
}

/**
 * Writes a delivery down once per (shop, event id) and resolves when it is on disk.
 * `duplicate` is true when the event was stored before: it is acknowledged but
 * produces nothing further.
 */
export function recordWebhook(input: IncomingWebhook): Promise<RecordedWebhook> {
  return new Promise((resolve, reject) => {
    queue.push({ input, resolve, reject });
    void flush();
  });
}

/** Deliveries written down but not yet processed, across shops, oldest first (for the startup sweep). */
export function unprocessedWebhooks(take: number, skip: number) {
  return prisma.webhookEvent.findMany({
    where: { status: "received" },
    orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
    take,
    skip,
    select: { id: true, shop: true, topic: true },
  });
}

interface ShopRow {
  shop: string;
  id: string;
}

/** Rows named by shop and id, as one `where`: each id matched only within its own shop. */
function inTheirShops(keys: ShopRow[]) {
  return { OR: [...groupBy(keys, (key) => key.shop)].map(([shop, rows]) => ({ shop, id: { in: rows.map((row) => row.id) } })) };
}

// Deliveries processed side by side in one worker are marked done together (app/utils/coalesce.ts).
const markProcessed = coalesce(async (keys: ShopRow[]) => {
  await prisma.webhookEvent.updateMany({ where: inTheirShops(keys), data: { status: "processed", processedAt: new Date(), error: null } });
  return keys.map(() => undefined);
});

/** The delivery's effect is applied (no error), or could not be (the error, written for System health). */
export async function markWebhookProcessed(shop: string, id: string, error?: string): Promise<void> {
  if (error === undefined) return markProcessed({ shop, id });
  await prisma.webhookEvent.updateMany({ where: { shop, id }, data: { status: "failed", error } });
}

export function recentWebhooksForShop(shop: string, take = 50) {
  return prisma.webhookEvent.findMany({
    where: { shop },
    orderBy: { receivedAt: "desc" },
    take,
    select: { id: true, topic: true, eventId: true, status: true, error: true, receivedAt: true, processedAt: true, triggeredAt: true, apiVersion: true },
  });
}

export async function webhookSummaryForShop(shop: string, since: Date) {
  const [received, failed, last] = await Promise.all([
    prisma.webhookEvent.count({ where: { shop, receivedAt: { gte: since } } }),
    prisma.webhookEvent.count({ where: { shop, status: "failed" } }),
    prisma.webhookEvent.findFirst({ where: { shop }, orderBy: { receivedAt: "desc" }, select: { receivedAt: true, topic: true } }),
  ]);
  return { received, failed, last };
}

/**
 * Stored deliveries of a shop whose payload contains any of the terms in any case (a cheap first
 * pass): PostgreSQL's LIKE is case-sensitive, so payload and term are both lowered, and the term's
 * own spelling is tried too (SQLite's lower() folds ASCII only).
 */
export async function webhooksContaining(shop: string, terms: string[]) {
  if (terms.length === 0) return [];
  const matches = terms.flatMap((term) => [
    SQL.sql`"payload" LIKE ${containsPattern(term)} ESCAPE '!'`,
    SQL.sql`lower("payload") LIKE ${containsPattern(term.toLowerCase())} ESCAPE '!'`,
  ]);
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "WebhookEvent" WHERE "shop" = ${shop} AND (${SQL.join(matches, " OR ")})`;
  if (rows.length === 0) return [];
  return prisma.webhookEvent.findMany({
    where: { shop, id: { in: rows.map((r) => r.id) } },
    select: { id: true, topic: true, receivedAt: true, payload: true },
  });
}

export const REDACTED_PAYLOAD = JSON.stringify({ redacted: true });

/** Replaces the payloads (and errors) of these deliveries; topic and times stay, for counts. */
export async function redactWebhookPayloads(shop: string, ids: string[]) {
  if (ids.length === 0) return 0;
  const [{ count }] = await prisma.$transaction([
    prisma.webhookEvent.updateMany({ where: { shop, id: { in: ids } }, data: { payload: REDACTED_PAYLOAD } }),
    // A failure's message may quote the payload.
    prisma.webhookEvent.updateMany({
      where: { shop, id: { in: ids }, error: { not: null } },
      data: { error: "[erased at the customer's request]" },
    }),
  ]);
  return count;
}

// The deliveries that jobs running side by side are about to process, read in one query.
const loadEvents = coalesce(async (keys: ShopRow[]) => {
  const rows = await prisma.webhookEvent.findMany({ where: inTheirShops(keys) });
  const found = new Map(rows.map((row) => [`${row.shop}\u0000${row.id}`, row]));
  return keys.map((key) => found.get(`${key.shop}\u0000${key.id}`) ?? null);
});

export function webhookEventForShop(shop: string, id: string) {
  return loadEvents({ shop, id });
}
