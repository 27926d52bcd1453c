import { z } from "zod";
import prisma, { isUniqueViolation } from "../db.server";
import { supportSettings } from "./support-settings.server";
import { parseTracking } from "./customer.server";
import { SUPPORTED_LANGUAGES, supportedLanguage, type SupportedLanguage } from "../services/tickets/auto-ack-text";
import { placeholderError, type PlaceholderValues } from "../utils/placeholders";
import { CANNED_LIMITS } from "../services/tickets/canned-variants";

/**
 * Canned replies: saved answers with a text per language (a variant), {{placeholders}} filled per
 * ticket. The shop's default language (its primary language when the desk speaks it, else English)
 * always has a variant; any other language may.
 */

const withVariants = { variants: { orderBy: { locale: "asc" as const } } };

export function listCannedReplies(shop: string) {
  return prisma.cannedReply.findMany({ where: { shop }, orderBy: { title: "asc" }, include: withVariants });
}

export function cannedReplyForShop(shop: string, id: string) {
  return prisma.cannedReply.findFirst({ where: { shop, id }, include: withVariants });
}

/** The language every canned reply of the shop must have. */
export async function cannedDefaultLanguage(shop: string): Promise<SupportedLanguage> {
  const profile = await prisma.shop.findUnique({ where: { shop }, select: { primaryLocale: true } });
  return supportedLanguage(profile?.primaryLocale, "en");
}

type Saved = { ok: true; id: string } | { errors: Record<string, string> } | { notFound: true };

const Title = z
  .string()
  .trim()
  .min(1, "Give it a title.")
  .max(CANNED_LIMITS.title, `Keep the title under ${CANNED_LIMITS.title} characters.`);

/** Form fields title and body_<language> → the title and each language's text, or field errors. */
function parseCannedInput(
  input: Record<string, unknown>,
  defaultLanguage: SupportedLanguage
): { errors: Record<string, string> } | { title: string; bodies: Partial<Record<SupportedLanguage, string>> } {
  const errors: Record<string, string> = {};
  const title = Title.safeParse(typeof input.title === "string" ? input.title : "");
  if (!title.success) errors.title = title.error.issues[0].message;
  const bodies: Partial<Record<SupportedLanguage, string>> = {};
  for (const language of SUPPORTED_LANGUAGES) {
    const raw = input[`body_${language}`];
    const body = (typeof raw === "string" ? raw : "").replace(/\r\n?/g, "\n").trim();
    const field = `body_${language}`;
    if (!body) {
      if (language === defaultLanguage)
        errors[field] = "Write the reply in your shop's default language: every canned reply has it.";
      continue;
    }
    if (body.length > CANNED_LIMITS.body)
      errors[field] = `Keep the reply under ${CANNED_LIMITS.body.toLocaleString("en")} characters.`;
    else {
      const problem = placeholderError(body, "canned");
      if (problem) errors[field] = problem;
    }
    bodies[language] = body;
  }
  if (!title.success || Object.keys(errors).length > 0) return { errors };
  return { title: title.data, bodies };
}

const DUPLICATE = { title: "A canned reply with this title exists." };

/**
 * Creates (id null) or updates one of the shop's canned replies with its variants: a language
 * left empty has none (an existing one is removed). Another shop's id is not found.
 */
