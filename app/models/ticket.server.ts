import type { Prisma } from "@prisma/client";
import { z } from "zod";
import { databaseUrl, isPostgres } from "../db-adapter";
import prisma, { SQL } from "../db.server";
import { foldSearchText, isWholeEmail, normaliseEmail, searchTextOf } from "../utils/search-text";
import { INBOX_SORTS, INBOX_VIEWS, TICKET_CHANNELS, TICKET_STATUSES, type InboxSort, type InboxView } from "../services/tickets/constants";

export { INBOX_SORTS, INBOX_VIEWS };
export type { InboxSort, InboxView };

/**
 * The inbox's queries: views, filters, search, sort and cursor paging over one shop's tickets.
 * Erased tickets are never listed.
 */

export const INBOX_PAGE_SIZE = 50;

const list = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .optional()
    .transform((v) => (v ? v.split(",").filter((x): x is T => (values as readonly string[]).includes(x)) : []));

/** The inbox's URL parameters; anything unknown or malformed falls back to the default. */
export const InboxParams = z.object({
  view: z.enum(INBOX_VIEWS).catch("open"),
  status: list(TICKET_STATUSES).catch([]),
  channel: list(TICKET_CHANNELS).catch([]),
  assignee: z.string().max(64).optional().catch(undefined),
  tag: z.string().trim().toLowerCase().max(40).optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
  sort: z.enum(INBOX_SORTS).catch("activity"),
  after: z.string().max(64).optional().catch(undefined),
  before: z.string().max(64).optional().catch(undefined),
});
export type InboxQuery = z.infer<typeof InboxParams>;

const ACTIVE = ["open", "pending"];

/** What the inbox search looks in (subject, the shopper's name and email, the order); written with each of them. */
export function ticketSearchText(ticket: {
  subject: string;
  customerName: string | null;
  customerEmail: string | null;
  orderName: string | null;
}) {
  return searchTextOf([ticket.subject, ticket.customerName, ticket.customerEmail, ticket.orderName]);
}

export function inboxWhere(shop: string, query: InboxQuery, staffId: string, now: Date): Prisma.TicketWhereInput {
  const and: Prisma.TicketWhereInput[] = [{ shop, redactedAt: null }];
  switch (query.view) {
    case "open":
      and.push({ status: { in: ACTIVE } });
      break;
    case "mine":
      and.push({ status: { in: ACTIVE }, assigneeId: staffId });
      break;
    case "unassigned":
      and.push({ status: { in: ACTIVE }, assigneeId: null });
      break;
    case "overdue":
      and.push({ status: "open", firstResponseAt: null, slaDueAt: { lt: now } });
      break;
    case "solved":
      and.push({ status: { in: ["solved", "closed"] } });
      break;
    case "all":
      break;
  }
  if (query.status.length) and.push({ status: { in: query.status } });
  if (query.channel.length) and.push({ channel: { in: query.channel } });
  if (query.assignee === "none") and.push({ assigneeId: null });
  else if (query.assignee) and.push({ assigneeId: query.assignee });
  if (query.tag) {
    // Tags are stored comma-joined: match a whole tag.
    and.push({ OR: [{ tags: query.tag }, { tags: { startsWith: `${query.tag},` } }, { tags: { endsWith: `,${query.tag}` } }, { tags: { contains: `,${query.tag},` } }] });
  }
  const folded = foldSearchText(query.q ?? "");
  const text = textSearchOf(query);
  if (isWholeEmail(folded)) {
    // A whole address: that shopper's tickets, by the (shop, customerEmail) index; its common
    // trigrams (gmail.com) would make the text search slow on PostgreSQL and find no more.
    and.push({ customerEmail: normaliseEmail(query.q!) });
  } else if (text) {
    const number = /^#?(\d{1,9})$/.exec(text)?.[1];
    // The folded search text, so case and accents match alike on SQLite and PostgreSQL (trigram-indexed there).
    and.push({ OR: [...(number ? [{ number: Number(number) }] : []), { searchText: { contains: text } }] });
  }
  return { AND: and };
}

/** The folded words an inbox search looks for in the search text; none for no search or a whole address (looked up by its index). */
function textSearchOf(query: InboxQuery): string {
  const folded = foldSearchText(query.q ?? "");
  return isWholeEmail(folded) ? "" : folded;
}

