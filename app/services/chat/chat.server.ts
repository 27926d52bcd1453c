import crypto from "node:crypto";
import { z } from "zod";
import prisma, { isUniqueViolation } from "../../db.server";
import { env } from "../../env.server";
import { chatMessages, currentConversation, markSeenByVisitor, touchVisitor, type ChatMessageView } from "../../models/chat.server";
import { onlineStaff } from "../../models/presence.server";
import { takeTokens } from "../../models/rate-limit.server";
import { supportSettings } from "../../models/support-settings.server";
import { ticketSearchText } from "../../models/ticket.server";
import { addBusinessHours, isOpenAt } from "../support/business-hours";
import { bucketKey } from "../storefront/rate-limit.server";
import { publishTicketChange } from "../live/events.server";
import { createNumberedTicket, sendAcknowledgement, sendChatTranscript } from "../tickets/tickets.server";
import { recordComment, recordRating } from "../../models/satisfaction.server";

/**
 * The storefront chat. A visitor is a random secret their browser keeps; the app stores only its
 * hash, so one visitor reads and writes only their own conversation, and always within the shop
 * whose App Proxy signed the request (or whose token opened the socket). A conversation is a ticket
 * on the "chat" channel: the inbox, assignment, notes and replies work on it as on any ticket.
 */

export const VISITOR_SECRET = /^[A-Za-z0-9_-]{22,64}$/;
const CLIENT_ID = /^[A-Za-z0-9_-]{8,40}$/;
export const CHAT_MESSAGE_MAX = 2000;
const TOKEN_TTL_S = 10 * 60;

export const visitorHashOf = (secret: string) => crypto.createHash("sha256").update(secret).digest("base64url");

// ------------------------------------------------------------------ the socket's token

function secret(): string {
  const value = process.env.SHOPIFY_API_SECRET;
  if (!value) throw new Error("SHOPIFY_API_SECRET is not set");
  return value;
}

const tokenMac = (payload: string) => crypto.createHmac("sha256", secret()).update(`chat|${payload}`).digest("base64url").slice(0, 32);

/** A short-lived token for the direct connection, bound to the shop and the visitor. */
export function chatToken(shop: string, visitorHash: string, customerId: string | null, now = Date.now()): { token: string; expiresAt: string } {
  const expires = Math.floor(now / 1000) + TOKEN_TTL_S;
  const payload = Buffer.from(JSON.stringify({ s: shop, v: visitorHash, c: customerId, e: expires })).toString("base64url");
  return { token: `${payload}.${tokenMac(payload)}`, expiresAt: new Date(expires * 1000).toISOString() };
}

export type ChatTokenCheck =
  | { ok: true; shop: string; visitorHash: string; customerId: string | null }
  | { ok: false; reason: "malformed" | "forged" | "expired" };

export function checkChatToken(token: string, now = Date.now()): ChatTokenCheck {
  const match = /^([A-Za-z0-9_-]{20,400})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!match) return { ok: false, reason: "malformed" };
  const [, payload, given] = match;
  const expected = Buffer.from(tokenMac(payload));
  if (!crypto.timingSafeEqual(expected, Buffer.from(given))) return { ok: false, reason: "forged" };
  try {
    const value = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { s?: unknown; v?: unknown; c?: unknown; e?: unknown };
    if (typeof value.s !== "string" || typeof value.v !== "string" || typeof value.e !== "number") return { ok: false, reason: "malformed" };
    if (value.e * 1000 < now) return { ok: false, reason: "expired" };
    return { ok: true, shop: value.s, visitorHash: value.v, customerId: typeof value.c === "string" ? value.c : null };
  } catch {
    return { ok: false, reason: "malformed" };
  }
}

/** The socket's address: the app's own origin (the App Proxy carries short requests only). */
export function chatSocketUrl(): string {
  const url = new URL("/chat/socket", env().SHOPIFY_APP_URL);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}

/** Where the socket may be opened from: the shop's own storefront domains (and, locally, the emulator's). */
export async function allowedChatOrigins(shop: string): Promise<Set<string>> {
  const origins = new Set<string>([`https://${shop}`]);
  const profile = await prisma.shop.findUnique({ where: { shop }, select: { storefrontUrl: true } });
  if (profile?.storefrontUrl) {
    try {
      origins.add(new URL(profile.storefrontUrl).origin);
    } catch {
      // not a URL: only the myshopify domain
    }
  }
  for (const extra of (process.env.STOREFRONT_ORIGINS ?? "").split(",")) if (extra.trim()) origins.add(extra.trim().replace(/\/$/, ""));
  return origins;
}

