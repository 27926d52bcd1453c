import crypto from "node:crypto";
import { z } from "zod";
import type { Prisma } from "@prisma/client";
import prisma, { isUniqueViolation } from "../../db.server";
import { publishTicketChange } from "../live/events.server";
import { env } from "../../env.server";
import { ticketThreadIds } from "../../models/outbound-email.server";
import { supportSettings, type ResolvedSettings } from "../../models/support-settings.server";
import { ticketSearchText } from "../../models/ticket.server";
import { addBusinessHours } from "../support/business-hours";
import { enqueueSend, newMessageId } from "../email/send.server";
import { createOutboundEmail, type NewOutboundEmail } from "../../models/outbound-email.server";
import { formatAddress, replyAddressFor, textToHtml, withSignature } from "../email/render";
import { acknowledgementText, supportedLanguage } from "./auto-ack-text";
import { placeholderText, placeholdersIn } from "../../utils/placeholders";
import { SURVEY_TEXT, fillText } from "../csat/text";
import { surveyToken } from "../csat/token.server";
import { chatMessages, chatVisitorPresent } from "../../models/chat.server";
import { TRANSCRIPT_TEXT } from "../chat/transcript-text";

/**
 * Tickets: a shopper's question and its timeline (their messages, staff replies sent by email,
 * internal notes, system events). Every function takes the shop and finds nothing of another's.
 */

import { TICKET_CHANNELS, TICKET_PRIORITIES, TICKET_STATUSES } from "./constants";

export { TICKET_CHANNELS, TICKET_PRIORITIES, TICKET_STATUSES };
export type { TicketChannel, TicketStatus } from "./constants";

export interface Staff {
  id: string;
  name: string;
}

export type FieldErrors = Record<string, string>;

function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
  return errors;
}

const NewTicketSchema = z.object({
  subject: z.string().trim().min(1, "Add a subject.").max(200, "Keep the subject under 200 characters."),
  body: z.string().trim().min(1, "Write the message.").max(20_000, "Keep the message under 20,000 characters."),
  channel: z.enum(TICKET_CHANNELS),
  customerEmail: z.string().trim().toLowerCase().email("Enter a valid email address.").max(254),
  customerName: z.string().trim().max(200, "Keep the name under 200 characters.").optional().transform((v) => v || null),
  locale: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, "Not a language code.")
    .optional()
    .transform((v) => v || null),
  orderName: z
    .string()
    .trim()
    .max(40)
    .optional()
    .transform((v) => (v ? (v.startsWith("#") ? v : `#${v}`) : null)),
  priority: z.enum(TICKET_PRIORITIES).default("normal"),
});

export type NewTicketInput = z.input<typeof NewTicketSchema>;

/**
 * Writes a new ticket under the shop's next number, in one transaction with whatever `write`
 * adds; two tickets created at once collide on the unique (shop, number) and the loser retries.
 */