function orderFor(sort: InboxSort, view: InboxView): Prisma.TicketOrderByWithRelationInput[] {
  // Overdue tickets come most overdue first, unless asked otherwise.
  if (view === "overdue" && (sort === "activity" || sort === "due")) return [{ slaDueAt: "asc" }, { id: "asc" }];
  switch (sort) {
    case "newest":
      return [{ createdAt: "desc" }, { id: "desc" }];
    case "oldest":
      return [{ createdAt: "asc" }, { id: "asc" }];
    case "due":
      return [{ slaDueAt: "asc" }, { id: "asc" }];
    default:
      return [{ lastMessageAt: "desc" }, { id: "desc" }];
  }
}

const listSelect = {
  id: true,
  number: true,
  subject: true,
  status: true,
  priority: true,
  channel: true,
  assigneeId: true,
  assigneeName: true,
  tags: true,
  customerName: true,
  customerEmail: true,
  customerShopifyId: true,
  orderName: true,
  lastMessageAt: true,
  createdAt: true,
  unread: true,
  firstResponseAt: true,
  slaDueAt: true,
} satisfies Prisma.TicketSelect;

export async function listTickets(shop: string, query: InboxQuery, staffId: string, now = new Date(), take = INBOX_PAGE_SIZE, searchWindow = SEARCH_WINDOW) {
  const where = inboxWhere(shop, query, staffId, now);
  const cursorId = query.before ?? query.after;
  const cursorValid = cursorId ? (await prisma.ticket.count({ where: { AND: [where, { id: cursorId }] } })) === 1 : false;
  const backward = cursorValid && Boolean(query.before);
  const args = {
    where,
    orderBy: orderFor(query.sort, query.view),
    select: listSelect,
    ...(cursorValid ? { cursor: { id: cursorId! }, skip: 1 } : {}),
    take: backward ? -(take + 1) : take + 1,
  } satisfies Prisma.TicketFindManyArgs;
  const rows =
    POSTGRES && textSearchOf(query) ? await searchedPage(args, inboxWhere(shop, { ...query, q: undefined }, staffId, now), searchWindow) : await prisma.ticket.findMany(args);
  const more = rows.length > take;
  const page = backward ? (more ? rows.slice(1) : rows) : rows.slice(0, take);
  const [previews, names] = await Promise.all([lastMessagePreviews(shop, page.map((t) => t.id)), syncedCustomerNames(shop, page)]);
  return {
    tickets: page.map((t) => ({
      ...t,
      // A ticket without a name (a delay notice to a shopper synced later, say) shows the synced customer's.
      customerName: t.customerName ?? names.get(t.customerShopifyId ?? "") ?? names.get(t.customerEmail ?? "") ?? null,
      preview: previews.get(t.id) ?? null,
      overdue: t.status === "open" && !t.firstResponseAt && t.slaDueAt !== null && t.slaDueAt < now,
    })),
    hasNext: backward ? true : more,
    hasPrevious: backward ? more : cursorValid,
  };
}

const POSTGRES = isPostgres(databaseUrl());
/** How far into the view (in its order) a text search looks by the sort's index before it asks the trigram index instead. */
export const SEARCH_WINDOW = 5_000;

/**
 * A page of a text search on PostgreSQL. Left to itself the planner walks the sort's index and
 * filters each row by the text, which is quick when matches are everywhere and takes seconds
 * when they are rare or all old (1,000,000 tickets read for a word only last year's tickets
 * hold), since its estimate cannot know where in time they are. So: the first SEARCH_WINDOW
 * rows of the view are searched by the sort's index (an index range from the cursor's key to
 * that of the row that far on); a full page there is the answer, being the first matches in
 * order. Otherwise the matches are few or old, and the same query runs with index scans off for
 * its transaction, so the trigram index finds them (a bitmap) and they are sorted.
 */
