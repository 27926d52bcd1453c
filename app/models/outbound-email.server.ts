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
  /** The data request whose export goes with it as an attachment. */
  dataRequestId?: string | null;
}

type Db = Pick<typeof prisma, "outboundEmail">;

const ERASED = "[erased at the customer's request]";

/**
 * customers/redact: what an email to the customer keeps (its kind, status, times, Message-ID)
 * and what goes: who it went to, what it said, and what the mail server answered about them.
 */
export const ERASED_EMAIL = {
  toAddress: "",
  subject: ERASED,
  text: ERASED,
  html: ERASED,
  replyTo: null,
  lastError: null,
  smtpResponse: null,
};

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

/** The emails with these ids (for a list that shows how each is doing). */
export function outboundEmailsByIds(shop: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return prisma.outboundEmail.findMany({
    where: { shop, id: { in: ids } },
    select: { id: true, status: true, toAddress: true, lastError: true, sentAt: true, attempts: true, createdAt: true },
  });
}

/** An email not handed to SMTP yet is not to be sent (the job skips it); false when it was already sent. */
export async function cancelUnsentEmail(shop: string, id: string, db: Db = prisma): Promise<boolean> {
  const { count } = await db.outboundEmail.updateMany({
    where: { shop, id, status: { in: ["queued", "outbox", "failed"] } },
    data: { status: "cancelled" },
  });
  return count === 1;
}

/** A failed email goes back to waiting (its send job is retried now by the caller). */
export async function requeueFailedEmail(shop: string, id: string) {
  await prisma.outboundEmail.updateMany({ where: { shop, id, status: "failed" }, data: { status: "queued" } });
}

/** customers/redact: the emails that carried these data requests' exports. */
export async function eraseDataRequestEmails(shop: string, dataRequestIds: string[]): Promise<number> {
  if (dataRequestIds.length === 0) return 0;
  const { count } = await prisma.outboundEmail.updateMany({
    where: { shop, dataRequestId: { in: dataRequestIds } },
    data: ERASED_EMAIL,
  });
  return count;
}