// ------------------------------------------------------------------ availability and state

export type ChatReason = "open" | "closed" | "no_agent";

export async function chatAvailability(shop: string, now = new Date()): Promise<{ available: boolean; reason: ChatReason; responseHours: number }> {
  const settings = await supportSettings(shop);
  if (!isOpenAt(now, settings.schedule, settings.timeZone)) return { available: false, reason: "closed", responseHours: settings.responseTimeHours };
  const online = await onlineStaff(shop, now);
  return online.length > 0
    ? { available: true, reason: "open", responseHours: settings.responseTimeHours }
    : { available: false, reason: "no_agent", responseHours: settings.responseTimeHours };
}

export interface ChatConversationView {
  ticketNumber: number;
  status: string;
  agentSeenAt: string | null;
  email: boolean;
  survey: boolean;
  rating: number | null;
}

export interface ChatState {
  available: boolean;
  reason: ChatReason;
  requireEmail: boolean;
  responseHours: number;
  conversation: ChatConversationView | null;
  messages: ChatMessageView[];
  now: string;
}

type Conversation = NonNullable<Awaited<ReturnType<typeof currentConversation>>>;

const conversationView = (c: Conversation): ChatConversationView => ({
  ticketNumber: c.ticket.number,
  status: c.ticket.status,
  agentSeenAt: c.agentSeenAt?.toISOString() ?? null,
  email: !!c.ticket.customerEmail,
  // Asked once solved; the panel offers the five ratings until one is given (a later one changes it).
  survey: !!c.ticket.survey,
  rating: c.ticket.survey?.rating ?? null,
});

export function parseSince(value: unknown): Date | null {
  if (typeof value !== "string" || value.length > 40) return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** What the panel shows: whether the team is there, and the conversation so far (or since `since`). */
export async function chatState(
  shop: string,
  visitorHash: string,
  loggedInCustomerId: string | null,
  since: Date | null,
  now = new Date(),
): Promise<ChatState> {
  const [availability, conversation] = await Promise.all([chatAvailability(shop, now), currentConversation(shop, visitorHash)]);
  if (conversation) await touchVisitor(shop, conversation.id, now);
  return {
    ...availability,
    requireEmail: !availability.available && !loggedInCustomerId && !conversation?.ticket.customerEmail,
    conversation: conversation ? conversationView(conversation) : null,
    messages: conversation ? await chatMessages(shop, conversation.ticketId, since) : [],
    now: now.toISOString(),
  };
}

// ------------------------------------------------------------------ sending

const SendSchema = z.object({
  clientId: z.string().regex(CLIENT_ID, "Not a message id."),
  body: z.string().trim().min(1, "Write a message.").max(CHAT_MESSAGE_MAX, `Keep the message under ${CHAT_MESSAGE_MAX} characters.`),
  name: z
    .string()
    .trim()
    .max(200, "Keep the name under 200 characters.")
    .optional()
    .transform((v) => v || null),
  email: z
    .union([z.literal(""), z.string().trim().toLowerCase().email("Enter a valid email address.").max(254)])
    .optional()
    .transform((v) => v || null),
  locale: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/)
    .optional()
    .catch(undefined)
    .transform((v) => v || null),
  pagePath: z
    .string()
    .trim()
    .max(500)
    .regex(/^\/[^\s]*$/)
    .optional()
    .catch(undefined)
    .transform((v) => v || null),
});

export type ChatSendResult =
  | { ok: true; message: ChatMessageView; conversation: ChatConversationView; offline: boolean }
  | { ok: false; error: "invalid"; errors: Record<string, string> }
  | { ok: false; error: "rate_limited" };

/** A visitor's sends: 10 at once, 20 a minute, in every process (the buckets live in the database). */
const sendBuckets = (visitorHash: string) => [{ key: bucketKey("chat-send", visitorHash), capacity: 10, refillPerMinute: 20 }];

function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
  return errors;
}

/**
 * A shopper's chat message. The first one opens the conversation's ticket (matched to the synced
 * customer by the logged-in id or the email); later ones go on it and reopen it when solved. The
 * same clientId sent twice (a retry after a drop) is one message.
 */
