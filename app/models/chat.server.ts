import prisma from "../db.server";

/**
 * Storefront chats: a visitor's conversation is a ticket on the "chat" channel, reached through
 * the hash of the visitor's secret and always within one shop.
 */

/** A shopper counts as in the chat while their panel has been heard from this recently (a socket, a poll). */
export const VISITOR_PRESENT_MS = 2 * 60_000;

export interface ChatMessageView {
  id: string;
  from: "shopper" | "agent";
  /** The agent's first name; the shopper's own messages carry none. */
  name: string | null;
  body: string;
  at: string;
}

export interface ConversationRow {
  id: string;
  ticketId: string;
  lastActiveAt: Date;
  agentSeenAt: Date | null;
  visitorSeenAt: Date | null;
}

/** The visitor's conversation still going (its ticket not closed, not erased), newest first. */
export async function currentConversation(shop: string, visitorHash: string): Promise<(ConversationRow & { ticket: ConversationTicket }) | null> {
  const rows = await prisma.chatConversation.findMany({
    where: { shop, visitorHash },
    orderBy: { createdAt: "desc" },
    take: 1,
    select: { id: true, ticketId: true, lastActiveAt: true, agentSeenAt: true, visitorSeenAt: true },
  });
  const row = rows[0];
  if (!row) return null;
  const [ticket, survey] = await Promise.all([
    prisma.ticket.findFirst({
      where: { shop, id: row.ticketId, redactedAt: null, status: { not: "closed" } },
      select: { id: true, number: true, status: true, customerEmail: true, locale: true },
    }),
    prisma.satisfactionSurvey.findFirst({ where: { shop, ticketId: row.ticketId }, select: { id: true, rating: true } }),
  ]);
  return ticket ? { ...row, ticket: { ...ticket, survey } } : null;
}

export interface ConversationTicket {
  id: string;
  number: number;
  status: string;
  customerEmail: string | null;
  locale: string | null;
  /** The satisfaction survey, once the ticket was solved: the panel asks for the rating. */
  survey: { id: string; rating: number | null } | null;
}

const firstName = (name: string | null) => (name ? name.trim().split(/\s+/)[0] ?? null : null);

/** What the shopper sees of the ticket's timeline: their messages and the staff's replies (no notes, no events), oldest first. */
export async function chatMessages(shop: string, ticketId: string, since: Date | null, take = 100): Promise<ChatMessageView[]> {
  const rows = await prisma.ticketMessage.findMany({
    where: { shop, ticketId, kind: { in: ["customer", "reply"] }, ...(since ? { createdAt: { gte: since } } : {}) },
    // Newest `take` when there is no cursor, returned oldest first.
    orderBy: since ? [{ createdAt: "asc" }, { id: "asc" }] : [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: { id: true, kind: true, authorName: true, body: true, createdAt: true },
  });
  if (!since) rows.reverse();
  return rows.map((row) => ({
    id: row.id,
    from: row.kind === "customer" ? "shopper" : "agent",
    name: row.kind === "reply" ? firstName(row.authorName) : null,
    body: row.body,
    at: row.createdAt.toISOString(),
  }));
}

/** Whether the shopper of this chat ticket has their panel open (lately heard from). */
export async function chatVisitorPresent(shop: string, ticketId: string, now = new Date()): Promise<boolean> {
  const row = await prisma.chatConversation.findFirst({ where: { shop, ticketId }, select: { lastActiveAt: true } });
  return !!row && row.lastActiveAt.getTime() >= now.getTime() - VISITOR_PRESENT_MS;
}

/** The chat side of a ticket, for its page in the admin. */
export async function chatOfTicket(shop: string, ticketId: string) {
  return prisma.chatConversation.findFirst({
    where: { shop, ticketId },
    select: { lastActiveAt: true, visitorSeenAt: true, agentSeenAt: true, pagePath: true, cart: true, cartAt: true },
  });
}

export async function touchVisitor(shop: string, conversationId: string, now = new Date(), pagePath?: string | null): Promise<void> {
  await prisma.chatConversation.updateMany({
    where: { shop, id: conversationId },
    data: { lastActiveAt: now, ...(pagePath ? { pagePath } : {}) },
  });
}

export async function markSeenByVisitor(shop: string, conversationId: string, now = new Date()): Promise<void> {
  await prisma.chatConversation.updateMany({ where: { shop, id: conversationId }, data: { visitorSeenAt: now, lastActiveAt: now } });
}

/** Staff opened the chat's ticket: the shopper's messages so far are seen. Answers whether it was a chat. */
export async function markSeenByAgent(shop: string, ticketId: string, lastMessageAt: Date, now = new Date()): Promise<boolean> {
  // Only when something arrived since the last look, so reading the page again tells no one.
  const { count } = await prisma.chatConversation.updateMany({
    where: { shop, ticketId, OR: [{ agentSeenAt: null }, { agentSeenAt: { lt: lastMessageAt } }] },
    data: { agentSeenAt: now },
  });
  return count > 0;
}
