import { z } from "zod";
import prisma, { isUniqueViolation } from "../db.server";
import { supportSettings } from "./support-settings.server";
import { parseTracking } from "./customer.server";

/** Canned replies: saved answers with {{variables}} filled per ticket. */

export const CANNED_VARIABLES = ["first_name", "customer_name", "order_name", "tracking_link", "expected_delivery", "shop_name"] as const;
export type CannedVariables = Partial<Record<(typeof CANNED_VARIABLES)[number], string | null>>;

export function listCannedReplies(shop: string) {
  return prisma.cannedReply.findMany({ where: { shop }, orderBy: { title: "asc" } });
}

export function cannedReplyForShop(shop: string, id: string) {
  return prisma.cannedReply.findFirst({ where: { shop, id } });
}

const CannedSchema = z.object({
  title: z.string().trim().min(1, "Give it a title.").max(80, "Keep the title under 80 characters."),
  body: z.string().trim().min(1, "Write the reply.").max(5000, "Keep the reply under 5,000 characters."),
});

type Saved = { ok: true; id: string } | { errors: Record<string, string> } | { notFound: true };

function errorsOf(error: z.ZodError) {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[String(issue.path[0])] ??= issue.message;
  return errors;
}

const DUPLICATE = { title: "A canned reply with this title exists." };

export async function createCannedReply(shop: string, input: Record<string, unknown>): Promise<Saved> {
  const parsed = CannedSchema.safeParse(input);
  if (!parsed.success) return { errors: errorsOf(parsed.error) };
  try {
    const row = await prisma.cannedReply.create({ data: { shop, ...parsed.data } });
    return { ok: true, id: row.id };
  } catch (error) {
    if (isUniqueViolation(error)) return { errors: DUPLICATE };
    throw error;
  }
}

export async function updateCannedReply(shop: string, id: string, input: Record<string, unknown>): Promise<Saved> {
  const parsed = CannedSchema.safeParse(input);
  if (!parsed.success) return { errors: errorsOf(parsed.error) };
  try {
    const { count } = await prisma.cannedReply.updateMany({ where: { shop, id }, data: parsed.data });
    return count === 1 ? { ok: true, id } : { notFound: true };
  } catch (error) {
    if (isUniqueViolation(error)) return { errors: DUPLICATE };
    throw error;
  }
}

export async function deleteCannedReply(shop: string, id: string): Promise<boolean> {
  const { count } = await prisma.cannedReply.deleteMany({ where: { shop, id } });
  return count === 1;
}

/** {{ first_name }} → the value; a known variable without a value → ""; an unknown one stays as written. */
export function fillVariables(body: string, values: CannedVariables): string {
  return body.replace(/\{\{\s*([A-Za-z_]+)\s*\}\}/g, (match, name: string) => {
    const key = name.toLowerCase() as keyof CannedVariables;
    if (!(CANNED_VARIABLES as readonly string[]).includes(key)) return match;
    return values[key] ?? "";
  });
}

/** The variables' values for one ticket of this shop (null when the ticket is not theirs). */
export async function cannedReplyVariables(shop: string, ticketId: string): Promise<CannedVariables | null> {
  const ticket = await prisma.ticket.findFirst({ where: { shop, id: ticketId, redactedAt: null } });
  if (!ticket) return null;
  const settings = await supportSettings(shop);
  const values: CannedVariables = {
    first_name: ticket.customerName?.split(/\s+/)[0] ?? null,
    customer_name: ticket.customerName,
    order_name: ticket.orderName,
    shop_name: settings.shopName,
  };
  if (ticket.orderShopifyId) {
    const fulfillment = await prisma.fulfillment.findFirst({
      where: { shop, orderShopifyId: ticket.orderShopifyId },
      orderBy: [{ shopifyCreatedAt: { sort: "desc", nulls: "last" } }, { id: "desc" }],
    });
    if (fulfillment) {
      const tracking = parseTracking(fulfillment.tracking);
      values.tracking_link = tracking.find((t) => t.url)?.url ?? tracking.find((t) => t.number)?.number ?? null;
      if (fulfillment.estimatedDeliveryAt) {
        let locale = ticket.locale ?? "en";
        try {
          new Intl.DateTimeFormat(locale);
        } catch {
          locale = "en";
        }
        values.expected_delivery = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: settings.timeZone }).format(fulfillment.estimatedDeliveryAt);
      }
    }
  }
  return values;
}