export async function sendChatMessage(
  shop: string,
  visitorHash: string,
  input: Record<string, unknown>,
  loggedInCustomerId: string | null,
  now = new Date(),
): Promise<ChatSendResult> {
  const parsed = SendSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid", errors: fieldErrors(parsed.error) };
  const data = parsed.data;
  const messageId = `chat:${visitorHash.slice(0, 16)}:${data.clientId}`;
  const existing = await prisma.ticketMessage.findFirst({ where: { shop, messageId }, select: { ticketId: true, id: true } });
  let conversation = await currentConversation(shop, visitorHash);
  if (existing && conversation?.ticketId === existing.ticketId) return alreadySent(shop, conversation, existing.id, now);
  if (!(await takeTokens(shop, sendBuckets(visitorHash), now.getTime()))) return { ok: false, error: "rate_limited" };

  const availability = await chatAvailability(shop, now);
  const customer = loggedInCustomerId
    ? await prisma.customer.findFirst({
        where: { shop, shopifyId: `gid://shopify/Customer/${loggedInCustomerId}`, deletedAt: null, redactedAt: null },
        select: { shopifyId: true, firstName: true, lastName: true, email: true, locale: true },
      })
    : data.email
    ? await prisma.customer.findFirst({
        where: { shop, email: data.email, deletedAt: null, redactedAt: null },
        select: { shopifyId: true, firstName: true, lastName: true, email: true, locale: true },
      })
    : null;
  const email = data.email ?? customer?.email ?? null;
  if (!conversation && !availability.available && !email) {
    return { ok: false, error: "invalid", errors: { email: "Enter your email address: the team is away and will answer by email." } };
  }

  let created = false;
  let messageRowId: string;
  try {
    if (!conversation) {
      const name = data.name ?? ([customer?.firstName, customer?.lastName].filter(Boolean).join(" ") || null);
      const settings = await supportSettings(shop);
      const subject = data.body.replace(/\s+/g, " ").slice(0, 120);
      const ticketId = await createNumberedTicket(shop, async (tx, number) => {
        const ticket = await tx.ticket.create({
          data: {
            shop,
            number,
            subject,
            channel: "chat",
            customerEmail: email,
            customerName: name,
            customerShopifyId: customer?.shopifyId ?? null,
            locale: data.locale ?? customer?.locale ?? null,
            searchText: ticketSearchText({ subject, customerName: name, customerEmail: email, orderName: null }),
            replyToken: crypto.randomBytes(12).toString("base64url"),
            createdAt: now,
            lastMessageAt: now,
            slaDueAt: addBusinessHours(now, settings.responseTimeHours, settings.schedule, settings.timeZone),
          },
          select: { id: true },
        });
        await tx.chatConversation.create({
          data: { shop, visitorHash, ticketId: ticket.id, lastActiveAt: now, visitorSeenAt: now, pagePath: data.pagePath, createdAt: now },
        });
        await tx.ticketMessage.create({
          data: { shop, ticketId: ticket.id, kind: "customer", authorName: name, authorEmail: email, body: data.body, messageId, createdAt: now },
        });
        return ticket.id;
      });
      created = true;
      conversation = await currentConversation(shop, visitorHash);
      if (!conversation || conversation.ticketId !== ticketId) throw new Error("the new chat is not found");
      messageRowId = (await prisma.ticketMessage.findFirstOrThrow({ where: { shop, messageId }, select: { id: true } })).id;
    } else {
      const current = conversation;
      messageRowId = await prisma.$transaction(async (tx) => {
        const row = await tx.ticketMessage.create({
          data: { shop, ticketId: current.ticketId, kind: "customer", authorName: data.name, authorEmail: email, body: data.body, messageId, createdAt: now },
          select: { id: true },
        });
        await tx.ticket.updateMany({
          where: { shop, id: current.ticketId },
          // A new message reopens a solved chat; a pending one is waiting on the shopper no more.
          data: {
            lastMessageAt: now,
            unread: true,
            status: "open",
            solvedAt: null,
            ...(email && !current.ticket.customerEmail ? { customerEmail: email } : {}),
          },
        });
        await tx.chatConversation.updateMany({
          where: { shop, id: current.id },
          data: { lastActiveAt: now, visitorSeenAt: now, ...(data.pagePath ? { pagePath: data.pagePath } : {}) },
        });
        return row.id;
      });
    }
  } catch (error) {
    // The same message raced in from a second connection: it is there once.
    if (!isUniqueViolation(error)) throw error;
    const again = await currentConversation(shop, visitorHash);
    const row = await prisma.ticketMessage.findFirst({ where: { shop, messageId }, select: { id: true } });
    if (!again || !row) throw error;
    return alreadySent(shop, again, row.id, now);
  }

  // A new chat says so, for the agents' sound and notification.
  if (created) await publishTicketChange(shop, "ticket.created", conversation.ticketId, "chat");
  else await publishTicketChange(shop, "ticket.message", conversation.ticketId);
  // Nobody there to answer now: it is a ticket like the contact form's, acknowledged by email with the promised time.
  const offline = !availability.available;
  if (created && offline) await sendAcknowledgement(shop, conversation.ticketId);
  const fresh = (await currentConversation(shop, visitorHash)) ?? conversation;
  const [message] = (await chatMessages(shop, conversation.ticketId, now)).filter((m) => m.id === messageRowId);
  return {
    ok: true,
    message: message ?? { id: messageRowId, from: "shopper", name: null, body: data.body, at: now.toISOString() },
    conversation: conversationView(fresh),
    offline,
  };
}

