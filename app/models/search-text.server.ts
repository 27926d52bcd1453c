import prisma, { SQL } from "../db.server";
import { normaliseEmail, searchTextOf } from "../utils/search-text";
import { customerSearchText } from "./customer.server";
import { ticketSearchText } from "./ticket.server";

/**
 * The backfill of search text for rows written before it existed (searchText NULL), and of lower
 * case for emails synced before they were stored so. A migration cannot run the app's folding
 * (JavaScript), so the search.backfill job does, a batch at a time; every app write since sets
 * it. Only rows still NULL are written, so a row the app writes meanwhile keeps what it wrote, and
 * running a step twice changes nothing more. Across shops (a maintenance pass), walking by row id
 * so each batch starts where the last ended.
 */

export const BACKFILL_TABLES = ["Ticket", "Customer", "FaqTranslation", "Order"] as const;
export type BackfillTable = (typeof BACKFILL_TABLES)[number];

/** One batch of a table after the row id `after`: the last id looked at, null once nothing is left. */
export type BackfillStep = (limit: number, after: string | null) => Promise<string | null>;

const caseById = (rows: { id: string | number; value: string | null }[]) => {
  const whens = rows.map((row) => SQL.sql`WHEN ${row.id} THEN ${row.value}`);
  return SQL.sql`CASE "id" ${SQL.join(whens, " ")} END`;
};
const ids = (rows: { id: string | number }[]) => SQL.join(rows.map((row) => row.id));
const lastId = (rows: { id: string | number }[]) => (rows.length ? String(rows[rows.length - 1].id) : null);

const tickets: BackfillStep = async (limit, after) => {
  const rows = await prisma.ticket.findMany({
    where: { searchText: null, ...(after ? { id: { gt: after } } : {}) },
    select: { id: true, subject: true, customerName: true, customerEmail: true, orderName: true, redactedAt: true },
    orderBy: { id: "asc" },
    take: limit,
  });
  if (rows.length === 0) return null;
  // An erased ticket is never listed: nothing of it is searchable.
  const texts = rows.map((row) => ({ id: row.id, value: row.redactedAt ? "" : ticketSearchText(row) }));
  await prisma.$executeRaw`
    UPDATE "Ticket" SET "searchText" = ${caseById(texts)} WHERE "id" IN (${ids(rows)}) AND "searchText" IS NULL`;
  return lastId(rows);
};

/** Customers get their search text and their email in lower case in one write. */
const customers: BackfillStep = async (limit, after) => {
  const rows = await prisma.customer.findMany({
    where: { searchText: null, ...(after ? { id: { gt: after } } : {}) },
    select: { id: true, firstName: true, lastName: true, email: true, phone: true, deletedAt: true, redactedAt: true },
    orderBy: { id: "asc" },
    take: limit,
  });
  if (rows.length === 0) return null;
  const texts = rows.map((row) => ({
    id: row.id,
    value: row.deletedAt || row.redactedAt ? "" : customerSearchText({ ...row, email: normaliseEmail(row.email) }),
  }));
  const emails = rows.map((row) => ({ id: row.id, value: normaliseEmail(row.email) }));
  await prisma.$executeRaw`
    UPDATE "Customer" SET "searchText" = ${caseById(texts)}, "email" = ${caseById(emails)}
     WHERE "id" IN (${ids(rows)}) AND "searchText" IS NULL`;
  return lastId(rows);
};

const faqTranslations: BackfillStep = async (limit, after) => {
  const rows = await prisma.faqTranslation.findMany({
    where: { searchText: null, ...(after ? { id: { gt: Number(after) } } : {}) },
    select: { id: true, question: true, answer: true },
    orderBy: { id: "asc" },
    take: limit,
  });
  if (rows.length === 0) return null;
  const texts = rows.map((row) => ({ id: row.id, value: searchTextOf([row.question, row.answer]) }));
  await prisma.$executeRaw`
    UPDATE "FaqTranslation" SET "searchText" = ${caseById(texts)}
     WHERE "id" IN (${ids(rows)}) AND "searchText" IS NULL`;
  return lastId(rows);
};

/** Orders whose email has capitals: found by SQL's lower(), lowered by JavaScript's; the walk by id ends either way. */
const orders: BackfillStep = async (limit, after) => {
  const rows = await prisma.$queryRaw<{ id: string; email: string }[]>`
    SELECT "id", "email" FROM "Order"
     WHERE "email" IS NOT NULL AND "email" <> lower("email") ${after ? SQL.sql`AND "id" > ${after}` : SQL.empty}
     ORDER BY "id" LIMIT ${limit}`;
  if (rows.length === 0) return null;
  const changed = rows
    .map((row) => ({ id: row.id, value: normaliseEmail(row.email) }))
    .filter((row, i) => row.value !== rows[i].email);
  if (changed.length > 0) {
    await prisma.$executeRaw`UPDATE "Order" SET "email" = ${caseById(changed)} WHERE "id" IN (${ids(changed)})`;
  }
  return lastId(rows);
};

export const backfillSteps: Record<BackfillTable, BackfillStep> = {
  Ticket: tickets,
  Customer: customers,
  FaqTranslation: faqTranslations,
  Order: orders,
};