async function searchedPage<Args extends Prisma.TicketFindManyArgs & { take: number; orderBy: Prisma.TicketOrderByWithRelationInput[] }>(
  args: Args,
  unsearched: Prisma.TicketWhereInput,
  window: number,
) {
  const [field, direction] = Object.entries(args.orderBy[0])[0] as [string, "asc" | "desc"];
  // A nullable sort key (the due date) has no one bound that keeps the window's rows.
  if (field === "lastMessageAt" || field === "createdAt") {
    // Which way the page reads the key: a page forward in a newest-first order, or back in an oldest-first one, goes down.
    const down = args.take > 0 === (direction === "desc");
    const key = (row: unknown) => (row as Record<string, Date>)[field];
    // From the cursor's key (ties included: any bound keeps the answer right, the window only bounds the cost).
    const from = args.cursor
      ? await prisma.ticket.findFirst({ where: { AND: [unsearched, { id: args.cursor.id }] }, select: { [field]: true } })
      : null;
    // Prisma's cursor condition is an OR the planner cannot bound an index scan by; this range it can.
    const fromCursor = from ? { [field]: { [down ? "lte" : "gte"]: key(from) } } : {};
    const edge = await prisma.ticket.findFirst({
      where: { AND: [unsearched, fromCursor] } as Prisma.TicketWhereInput,
      orderBy: [{ [field]: down ? "desc" : "asc" }, { id: down ? "desc" : "asc" }],
      skip: window,
      select: { [field]: true },
    });
    const toEdge = edge ? { [field]: { [down ? "gte" : "lte"]: key(edge) } } : {};
    const inWindow = await prisma.ticket.findMany({ ...args, where: { AND: [args.where ?? {}, fromCursor, toEdge] } as Prisma.TicketWhereInput });
    // No edge: the view has no more rows than the window that way, so the window held them all.
    if (!edge || inWindow.length >= Math.abs(args.take)) return inWindow;
  }
  return prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SET LOCAL enable_indexscan = off");
    return tx.ticket.findMany(args);
  });
}

const PREVIEW_CHARS = 160;

/** The start of each ticket's latest message (the shopper's, a reply or a notice; not notes or events), on one line. */
async function lastMessagePreviews(shop: string, ticketIds: string[]): Promise<Map<string, string>> {
  const previews = new Map<string, string>();
  if (ticketIds.length === 0) return previews;
  // One statement: per ticket of the page, one look-up on (shop, ticketId, createdAt) from the end.
  const rows = await prisma.$queryRaw<{ ticketId: string; body: string | null }[]>`
    SELECT t."id" AS "ticketId",
           (SELECT substr(m."body", 1, ${PREVIEW_CHARS * 2}) FROM "TicketMessage" m
             WHERE m."shop" = ${shop} AND m."ticketId" = t."id" AND m."kind" IN ('customer', 'reply', 'notice')
             ORDER BY m."createdAt" DESC, m."id" DESC LIMIT 1) AS "body"
      FROM "Ticket" t
     WHERE t."shop" = ${shop} AND t."id" IN (${SQL.join(ticketIds)})`;
  for (const row of rows) if (row.body) previews.set(row.ticketId, row.body.replace(/\s+/g, " ").trim().slice(0, PREVIEW_CHARS));
  return previews;
}

/** Names of the synced customers behind tickets that carry none, by Shopify id and by email. */
async function syncedCustomerNames(shop: string, tickets: { customerName: string | null; customerShopifyId: string | null; customerEmail: string | null }[]) {
  const nameless = tickets.filter((t) => !t.customerName);
  const ids = [...new Set(nameless.map((t) => t.customerShopifyId).filter((v): v is string => Boolean(v)))];
  const emails = [...new Set(nameless.map((t) => t.customerEmail).filter((v): v is string => Boolean(v)))];
  const names = new Map<string, string>();
  if (ids.length === 0 && emails.length === 0) return names;
  const customers = await prisma.customer.findMany({
    where: { shop, deletedAt: null, redactedAt: null, OR: [{ shopifyId: { in: ids } }, { email: { in: emails } }] },
    select: { shopifyId: true, email: true, firstName: true, lastName: true },
  });
  for (const c of customers) {
    const name = [c.firstName, c.lastName].filter(Boolean).join(" ");
    if (!name) continue;
    names.set(c.shopifyId, name);
    if (c.email) names.set(c.email.toLowerCase(), name);
  }
  return names;
}