async function alreadySent(shop: string, conversation: Conversation, messageRowId: string, now: Date): Promise<ChatSendResult> {
  const row = await prisma.ticketMessage.findFirstOrThrow({ where: { shop, id: messageRowId }, select: { id: true, body: true, createdAt: true } });
  await touchVisitor(shop, conversation.id, now);
  return {
    ok: true,
    message: { id: row.id, from: "shopper", name: null, body: row.body, at: row.createdAt.toISOString() },
    conversation: conversationView(conversation),
    offline: false,
  };
}

/** The shopper is typing: told to the agents with the ticket open. Nothing is stored. */
export async function visitorTyping(shop: string, visitorHash: string): Promise<void> {
  const conversation = await currentConversation(shop, visitorHash);
  if (conversation) await publishTicketChange(shop, "chat.typing", conversation.ticketId, "shopper");
}

/** The shopper has read the conversation up to now. */
export async function visitorSeen(shop: string, visitorHash: string, now = new Date()): Promise<void> {
  const conversation = await currentConversation(shop, visitorHash);
  if (!conversation) return;
  await markSeenByVisitor(shop, conversation.id, now);
  await publishTicketChange(shop, "chat.seen", conversation.ticketId, "shopper");
}

// ------------------------------------------------------------------ where the shopper is

const money = z.coerce.number().int().min(0).max(1e12);
/** A summary of the storefront's /cart.js (amounts in the currency's minor unit, as Shopify gives them). */
const CartSchema = z.object({
  count: z.coerce.number().int().min(0).max(100_000),
  total: money,
  currency: z.string().regex(/^[A-Z]{3}$/, "Not a currency code."),
  items: z
    .array(
      z.object({
        title: z.string().trim().min(1).max(200),
        variant: z.string().trim().max(200).nullish().transform((v) => v || null),
        quantity: z.coerce.number().int().min(1).max(100_000),
        price: money,
        url: z.string().max(500).regex(/^\/[^\s]*$/).nullish().catch(null).transform((v) => v || null),
      }),
    )
    .max(20),
});
export type ChatCart = z.infer<typeof CartSchema>;

const ContextSchema = z.object({
  pagePath: SendSchema.shape.pagePath,
  cart: z.union([z.null(), CartSchema]).optional(),
});

/**
 * The page the shopper is on and their cart, sent by the panel when it opens, with each message
 * and when the cart changes. Stored on the conversation; the agents' open ticket pages are told
 * only when something changed.
 */
export async function updateChatContext(shop: string, visitorHash: string, input: unknown, now = new Date()): Promise<{ ok: true; changed: boolean } | { ok: false; error: "invalid" | "not_found" | "rate_limited"; errors?: Record<string, string> }> {
  const given = typeof input === "object" && input !== null ? { ...(input as Record<string, unknown>) } : {};
  // Through the App Proxy the cart comes as JSON text in a form field; over the socket, as an object.
  if (typeof given.cart === "string") {
    try {
      given.cart = given.cart === "" ? null : JSON.parse(given.cart);
    } catch {
      return { ok: false, error: "invalid", errors: { cart: "The cart is not JSON." } };
    }
  }
  const parsed = ContextSchema.safeParse(given);
  if (!parsed.success) return { ok: false, error: "invalid", errors: fieldErrors(parsed.error) };
  const conversation = await currentConversation(shop, visitorHash);
  if (!conversation) return { ok: false, error: "not_found" };
  if (!(await takeTokens(shop, [{ key: bucketKey("chat-context", visitorHash), capacity: 20, refillPerMinute: 30 }], now.getTime()))) {
    return { ok: false, error: "rate_limited" };
  }
  const row = await prisma.chatConversation.findFirst({ where: { shop, id: conversation.id }, select: { pagePath: true, cart: true } });
  const cart = parsed.data.cart === undefined ? undefined : parsed.data.cart === null ? null : JSON.stringify(parsed.data.cart);
  const pagePath = parsed.data.pagePath;
  const changed = (pagePath != null && pagePath !== row?.pagePath) || (cart !== undefined && cart !== row?.cart);
  await prisma.chatConversation.updateMany({
    where: { shop, id: conversation.id },
    data: { lastActiveAt: now, ...(pagePath ? { pagePath } : {}), ...(cart !== undefined && cart !== row?.cart ? { cart, cartAt: now } : {}) },
  });
  if (changed) await publishTicketChange(shop, "chat.context", conversation.ticketId);
  return { ok: true, changed };
}

