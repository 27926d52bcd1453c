import { simpleParser, type AddressObject } from "mailparser";
import { checkInAnswered } from "../csat/checkins.server";
import { publishTicketChange } from "../live/events.server";
import prisma from "../../db.server";
import { normaliseAddress, shopReceivingMail } from "../../models/support-settings.server";
import { createTicket } from "../tickets/tickets.server";

/**
 * Email from shoppers. The shop is the one whose address received it (the envelope's headers,
 * then To and Cc); within that shop only, a reply lands on its ticket (found by the ticket's
 * reply address, else by In-Reply-To/References to an email the app sent) when its sender is the
 * ticket's shopper, reopening it. Anything else to the shop is a new ticket of that shop, so a
 * stranger quoting a Message-ID reaches nobody's thread. The same email delivered twice is one message.
 */

export type InboundResult =
  | { outcome: "appended"; shop: string; ticketId: string }
  | { outcome: "created"; shop: string; ticketId: string }
  | { outcome: "duplicate"; shop: string; ticketId: string }
  | { outcome: "unroutable"; reason: string }
  | { outcome: "invalid"; reason: string };

const TOKEN = /\+t\.([A-Za-z0-9_-]{8,64})@/;

/** Addresses as written: a ticket's token is case-sensitive; compare mailboxes in lower case. */
function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((a) => a.value.map((v) => v.address ?? "")).filter(Boolean);
}

/** The shopper's own words: quoted history and signatures of mail clients cut off. */
export function newTextOf(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const kept: string[] = [];
  for (const line of lines) {
    // "On Tue, … wrote:" (and the same in other languages ending with a colon after an address or "wrote").
    if (/^\s*(On|Am|Le|El|Il|Op|Em|Pe|Tarihinde|Kuupäeval)\b.*(wrote|schrieb|écrit|escribió|scritto|schreef|escreveu|scris|yazdı|kirjutas).*:\s*$/i.test(line)) break;
    if (/^-{2,}\s*Original Message\s*-{2,}/i.test(line)) break;
    if (/^>/.test(line)) continue;
    kept.push(line);
  }
  return kept.join("\n").trim();
}

const htmlToText = (html: string) =>
  html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/p>/gi, "\n\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

/** The ticket a reply names, looked for in the receiving shop only. */
async function ticketFor(shop: string, recipients: string[], references: string[]) {
  for (const address of recipients) {
    const token = TOKEN.exec(address)?.[1];
    if (!token) continue;
    const ticket = await prisma.ticket.findFirst({ where: { shop, replyToken: token, redactedAt: null } });
    if (ticket) return ticket;
  }
  if (references.length) {
    const sent = await prisma.outboundEmail.findFirst({ where: { shop, messageId: { in: references }, ticketId: { not: null } }, orderBy: { createdAt: "desc" } });
    if (sent?.ticketId) {
      const ticket = await prisma.ticket.findFirst({ where: { shop, id: sent.ticketId, redactedAt: null } });
      if (ticket) return ticket;
    }
  }
  return null;
}

/** Every value of a header that may appear several times (each hop adds its Delivered-To on top). */
function headerAddresses(raw: Buffer | string, name: string): string[] {
  const text = typeof raw === "string" ? raw : raw.toString("utf8", 0, Math.min(raw.length, 256 * 1024));
  const head = text.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, " ");
  const pattern = new RegExp(`^${name}:[ \\t]*(.*)$`, "gim");
  return [...head.matchAll(pattern)].flatMap((m) => m[1].split(",")).map((v) => (/<([^>]+)>/.exec(v)?.[1] ?? v).trim()).filter((v) => v.includes("@"));
}