/** Tickets named by id that belong to this shop (bulk actions act on these only). */
export async function ownTicketIds(shop: string, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await prisma.ticket.findMany({ where: { shop, id: { in: ids.slice(0, 250) }, redactedAt: null }, select: { id: true } });
  return rows.map((r) => r.id);
}

/** Every tag the shop's tickets have used, for the filter. */
export async function tagsInUse(shop: string): Promise<string[]> {
  const rows = await prisma.ticketTag.findMany({ where: { shop }, orderBy: { name: "asc" }, take: 500, select: { name: true } });
  return rows.map((r) => r.name);
}

/** The shopper's other tickets, newest first. */
export async function pastTickets(shop: string, customerEmail: string | null, exceptId: string) {
  if (!customerEmail) return [];
  return prisma.ticket.findMany({
    where: { shop, customerEmail, redactedAt: null, id: { not: exceptId } },
    orderBy: { createdAt: "desc" },
    take: 10,
    select: { id: true, number: true, subject: true, status: true, createdAt: true },
  });
}

/** Opening a ticket marks it read; true when it was unread (open pages then show one fewer). */
export async function markTicketRead(shop: string, id: string): Promise<boolean> {
  const { count } = await prisma.ticket.updateMany({ where: { shop, id, unread: true }, data: { unread: false } });
  return count > 0;
}

/**
 * The order a ticket is about, only when it is the ticket's own customer's (by the synced
 * customer or the order's email); a number that matches none of theirs comes back unverified.
 */
export async function ticketOrder(
  shop: string,
  ticket: { orderShopifyId: string | null; orderName: string | null; customerShopifyId: string | null; customerEmail: string | null },
): Promise<{ name: string; verified: boolean } | null> {
  if (!ticket.orderName && !ticket.orderShopifyId) return null;
  const owners = [
    ...(ticket.customerShopifyId ? [{ customerShopifyId: ticket.customerShopifyId }] : []),
    ...(ticket.customerEmail ? [{ email: ticket.customerEmail }] : []),
  ];
  const order =
    ticket.orderShopifyId && owners.length > 0
      ? await prisma.order.findFirst({ where: { shop, shopifyId: ticket.orderShopifyId, OR: owners }, select: { name: true } })
      : null;
  if (order) return { name: order.name, verified: true };
  return ticket.orderName ? { name: ticket.orderName, verified: false } : null;
}

/** A customer's tickets (by the synced customer or their email), latest activity first. */
export async function ticketsForCustomer(shop: string, customer: { shopifyId: string; email: string | null }, take = 25) {
  return prisma.ticket.findMany({
    where: {
      shop,
      redactedAt: null,
      OR: [{ customerShopifyId: customer.shopifyId }, ...(customer.email ? [{ customerEmail: customer.email.toLowerCase() }] : [])],
    },
    orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
    take,
    select: { id: true, number: true, subject: true, status: true, lastMessageAt: true },
  });
}

/** Unread tickets still open or pending, counted up to `cap` (the navigation shows "99+" past it), for the Inbox item. */
export function unreadTicketCount(shop: string, cap = 100): Promise<number> {
  return prisma.ticket.count({ where: { shop, unread: true, redactedAt: null, status: { in: ["open", "pending"] } }, take: cap });
}

/**
 * What reached the ticket after the message the agent last saw while writing: another staff
 * member's reply, or the shopper's new message. A reply sent over it needs the agent's say-so.
 */
export async function writtenMeanwhile(shop: string, ticketId: string, afterMessageId: string, staffName: string): Promise<{ by: string; shopper: boolean } | null> {
  // In the timeline's own order (the page's newest entry is where the agent's reading ended).
  const recent = await prisma.ticketMessage.findMany({
    where: { shop, ticketId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 200,
    select: { id: true, kind: true, authorName: true },
  });
  const seenAt = recent.findIndex((m) => m.id === afterMessageId);
  if (seenAt < 0) return null;
  const newer = recent.slice(0, seenAt).find((m) => m.kind === "customer" || (m.kind === "reply" && m.authorName !== staffName));
  if (!newer) return null;
  return { by: newer.kind === "customer" ? "The shopper" : (newer.authorName ?? "Someone"), shopper: newer.kind === "customer" };
}
