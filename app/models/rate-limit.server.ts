import type { Prisma } from "@prisma/client";
import prisma, { SQL } from "../db.server";

/**
 * Token buckets in the database, so every app process on one database draws on the same limit.
 * One statement per request: a multi-row upsert that refills each bucket for the time since its
 * last request, takes a token when there is one, and answers whether it did. The SQL (CASE, not
 * MIN/MAX or LEAST/GREATEST; numbers, not date arithmetic) is the same on SQLite and PostgreSQL.
 */

export interface BucketRequest {
  /** Already hashed by the caller: the endpoint and the shopper, or the shop's ceiling. */
  key: string;
  /** The burst, and tokens back per minute after it. */
  capacity: number;
  refillPerMinute: number;
}

const TABLE = `"RateLimitBucket"`;
// Milliseconds since the bucket's last request; never negative, should two servers' clocks disagree.
const later = `excluded."updatedMs" > ${TABLE}."updatedMs"`;
const elapsed = `(CASE WHEN ${later} THEN excluded."updatedMs" - ${TABLE}."updatedMs" ELSE 0 END)`;
// The bucket refilled for that time, up to its capacity; then one token less if it had one.
const grown = `${TABLE}."tokens" + ${elapsed} / excluded."refillMs"`;
const refilled = `(CASE WHEN ${grown} > excluded."capacity" THEN excluded."capacity" ELSE ${grown} END)`;
const after = `(CASE WHEN ${refilled} >= 1 THEN ${refilled} - 1 ELSE ${refilled} END)`;
// The bucket's clock only moves forward: a server whose clock is behind cannot hand out a refill twice.
const latest = `(CASE WHEN ${later} THEN excluded."updatedMs" ELSE ${TABLE}."updatedMs" END)`;
const UPSERT_SET = SQL.raw(`
  "tokens" = ${after},
  "allowed" = CASE WHEN ${refilled} >= 1 THEN 1 ELSE 0 END,
  "capacity" = excluded."capacity",
  "refillMs" = excluded."refillMs",
  "fullMs" = ${latest} + (excluded."capacity" - ${after}) * excluded."refillMs",
  "updatedMs" = ${latest}`);

/** The statement for `takeTokens` (its own function so that it can be run on either engine as it is). */
export function takeTokensStatement(shop: string, buckets: BucketRequest[], nowMs: number): Prisma.Sql {
  const values = buckets.map((b) => {
    const refillMs = 60_000 / b.refillPerMinute;
    return SQL.sql`(${shop}, ${b.key}, ${b.capacity - 1}, ${b.capacity}, ${refillMs}, ${nowMs}, ${
      nowMs + refillMs
    }, 1)`;
  });
  return SQL.sql`
    INSERT INTO "RateLimitBucket" ("shop", "key", "tokens", "capacity", "refillMs", "updatedMs", "fullMs", "allowed")
    VALUES ${SQL.join(values)}
    ON CONFLICT ("shop", "key") DO UPDATE SET ${UPSERT_SET}
    RETURNING "key", "allowed"`;
}

/**
 * Takes one token from each of the shop's buckets (all of them charged, none skipped) and answers
 * whether every one had a token. A bucket not seen before starts full.
 */
export async function takeTokens(shop: string, buckets: BucketRequest[], nowMs: number): Promise<boolean> {
  const unique = [...new Map(buckets.map((b) => [b.key, b])).values()];
  if (unique.length === 0) return true;
  const answered = await prisma.$queryRaw<{ key: string; allowed: number | bigint }[]>(
    takeTokensStatement(shop, unique, nowMs)
  );
  return answered.length === unique.length && answered.every((r) => Number(r.allowed) === 1);
}