export async function receiveInboundEmail(raw: Buffer | string): Promise<InboundResult> {
  let mail;
  try {
    mail = await simpleParser(raw);
  } catch {
    return { outcome: "invalid", reason: "The body is not an email message." };
  }
  const from = addresses(mail.from)[0] ? normaliseAddress(addresses(mail.from)[0]) : undefined;
  if (!from) return { outcome: "invalid", reason: "The email has no sender address." };
  // Where it was delivered first (the receiving servers write the envelope's recipient), then who it was written to.
  const recipients = [...headerAddresses(raw, "X-Original-To"), ...headerAddresses(raw, "Delivered-To"), ...addresses(mail.to), ...addresses(mail.cc)];
  const references = [mail.inReplyTo, ...(Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : [])].filter(
    (r): r is string => typeof r === "string" && r.length > 0,
  );
  const messageId = mail.messageId ?? null;
  const fullText = mail.text ?? (typeof mail.html === "string" ? htmlToText(mail.html) : "");
  const body = (newTextOf(fullText) || fullText.trim()).slice(0, 20_000);
  const senderName = mail.from?.value[0]?.name || null;

  const receiving = await shopReceivingMail(recipients);
  if (!receiving) return { outcome: "unroutable", reason: "No shop receives mail at this address." };
  const shop = receiving.shop;

  const named = await ticketFor(shop, recipients, references);
  // Only the ticket's own shopper continues its thread; anyone else writes a ticket of their own.
  const ticket = named && named.customerEmail && normaliseAddress(named.customerEmail) === from ? named : null;
  if (ticket) {
    if (messageId) {
      const seen = await prisma.ticketMessage.findFirst({ where: { shop, ticketId: ticket.id, messageId }, select: { id: true } });
      if (seen) return { outcome: "duplicate", shop, ticketId: ticket.id };
    }
    if (ticket.status === "closed") {
      // A closed ticket stays closed: the reply starts a new one.
      return newTicket(shop, from, senderName, mail.subject ?? ticket.subject, body, messageId);
    }
    const now = new Date();
    await prisma.$transaction([
      prisma.ticketMessage.create({
        data: { shop, ticketId: ticket.id, kind: "customer", authorName: senderName ?? ticket.customerName, authorEmail: from, body: body || "(no text)", messageId, createdAt: now },
      }),
      prisma.ticket.updateMany({
        where: { shop, id: ticket.id },
        data: { lastMessageAt: now, unread: true, status: "open", solvedAt: null },
      }),
      ...(ticket.status !== "open"
        ? [
            prisma.ticketMessage.create({
              data: { shop, ticketId: ticket.id, kind: "event", event: "status_changed", eventData: JSON.stringify({ from: ticket.status, to: "open", by: "Customer's reply" }), body: "" },
            }),
          ]
        : []),
    ]);
    await publishTicketChange(shop, "ticket.message", ticket.id);
    return { outcome: "appended", shop, ticketId: ticket.id };
  }

  if (messageId) {
    const seen = await prisma.ticketMessage.findFirst({ where: { shop, messageId }, select: { ticketId: true } });
    if (seen) return { outcome: "duplicate", shop, ticketId: seen.ticketId };
  }
  // A reply to this shop's post-purchase check-in, from the shopper it went to: a new ticket about that order.
  const checkIn = await checkInAnswered(shop, from, references);
  return newTicket(shop, from, senderName, mail.subject ?? "", body, messageId, checkIn?.orderName);
}

async function newTicket(shop: string, from: string, name: string | null, subject: string, body: string, messageId: string | null, orderName?: string): Promise<InboundResult> {
  const result = await createTicket(shop, {
    orderName,
    subject: subject.trim().slice(0, 200) || "(no subject)",
    body: body || "(no text)",
    channel: "email",
    customerEmail: from,
    customerName: name?.slice(0, 200) || undefined,
  });
  if ("errors" in result) return { outcome: "invalid", reason: Object.values(result.errors)[0] };
  if (messageId) await prisma.ticketMessage.updateMany({ where: { shop, ticketId: result.ticket.id, kind: "customer" }, data: { messageId } });
  return { outcome: "created", shop, ticketId: result.ticket.id };
}