/** The stored cart, as the ticket page shows it; null when none was sent or it no longer reads. */
export function parseStoredCart(value: string | null): ChatCart | null {
  if (!value) return null;
  try {
    const parsed = CartSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ after the chat

const RateSchema = z.object({
  rating: z.coerce.number().int("Choose a rating from 1 to 5.").min(1, "Choose a rating from 1 to 5.").max(5, "Choose a rating from 1 to 5."),
  comment: z.string().trim().max(2000, "Keep the comment under 2,000 characters.").optional(),
});

export type ChatAfterResult =
  | { ok: true; conversation: ChatConversationView }
  | { ok: false; error: "invalid"; errors: Record<string, string> }
  | { ok: false; error: "not_found" | "not_asked" | "rate_limited" };

/** The shopper's rating of a solved chat, from the panel (the same survey an email would carry). */
export async function rateChat(shop: string, visitorHash: string, input: Record<string, unknown>, now = new Date()): Promise<ChatAfterResult> {
  const parsed = RateSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid", errors: fieldErrors(parsed.error) };
  const conversation = await currentConversation(shop, visitorHash);
  if (!conversation) return { ok: false, error: "not_found" };
  const survey = conversation.ticket.survey;
  if (!survey) return { ok: false, error: "not_asked" };
  if (!(await takeTokens(shop, [{ key: bucketKey("chat-rate", visitorHash), capacity: 10, refillPerMinute: 10 }], now.getTime()))) {
    return { ok: false, error: "rate_limited" };
  }
  await recordRating(shop, survey.id, parsed.data.rating);
  if (parsed.data.comment) await recordComment(shop, survey.id, parsed.data.comment);
  await publishTicketChange(shop, "ticket.updated", conversation.ticketId);
  const fresh = (await currentConversation(shop, visitorHash)) ?? conversation;
  return { ok: true, conversation: conversationView(fresh) };
}

const TranscriptSchema = z.object({
  email: z
    .union([z.literal(""), z.string().trim().toLowerCase().email("Enter a valid email address.").max(254)])
    .optional()
    .transform((v) => v || null),
});

/**
 * The conversation by email, at the shopper's request: to the ticket's address, or to the one
 * they give now when it has none (kept on the ticket, so later replies reach it too). Three an hour.
 */
export async function requestChatTranscript(shop: string, visitorHash: string, input: Record<string, unknown>, now = new Date()): Promise<ChatAfterResult> {
  const parsed = TranscriptSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid", errors: fieldErrors(parsed.error) };
  const conversation = await currentConversation(shop, visitorHash);
  if (!conversation) return { ok: false, error: "not_found" };
  const email = conversation.ticket.customerEmail ?? parsed.data.email;
  if (!email) return { ok: false, error: "invalid", errors: { email: "Enter your email address." } };
  if (!(await takeTokens(shop, [{ key: bucketKey("chat-transcript", visitorHash), capacity: 3, refillPerMinute: 0.05 }], now.getTime()))) {
    return { ok: false, error: "rate_limited" };
  }
  if (!conversation.ticket.customerEmail) {
    await prisma.ticket.updateMany({ where: { shop, id: conversation.ticketId, customerEmail: null }, data: { customerEmail: email } });
  }
  await sendChatTranscript(shop, conversation.ticketId);
  const fresh = (await currentConversation(shop, visitorHash)) ?? conversation;
  return { ok: true, conversation: conversationView(fresh) };
}

export { currentConversation, conversationView };
