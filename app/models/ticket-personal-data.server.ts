import prisma from "../db.server";
import { containsPattern } from "../utils/search-text";
import type { DataSubject } from "../services/privacy/subject";
import { ERASED_EMAIL } from "./outbound-email.server";

/**
 * Tickets seen as personal data: a shopper's tickets (found by their email or synced customer
 * id), the messages on them and the emails sent to them. Redaction keeps the tickets' numbers,
 * statuses and times for metrics and erases who they were and everything written on them.
 */

const customerGid = (id: string) => (id.startsWith("gid://") ? id : `gid://shopify/Customer/${id}`);

export async function ticketIdsOf(shop: string, subject: DataSubject): Promise<string[]> {
  const or: object[] = [];
  if (subject.email) or.push({ customerEmail: subject.email.toLowerCase() });
  if (subject.customerId) or.push({ customerShopifyId: customerGid(subject.customerId) });
  if (or.length === 0) return [];
  const rows = await prisma.ticket.findMany({ where: { shop, OR: or }, select: { id: true } });
  return rows.map((r) => r.id);
}

export async function ticketsOf(shop: string, subject: DataSubject) {
  const ids = await ticketIdsOf(shop, subject);
  if (ids.length === 0) return [];
  const [tickets, messages, emails, surveys, chats] = await Promise.all([
    prisma.ticket.findMany({ where: { shop, id: { in: ids } }, orderBy: { createdAt: "asc" } }),
    prisma.ticketMessage.findMany({ where: { shop, ticketId: { in: ids }, kind: { in: ["customer", "reply"] } }, orderBy: { createdAt: "asc" } }),
    prisma.outboundEmail.findMany({ where: { shop, ticketId: { in: ids } }, orderBy: { createdAt: "asc" } }),
    prisma.satisfactionSurvey.findMany({ where: { shop, ticketId: { in: ids } } }),
    prisma.chatConversation.findMany({ where: { shop, ticketId: { in: ids } } }),
  ]);
  return tickets.map((t) => ({
    number: t.number,
    subject: t.subject,
    status: t.status,
    createdAt: t.createdAt,
    customerEmail: t.customerEmail,
    customerName: t.customerName,
    orderName: t.orderName,
    messages: messages.filter((m) => m.ticketId === t.id).map((m) => ({ kind: m.kind, from: m.authorName, body: m.body, at: m.createdAt })),
    emails: emails.filter((e) => e.ticketId === t.id).map((e) => ({ to: e.toAddress, subject: e.subject, text: e.text, status: e.status, sentAt: e.sentAt })),
    satisfaction: surveys.filter((v) => v.ticketId === t.id).map((v) => ({ rating: v.rating, comment: v.comment, ratedAt: v.ratedAt }))[0] ?? null,
    // A chat keeps the storefront page they were on and their cart as the panel last read it.
    chat:
      chats
        .filter((c) => c.ticketId === t.id)
        .map((c) => ({ startedAt: c.createdAt, lastActiveAt: c.lastActiveAt, pagePath: c.pagePath, cart: c.cart ? (JSON.parse(c.cart) as unknown) : null, cartAt: c.cartAt }))[0] ?? null,
  }));
}

/**
 * Emails whose recipient is this address in any case ("Name <Asha@Example.com>" too): PostgreSQL's
 * LIKE is case-sensitive, so both sides are lowered; the address's own spelling is tried as well.
 */
async function emailIdsTo(shop: string, email: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "OutboundEmail"
     WHERE "shop" = ${shop}
       AND ("toAddress" LIKE ${containsPattern(email)} ESCAPE '!'
            OR lower("toAddress") LIKE ${containsPattern(email.toLowerCase())} ESCAPE '!')`;
  return rows.map((r) => r.id);
}

export async function redactTickets(shop: string, subject: DataSubject): Promise<number> {
  const ids = await ticketIdsOf(shop, subject);
  // Emails to them on no ticket (check-ins) go too.
  const sentTo = subject.email ? await emailIdsTo(shop, subject.email) : [];
  if (sentTo.length > 0) {
    await prisma.outboundEmail.updateMany({
      where: { shop, id: { in: sentTo } },
      data: ERASED_EMAIL,
    });
  }
  if (ids.length === 0) return 0;
  const erased = "[erased at the customer's request]";
  await prisma.$transaction([
    prisma.ticket.updateMany({
      where: { shop, id: { in: ids } },
      data: {
        customerEmail: null,
        customerName: null,
        customerShopifyId: null,
        subject: erased,
        searchText: "",
        redactedAt: new Date(),
      },
    }),
    // Everything on the thread may quote them: bodies go, the entries stay for counts.
    prisma.ticketMessage.updateMany({ where: { shop, ticketId: { in: ids } }, data: { body: erased, authorName: null, authorEmail: null, eventData: null } }),
    prisma.outboundEmail.updateMany({ where: { shop, ticketId: { in: ids } }, data: ERASED_EMAIL }),
    // The rating stays for the score; what they wrote goes.
    prisma.satisfactionSurvey.updateMany({ where: { shop, ticketId: { in: ids } }, data: { comment: null } }),
    // A chat's link to the visitor's browser and the page they were on go with it.
    prisma.chatConversation.deleteMany({ where: { shop, ticketId: { in: ids } } }),
  ]);
  return ids.length;
}