export async function saveCannedReply(shop: string, id: string | null, input: Record<string, unknown>): Promise<Saved> {
  // Another shop's id is not found, whatever was sent with it.
  if (id !== null && !(await prisma.cannedReply.findFirst({ where: { shop, id }, select: { id: true } })))
    return { notFound: true };
  const defaultLanguage = await cannedDefaultLanguage(shop);
  const parsed = parseCannedInput(input, defaultLanguage);
  if ("errors" in parsed) return { errors: parsed.errors };
  const { title, bodies } = parsed;
  const empty = SUPPORTED_LANGUAGES.filter((language) => !bodies[language]);
  try {
    return await prisma.$transaction(async (tx) => {
      let replyId: string;
      if (id === null) {
        replyId = (await tx.cannedReply.create({ data: { shop, title }, select: { id: true } })).id;
      } else {
        const { count } = await tx.cannedReply.updateMany({
          where: { shop, id },
          data: { title, updatedAt: new Date() },
        });
        if (count !== 1) return { notFound: true } as const;
        replyId = id;
        await tx.cannedReplyVariant.deleteMany({ where: { shop, cannedReplyId: replyId, locale: { in: empty } } });
      }
      for (const [locale, body] of Object.entries(bodies)) {
        await tx.cannedReplyVariant.upsert({
          where: { cannedReplyId_locale: { cannedReplyId: replyId, locale } },
          create: { shop, cannedReplyId: replyId, locale, body },
          update: { body },
        });
      }
      return { ok: true, id: replyId } as const;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { errors: DUPLICATE };
    throw error;
  }
}

export const createCannedReply = (shop: string, input: Record<string, unknown>) => saveCannedReply(shop, null, input);

export const updateCannedReply = (shop: string, id: string, input: Record<string, unknown>) =>
  saveCannedReply(shop, id, input);

export async function deleteCannedReply(shop: string, id: string): Promise<boolean> {
  const [, { count }] = await prisma.$transaction([
    prisma.cannedReplyVariant.deleteMany({ where: { shop, cannedReplyId: id } }),
    prisma.cannedReply.deleteMany({ where: { shop, id } }),
  ]);
  return count === 1;
}

export async function recordCannedReplyUse(shop: string, id: string) {
  await prisma.cannedReply.updateMany({ where: { shop, id }, data: { usageCount: { increment: 1 } } });
}

/** What a ticket offers canned replies: the placeholders' values, its shopper's language, the delivery date. */
export interface CannedTicketContext {
  values: PlaceholderValues;
  /** The expected delivery, formatted per variant in that variant's language. */
  expectedDeliveryAt: Date | null;
  timeZone: string;
  /** The shopper's language as the ticket or the synced customer knows it (BCP 47), if at all. */
  shopperLocale: string | null;
}

/** The placeholders' values for one ticket of this shop (null when the ticket is not theirs). */
export async function cannedTicketContext(shop: string, ticketId: string): Promise<CannedTicketContext | null> {
  const ticket = await prisma.ticket.findFirst({ where: { shop, id: ticketId, redactedAt: null } });
  if (!ticket) return null;
  const [settings, customer, fulfillment, lines] = await Promise.all([
    supportSettings(shop),
    ticket.customerShopifyId
      ? prisma.customer.findFirst({
          where: { shop, shopifyId: ticket.customerShopifyId, redactedAt: null },
          select: { firstName: true, lastName: true, locale: true },
        })
      : null,
    ticket.orderShopifyId
      ? prisma.fulfillment.findFirst({
          where: { shop, orderShopifyId: ticket.orderShopifyId },
          orderBy: [{ shopifyCreatedAt: { sort: "desc", nulls: "last" } }, { id: "desc" }],
        })
      : null,
    ticket.orderShopifyId
      ? prisma.orderLineItem.findMany({
          where: { shop, orderShopifyId: ticket.orderShopifyId },
          orderBy: { id: "asc" },
          take: 20,
        })
      : [],
  ]);
  // The name the ticket was written under; the synced customer's parts where they exist.
  const words = (ticket.customerName ?? "").trim().split(/\s+/).filter(Boolean);
  const tracking = parseTracking(fulfillment?.tracking ?? "[]");
  return {
    values: {
      first_name: customer?.firstName || words[0] || null,
      last_name: customer?.lastName || (words.length > 1 ? words.slice(1).join(" ") : null),
      customer_name: ticket.customerName || [customer?.firstName, customer?.lastName].filter(Boolean).join(" ") || null,
      order_name: ticket.orderName,
      items:
        lines.map((l) => `${l.quantity} × ${l.title}${l.variantTitle ? ` (${l.variantTitle})` : ""}`).join(", ") ||
        null,
      tracking_link: tracking.find((t) => t.url)?.url ?? tracking.find((t) => t.number)?.number ?? null,
      support_email: settings.fromEmail,
      shop_name: settings.shopName,
    },
    expectedDeliveryAt: fulfillment?.estimatedDeliveryAt ?? null,
    timeZone: settings.timeZone,
    shopperLocale: ticket.locale ?? customer?.locale ?? null,
  };
}
