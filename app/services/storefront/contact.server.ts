import { z } from "zod";
import prisma from "../../db.server";
import { supportSettings } from "../../models/support-settings.server";
import { formatAnswerBy, supportedLanguage } from "../tickets/auto-ack-text";
import { createTicket } from "../tickets/tickets.server";

/**
 * The storefront's contact form: validated field by field (codes the storefront shows in the
 * shopper's language), a honeypot that quietly swallows bots, and a ticket with its
 * acknowledgement for everyone else.
 */

const ContactSchema = z.object({
  name: z.string().trim().max(200, "too_long").optional().default(""),
  email: z.string().trim().min(1, "required").max(254, "too_long").email("invalid_email"),
  orderNumber: z
    .string()
    .trim()
    .max(20, "too_long")
    .regex(/^#?\d*$/, "invalid_order_number")
    .optional()
    .default(""),
  message: z.string().trim().min(1, "required").max(5000, "too_long"),
  subject: z.string().trim().max(200, "too_long").optional().default(""),
  locale: z.string().trim().max(20).optional().default(""),
  // Hidden from people; a bot fills it in.
  website: z.string().optional().default(""),
});

export type ContactResult =
  | { ok: true; ticketNumber: number | null; ticketId: string | null; responseTimeHours: number; dueAt: string | null; answerBy: string | null; answerWithinHours: number | null }
  | { ok: false; errors: Record<string, string> };

export async function submitContactForm(shop: string, input: Record<string, string>, loggedInCustomerId: string | null): Promise<ContactResult> {
  const parsed = ContactSchema.safeParse(input);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    return { ok: false, errors };
  }
  const data = parsed.data;
  const settings = await supportSettings(shop);
  if (data.website.trim() !== "") {
    // Answer as if it worked: a bot learns nothing, and no ticket or email is made.
    return { ok: true, ticketNumber: null, ticketId: null, responseTimeHours: settings.responseTimeHours, dueAt: null, answerBy: null, answerWithinHours: settings.responseTimeHours };
  }
  // A logged-in shopper's own name fills in what they left out.
  let name = data.name;
  if (!name && loggedInCustomerId) {
    const customer = await prisma.customer.findFirst({
      where: { shop, shopifyId: `gid://shopify/Customer/${loggedInCustomerId}`, deletedAt: null, redactedAt: null },
      select: { firstName: true, lastName: true },
    });
    name = [customer?.firstName, customer?.lastName].filter(Boolean).join(" ");
  }
  const firstLine = data.message.split("\n")[0].trim();
  const subject = data.subject || (firstLine.length > 80 ? `${firstLine.slice(0, 77)}…` : firstLine);
  const result = await createTicket(shop, {
    subject,
    body: data.message,
    channel: "storefront",
    customerEmail: data.email,
    customerName: name || undefined,
    orderName: data.orderNumber || undefined,
    locale: /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/.test(data.locale) ? data.locale : undefined,
  });
  if ("errors" in result) return { ok: false, errors: Object.fromEntries(Object.keys(result.errors).map((k) => [k === "customerEmail" ? "email" : k, "invalid"])) };
  const ticket = await prisma.ticket.findFirst({ where: { shop, id: result.ticket.id }, select: { slaDueAt: true, locale: true } });
  // The panel promises what the acknowledgement and the SLA say: the ticket's due time ("by …");
  // only without one does it fall back to the promised hours ("within …").
  const answerBy = ticket?.slaDueAt ? formatAnswerBy(ticket.slaDueAt, supportedLanguage(ticket.locale, settings.shopLocale), settings.timeZone) : null;
  return { ok: true, ticketNumber: result.ticket.number, ticketId: result.ticket.id, responseTimeHours: settings.responseTimeHours, dueAt: ticket?.slaDueAt?.toISOString() ?? null, answerBy, answerWithinHours: answerBy ? null : settings.responseTimeHours };
}
