import prisma from "../db.server";

/** Every email the app sends, as sent (or waiting), per shop. */

export interface NewOutboundEmail {
  ticketId?: string | null;
  purpose: string;
  messageId: string;
  inReplyTo?: string | null;
  references?: string[];
  fromAddress: string;
  replyTo?: string | null;
  toAddress: string;
  subject: string;
  text: string;
  html: string;
  language?: string | null;
}

type Db = Pick<typeof prisma, "outboundEmail">;

/** Writes the email down (in the caller's transaction when given one); sending is a job queued after. */
export function createOutboundEmail(shop: string, email: NewOutboundEmail, db: Db = prisma) {
  return db.outboundEmail.create({
    data: { shop, ...email, references: (email.references ?? []).join(" ") },
  });
}

export function outboundEmailForShop(shop: string, id: string) {
  return prisma.outboundEmail.findFirst({ where: { shop, id } });
}

export function outboundEmails(shop: string, options: { status?: string[]; ticketId?: string; take?: number } = {}) {
  return prisma.outboundEmail.findMany({
    where: { shop, ...(options.status ? { status: { in: options.status } } : {}), ...(options.ticketId ? { ticketId: options.ticketId } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.take ?? 50,
  });
}

/** The Message-IDs of a ticket's emails, oldest first: In-Reply-To and References of the next one. */
export async function ticketThreadIds(shop: string, ticketId: string): Promise<string[]> {
  const rows = await prisma.outboundEmail.findMany({
    where: { shop, ticketId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { messageId: true },
  });
  return rows.map((r) => r.messageId);
}

export async function updateOutboundEmail(
  shop: string,
  id: string,
  data: { status?: string; attempts?: number; lastError?: string | null; smtpResponse?: string | null; sentAt?: Date | null },
) {
  await prisma.outboundEmail.updateMany({ where: { shop, id }, data });
}

/** Emails written down but whose send job may not exist (a stop between the two): queued again at start. */
export function queuedEmailIds(take: number, skip: number) {
  return prisma.outboundEmail.findMany({ where: { status: "queued" }, select: { id: true, shop: true }, orderBy: { id: "asc" }, take, skip });
}