export async function createNumberedTicket<T>(shop: string, write: (tx: Prisma.TransactionClient, number: number) => Promise<T>): Promise<T> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await prisma.$transaction(async (tx) => {
        const last = await tx.ticket.findFirst({ where: { shop }, orderBy: { number: "desc" }, select: { number: true } });
        return write(tx, (last?.number ?? 0) + 1);
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  throw new Error("could not number the ticket");
}

/** A new ticket with its first message; the shopper is matched to the synced customer by email, the order by name and email. */
export async function createTicket(shop: string, input: NewTicketInput, staff?: Staff): Promise<{ ticket: { id: string; number: number } } | { errors: FieldErrors }> {
  const parsed = NewTicketSchema.safeParse(input);
  if (!parsed.success) return { errors: fieldErrors(parsed.error) };
  const data = parsed.data;
  const settings = await supportSettings(shop);
  const customer = await prisma.customer.findFirst({
    where: { shop, email: data.customerEmail, deletedAt: null, redactedAt: null },
    select: { shopifyId: true, firstName: true, lastName: true, locale: true },
  });
  // The order counts only when it is this shopper's: number and email must both match.
  const order = data.orderName
    ? await prisma.order.findFirst({
        where: {
          shop,
          name: data.orderName,
          OR: [{ email: data.customerEmail }, ...(customer ? [{ customerShopifyId: customer.shopifyId }] : [])],
        },
        select: { shopifyId: true, name: true, customerLocale: true },
      })
    : null;
  // Staff link an order only to its own customer; a shopper's claim that matches none of their
  // orders is kept as text, never linked (the ticket page says so).
  if (data.orderName && !order && data.channel === "staff") {
    return { errors: { orderName: `${data.orderName.slice(0, 40)} is not one of this customer's orders.` } };
  }
  const now = new Date();
  const name = data.customerName ?? ([customer?.firstName, customer?.lastName].filter(Boolean).join(" ") || null);
  const locale = data.locale ?? customer?.locale ?? order?.customerLocale ?? null;

  const orderName = order?.name ?? data.orderName;
  const searchText = ticketSearchText({ ...data, customerName: name, orderName });
  const ticket = await createNumberedTicket(shop, async (tx, number) => {
    const created = await tx.ticket.create({
      data: {
        shop,
        number,
        subject: data.subject,
        channel: data.channel,
        priority: data.priority,
        customerEmail: data.customerEmail,
        customerName: name,
        customerShopifyId: customer?.shopifyId ?? null,
        locale,
        orderShopifyId: order?.shopifyId ?? null,
        orderName,
        searchText,
        replyToken: crypto.randomBytes(12).toString("base64url"),
        createdAt: now,
        lastMessageAt: now,
        slaDueAt: addBusinessHours(now, settings.responseTimeHours, settings.schedule, settings.timeZone),
      },
      select: { id: true, number: true },
    });
    await tx.ticketMessage.create({
      data: {
        shop,
        ticketId: created.id,
        kind: "customer",
        authorName: name,
        authorEmail: data.customerEmail,
        body: data.body,
        createdAt: now,
      },
    });
    if (staff) {
      await tx.ticketMessage.create({
        data: { shop, ticketId: created.id, kind: "event", event: "created_by_staff", eventData: JSON.stringify({ by: staff.name }), body: "", createdAt: now },
      });
    }
    return created;
  });
  await publishTicketChange(shop, "ticket.created", ticket.id);
  if (settings.autoAcknowledge && (data.channel === "storefront" || data.channel === "email")) {
    await sendAcknowledgement(shop, ticket.id, settings);
  }
  return { ticket };
}

async function loadTicket(shop: string, id: string) {
  return prisma.ticket.findFirst({ where: { shop, id, redactedAt: null } });
}

type TicketRow = NonNullable<Awaited<ReturnType<typeof loadTicket>>>;

/** An email on the ticket's thread: threaded after its earlier emails, answered to its own address. */
async function threadEmail(shop: string, ticket: TicketRow, settings: ResolvedSettings, purpose: string, subject: string, text: string, language: string): Promise<NewOutboundEmail | null> {
  if (!ticket.customerEmail) return null;
  const thread = await ticketThreadIds(shop, ticket.id);
  return {
    ticketId: ticket.id,
    purpose,
    messageId: newMessageId(settings.fromEmail),
    inReplyTo: thread[thread.length - 1] ?? null,
    references: thread,
    fromAddress: formatAddress(settings.fromName, settings.fromEmail),
    replyTo: formatAddress(settings.fromName, replyAddressFor(settings.fromEmail, ticket.replyToken)),
    toAddress: formatAddress(ticket.customerName, ticket.customerEmail),
    subject,
    text,
    html: textToHtml(text),
    language,
  };
}

/** The immediate "we got it" email, once per ticket, in the shopper's language. */
export async function sendAcknowledgement(shop: string, ticketId: string, settings?: ResolvedSettings) {
  const ticket = await loadTicket(shop, ticketId);
  if (!ticket || !ticket.customerEmail || !ticket.slaDueAt) return null;
  const existing = await prisma.outboundEmail.findFirst({ where: { shop, ticketId, purpose: "auto_ack" }, select: { id: true } });
  if (existing) return null;
  const resolved = settings ?? (await supportSettings(shop));
  const language = supportedLanguage(ticket.locale, resolved.shopLocale);
  const firstName = ticket.customerName?.split(/\s+/)[0] ?? null;
  const { subject, text } = acknowledgementText({
    language,
    name: firstName,
    subject: ticket.subject,
    number: ticket.number,
    due: ticket.slaDueAt,
    timeZone: resolved.timeZone,
    shopName: resolved.shopName,
  });
  const draft = await threadEmail(shop, ticket, resolved, "auto_ack", subject, withSignature(text, resolved.signature), language);
  if (!draft) return null;
  // The email and its line on the timeline are written together; the send is queued after
  // (and again at start, should the process stop in between).
  const email = await prisma.$transaction(async (tx) => {
    const row = await createOutboundEmail(shop, draft, tx);
    await tx.ticketMessage.create({
      data: { shop, ticketId, kind: "event", event: "acknowledged", eventData: JSON.stringify({ language }), body: "", emailId: row.id },
    });
    return row;
  });
  await publishTicketChange(shop, "ticket.message", ticketId);
  await enqueueSend(shop, email.id);
  return email;
}

const ReplySchema = z.object({
  body: z
    .string()
    .trim()
    .min(1, "Write a reply.")
    .max(20_000, "Keep the reply under 20,000 characters.")
    .superRefine((body, ctx) => {
      // A placeholder is never sent as written: canned replies arrive in the box already filled.
      const { known, unknown } = placeholdersIn(body);
      const left = [...known.map(placeholderText), ...unknown];
      if (left.length === 0) return;
      const words = "with the words to send: placeholders are filled only in canned replies.";
      ctx.addIssue({ code: "custom", message: `Replace ${left.join(", ")} ${words}` });
    }),
  status: z.enum(TICKET_STATUSES).default("pending"),
});

/** A staff reply: on the timeline, emailed to the shopper, and the ticket waits on them (or the status chosen). */
export async function replyToTicket(shop: string, ticketId: string, staff: Staff, input: { body: unknown; status?: unknown }) {
  const parsed = ReplySchema.safeParse(input);
  if (!parsed.success) return { errors: fieldErrors(parsed.error) } as const;
  const ticket = await loadTicket(shop, ticketId);
  if (!ticket) return { notFound: true } as const;
  const now = new Date();
  // A chat's reply reaches the shopper in the chat; by email as well once they have left it (and gave one).
  const emailIt = ticket.channel !== "chat" || !(await chatVisitorPresent(shop, ticketId, now));
  if (!ticket.customerEmail && (ticket.channel !== "chat" || emailIt)) {
    const reason = ticket.channel === "chat" ? "The shopper has left the chat and gave no email address to reply to." : "This ticket has no email address to reply to.";
    return { errors: { body: reason } } as const;
  }
  const settings = await supportSettings(shop);
  const text = withSignature(parsed.data.body, settings.signature);
  const subject = /^re:/i.test(ticket.subject) ? ticket.subject : `Re: ${ticket.subject}`;
  const draft = emailIt ? await threadEmail(shop, ticket, settings, "reply", subject, text, supportedLanguage(ticket.locale, settings.shopLocale)) : null;
  // Reply, email and ticket change land together; the send is queued once they have.
  const email = await prisma.$transaction(async (tx) => {
    const row = draft ? await createOutboundEmail(shop, draft, tx) : null;
    await tx.ticketMessage.create({
      data: { shop, ticketId, kind: "reply", authorName: staff.name, authorEmail: null, body: parsed.data.body, emailId: row?.id ?? null, createdAt: now },
    });
    await tx.ticket.updateMany({
      where: { shop, id: ticketId },
      data: { lastMessageAt: now, unread: false, firstResponseAt: ticket.firstResponseAt ?? now, assigneeId: ticket.assigneeId ?? staff.id, assigneeName: ticket.assigneeName ?? staff.name },
    });
    return row;
  });
  await publishTicketChange(shop, "ticket.message", ticketId);
  if (email) await enqueueSend(shop, email.id);
  if (parsed.data.status !== ticket.status) await setTicketStatus(shop, ticketId, parsed.data.status, staff);
  return { ok: true, emailId: email?.id ?? null } as const;
}

const NoteSchema = z.object({ body: z.string().trim().min(1, "Write the note.").max(20_000, "Keep the note under 20,000 characters.") });

/** An internal note: staff only, never emailed. */
export async function addNote(shop: string, ticketId: string, staff: Staff, input: { body: unknown }) {
  const parsed = NoteSchema.safeParse(input);
  if (!parsed.success) return { errors: fieldErrors(parsed.error) } as const;
  const ticket = await loadTicket(shop, ticketId);
  if (!ticket) return { notFound: true } as const;
  await prisma.ticketMessage.create({ data: { shop, ticketId, kind: "note", authorName: staff.name, body: parsed.data.body } });
  await publishTicketChange(shop, "ticket.message", ticketId);
  return { ok: true } as const;
}

async function recordEvent(shop: string, ticketId: string, event: string, data: Record<string, unknown>) {
  await prisma.ticketMessage.create({ data: { shop, ticketId, kind: "event", event, eventData: JSON.stringify(data), body: "" } });
  // Every change of status, assignee, tags or priority is written as an event: one place to tell open pages.
  await publishTicketChange(shop, "ticket.updated", ticketId);
}

export async function setTicketStatus(shop: string, ticketId: string, status: unknown, staff: Staff) {
  const parsed = z.enum(TICKET_STATUSES).safeParse(status);
  if (!parsed.success) return { errors: { status: "Choose open, pending, solved or closed." } } as const;
  const ticket = await loadTicket(shop, ticketId);
  if (!ticket) return { notFound: true } as const;
  if (ticket.status === parsed.data) return { ok: true } as const;
  const now = new Date();
  await prisma.ticket.updateMany({
    where: { shop, id: ticketId },
    data: {
      status: parsed.data,
      solvedAt: parsed.data === "solved" || parsed.data === "closed" ? (ticket.solvedAt ?? now) : null,
      closedAt: parsed.data === "closed" ? now : null,
    },
  });
  await recordEvent(shop, ticketId, "status_changed", { from: ticket.status, to: parsed.data, by: staff.name });
  if (parsed.data === "solved") await sendSurvey(shop, ticketId);
  return { ok: true } as const;
}

/** Where survey links point: the shop's storefront, whose App Proxy reaches the app. */
async function storefrontBase(shop: string): Promise<string> {
  const configured = env().STOREFRONT_URL;
  if (configured) return configured.replace(/\/+$/, "");
  const profile = await prisma.shop.findUnique({ where: { shop }, select: { storefrontUrl: true } });
  return (profile?.storefrontUrl ?? `https://${shop}`).replace(/\/+$/, "");
}

/**
 * The satisfaction survey, once per ticket ever: a 1–5 rating by one click on a signed link,
 * in the shopper's language, on the ticket's thread. Only tickets a shopper wrote on get one.
 */
export async function sendSurvey(shop: string, ticketId: string) {
  const settings = await supportSettings(shop);
  if (!settings.csatEnabled) return null;
  const ticket = await loadTicket(shop, ticketId);
  if (!ticket) return null;
  // A chat asks in the panel (the shopper is there, or sees it when they come back); by email
  // too once they have left it and gave an address.
  const inChat = ticket.channel === "chat" && (!ticket.customerEmail || (await chatVisitorPresent(shop, ticketId)));
  if (!ticket.customerEmail && !inChat) return null;
  const asked = await prisma.ticketMessage.findFirst({ where: { shop, ticketId, kind: "customer" }, select: { id: true } });
  if (!asked || (await prisma.satisfactionSurvey.findFirst({ where: { shop, ticketId }, select: { id: true } }))) return null;
  const language = supportedLanguage(ticket.locale, settings.shopLocale);
  if (inChat) {
    try {
      await prisma.$transaction([
        prisma.satisfactionSurvey.create({ data: { shop, ticketId } }),
        prisma.ticketMessage.create({ data: { shop, ticketId, kind: "event", event: "survey_sent", eventData: JSON.stringify({ language, in: "chat" }), body: "" } }),
      ]);
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
    // An update, so the shopper's open panel is sent the conversation with its survey.
    await publishTicketChange(shop, "ticket.updated", ticketId);
    return null;
  }
  if (!ticket.customerEmail) return null;
  const text = SURVEY_TEXT[language];
  const base = await storefrontBase(shop);
  const firstName = ticket.customerName?.split(/\s+/)[0] ?? null;
  // The id is chosen here so the signed links can be written before the transaction opens.
  const surveyId = crypto.randomBytes(16).toString("base64url");
  const token = surveyToken(shop, surveyId);
  const links = text.ratings.map((label, i) => `${i + 1} – ${label}: ${base}/apps/support/csat?s=${token}&r=${i + 1}`).join("\n");
  const body = [
    firstName ? fillText(text.greeting, { name: firstName }) : text.greetingNoName,
    fillText(text.ask, { subject: ticket.subject, number: ticket.number }),
    links,
    fillText(text.closing, { shop: settings.shopName }),
  ].join("\n\n");
  const draft = await threadEmail(shop, ticket, settings, "csat", fillText(text.subject, { subject: ticket.subject }), withSignature(body, settings.signature), language);
  if (!draft) return null;
  let email: { id: string } | null = null;
  try {
    email = await prisma.$transaction(async (tx) => {
      const row = await createOutboundEmail(shop, draft, tx);
      await tx.satisfactionSurvey.create({ data: { id: surveyId, shop, ticketId, emailId: row.id } });
      await tx.ticketMessage.create({ data: { shop, ticketId, kind: "event", event: "survey_sent", eventData: JSON.stringify({ language }), body: "", emailId: row.id } });
      return row;
    });
  } catch (error) {
    // Solved twice at once: the other one sent it.
    if (isUniqueViolation(error)) return null;
    throw error;
  }
  if (email) {
    await publishTicketChange(shop, "ticket.message", ticketId);
    await enqueueSend(shop, email.id);
  }
  return email;
}

/** A chat's messages so far, emailed to the shopper at their request (from the panel), in their language. */
export async function sendChatTranscript(shop: string, ticketId: string) {
  const ticket = await loadTicket(shop, ticketId);
  if (!ticket?.customerEmail || ticket.channel !== "chat") return null;
  const settings = await supportSettings(shop);
  const language = supportedLanguage(ticket.locale, settings.shopLocale);
  const text = TRANSCRIPT_TEXT[language];
  const when = new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short", timeZone: settings.timeZone });
  const lines = (await chatMessages(shop, ticketId, null, 500)).map(
    (m) => `${when.format(new Date(m.at))} · ${m.from === "shopper" ? text.you : (m.name ?? text.team)}\n${m.body}`,
  );
  const body = [fillText(text.intro, { shop: settings.shopName, number: ticket.number }), ...lines, text.closing, settings.shopName].join("\n\n");
  const draft = await threadEmail(shop, ticket, settings, "chat_transcript", fillText(text.subject, { shop: settings.shopName }), withSignature(body, settings.signature), language);
  if (!draft) return null;
  const email = await prisma.$transaction(async (tx) => {
    const row = await createOutboundEmail(shop, draft, tx);
    await tx.ticketMessage.create({ data: { shop, ticketId, kind: "event", event: "transcript_sent", eventData: JSON.stringify({ language }), body: "", emailId: row.id } });
    return row;
  });
  await publishTicketChange(shop, "ticket.message", ticketId);
  await enqueueSend(shop, email.id);
  return email;
}

export async function assignTicket(shop: string, ticketId: string, assignee: Staff | null, staff: Staff) {
  const ticket = await loadTicket(shop, ticketId);
  if (!ticket) return { notFound: true } as const;
  if ((ticket.assigneeId ?? null) === (assignee?.id ?? null)) return { ok: true } as const;
  await prisma.ticket.updateMany({ where: { shop, id: ticketId }, data: { assigneeId: assignee?.id ?? null, assigneeName: assignee?.name ?? null } });
  await recordEvent(shop, ticketId, "assigned", { to: assignee?.name ?? null, by: staff.name });
  return { ok: true } as const;
}

/** Tags: lower case, letters, digits, spaces, - and _, at most 20 of 40 characters. */
export function normalizeTags(input: unknown): { tags: string[] } | { error: string } {
  const raw = Array.isArray(input) ? input : typeof input === "string" ? input.split(",") : null;
  if (!raw) return { error: "Give tags separated by commas." };
  const tags = [...new Set(raw.map((t) => String(t).trim().toLowerCase()).filter(Boolean))];
  if (tags.length > 20) return { error: "Use at most 20 tags." };
  const bad = tags.find((t) => t.length > 40 || !/^[\p{L}\p{N} _-]+$/u.test(t));
  if (bad) return { error: `“${bad.slice(0, 40)}” is not a tag: use letters, digits, spaces, - and _ (up to 40).` };
  return { tags };
}

export async function setTicketTags(shop: string, ticketId: string, input: unknown, staff: Staff) {
  const normalized = normalizeTags(input);
  if ("error" in normalized) return { errors: { tags: normalized.error } } as const;
  const ticket = await loadTicket(shop, ticketId);
  if (!ticket) return { notFound: true } as const;
  const tags = normalized.tags.join(",");
  if (tags === ticket.tags) return { ok: true } as const;
  await prisma.$transaction([
    prisma.ticket.updateMany({ where: { shop, id: ticketId }, data: { tags } }),
    ...normalized.tags.map((name) => prisma.ticketTag.upsert({ where: { shop_name: { shop, name } }, create: { shop, name }, update: {} })),
  ]);
  await recordEvent(shop, ticketId, "tagged", { tags: normalized.tags, by: staff.name });
  return { ok: true } as const;
}

/** A ticket with its whole timeline and its emails, or null (another shop's, unknown, erased). */
export async function ticketWithThread(shop: string, id: string) {
  const ticket = await loadTicket(shop, id);
  if (!ticket) return null;
  const [messages, emails] = await Promise.all([
    prisma.ticketMessage.findMany({ where: { shop, ticketId: id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
    prisma.outboundEmail.findMany({ where: { shop, ticketId: id }, orderBy: { createdAt: "asc" } }),
  ]);
  return { ticket, messages, emails };
}

/** Bulk: adds one tag to each of these tickets (of this shop only). */
export async function addTagToTickets(shop: string, ids: string[], tag: unknown, staff: Staff) {
  const normalized = normalizeTags([String(tag ?? "")]);
  if ("error" in normalized) return { errors: { tag: normalized.error } } as const;
  if (normalized.tags.length === 0) return { errors: { tag: "Enter a tag." } } as const;
  const rows = await prisma.ticket.findMany({ where: { shop, id: { in: ids }, redactedAt: null }, select: { id: true, tags: true } });
  for (const row of rows) await setTicketTags(shop, row.id, [...row.tags.split(",").filter(Boolean), normalized.tags[0]], staff);
  return { ok: true, count: rows.length, tag: normalized.tags[0] } as const;
}

export async function setTicketPriority(shop: string, ticketId: string, priority: unknown, staff: Staff) {
  const parsed = z.enum(TICKET_PRIORITIES).safeParse(priority);
  if (!parsed.success) return { errors: { priority: "Choose low, normal, high or urgent." } } as const;
  const ticket = await loadTicket(shop, ticketId);
  if (!ticket) return { notFound: true } as const;
  if (ticket.priority === parsed.data) return { ok: true } as const;
  await prisma.ticket.updateMany({ where: { shop, id: ticketId }, data: { priority: parsed.data } });
  await recordEvent(shop, ticketId, "priority_changed", { from: ticket.priority, to: parsed.data, by: staff.name });
  return { ok: true } as const;
}

export interface OrderNotice {
  /** Written on the timeline entry, so a retry can tell the notice was already posted. */
  noticeId: string;
  orderShopifyId: string;
  orderName: string;
  customerEmail: string;
  customerName: string | null;
  customerShopifyId: string | null;
  locale: string;
  subject: string;
  text: string;
}

/**
 * A message the shop sends about an order without being asked (a delay notice): written on the
 * order's latest ticket that is not closed (a solved one goes back to pending), or a new one
 * (channel delay_notice, waiting on the shopper, no SLA), with its email in the same transaction,
 * so a shopper's reply lands on that thread. The send is queued after.
 */
export async function postOrderNotice(shop: string, notice: OrderNotice): Promise<{ ticketId: string; emailId: string }> {
  const settings = await supportSettings(shop);
  const now = new Date();
  let ticket = await prisma.ticket.findFirst({
    where: { shop, orderShopifyId: notice.orderShopifyId, redactedAt: null, status: { not: "closed" } },
    orderBy: { lastMessageAt: "desc" },
  });
  const customerEmail = notice.customerEmail.toLowerCase();
  const searchText = ticketSearchText({ ...notice, customerEmail });
  ticket ??= await createNumberedTicket(shop, (tx, number) =>
    tx.ticket.create({
      data: {
        shop,
        number,
        subject: notice.subject,
        status: "pending",
        channel: "delay_notice",
        customerEmail,
        customerName: notice.customerName,
        customerShopifyId: notice.customerShopifyId,
        locale: notice.locale,
        orderShopifyId: notice.orderShopifyId,
        orderName: notice.orderName,
        searchText,
        replyToken: crypto.randomBytes(12).toString("base64url"),
        createdAt: now,
        lastMessageAt: now,
        unread: false,
      },
    }),
  );
  const draft = await threadEmail(shop, ticket, settings, "notice", notice.subject, withSignature(notice.text, settings.signature), notice.locale);
  if (!draft) throw new Error("the ticket has no email address");
  const email = await prisma.$transaction(async (tx) => {
    const row = await createOutboundEmail(shop, draft, tx);
    await tx.ticketMessage.create({
      data: { shop, ticketId: ticket.id, kind: "notice", authorName: settings.fromName, body: notice.text, emailId: row.id, eventData: JSON.stringify({ noticeId: notice.noticeId }), createdAt: now },
    });
    // A notice on a solved ticket brings it back into the open views, waiting on the shopper:
    // the merchant sees what was said, and a reply reopens it as any reply does.
    const reopen = ticket.status === "solved";
    await tx.ticket.updateMany({
      where: { shop, id: ticket.id },
      data: { lastMessageAt: now, ...(reopen ? { status: "pending", solvedAt: null, unread: true } : {}) },
    });
    if (reopen) {
      await tx.ticketMessage.create({
        data: { shop, ticketId: ticket.id, kind: "event", event: "status_changed", eventData: JSON.stringify({ from: "solved", to: "pending", by: "Delay notice" }), body: "", createdAt: now },
      });
    }
    return row;
  });
  await publishTicketChange(shop, "ticket.message", ticket.id);
  await enqueueSend(shop, email.id);
  return { ticketId: ticket.id, emailId: email.id };
}
