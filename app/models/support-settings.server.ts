import crypto from "node:crypto";
import { z } from "zod";
import prisma, { isUniqueViolation } from "../db.server";
import { env } from "../env.server";
import { storefrontChanged } from "../services/faq/publish.server";
import { formatSchedule, isTimeZone, parseSchedule, type WeeklySchedule } from "../services/support/business-hours";

/**
 * The shop's support settings with every default filled in: the address mail comes from,
 * the promised response time, business hours and their zone, the signature.
 */

export interface ResolvedSettings {
  fromEmail: string;
  fromName: string;
  responseTimeHours: number;
  timeZone: string;
  schedule: WeeklySchedule;
  signature: string;
  autoAcknowledge: boolean;
  shopName: string;
  shopLocale: string | null;
  supportPhone: string;
  csatEnabled: boolean;
  checkInEnabled: boolean;
  checkInDays: number;
}

const DEFAULT_HOURS = '{"mon":[["09:00","17:00"]],"tue":[["09:00","17:00"]],"wed":[["09:00","17:00"]],"thu":[["09:00","17:00"]],"fri":[["09:00","17:00"]],"sat":[],"sun":[]}';

export async function supportSettings(shop: string): Promise<ResolvedSettings> {
  const [stored, profile] = await Promise.all([prisma.supportSettings.findUnique({ where: { shop } }), prisma.shop.findUnique({ where: { shop } })]);
  const parsed = parseSchedule(stored?.businessHours ?? DEFAULT_HOURS);
  const schedule = "schedule" in parsed ? parsed.schedule : (parseSchedule(DEFAULT_HOURS) as { schedule: WeeklySchedule }).schedule;
  const zone = stored?.timeZone ?? profile?.ianaTimezone ?? "UTC";
  const shopName = profile?.name ?? shop.replace(/\.myshopify\.com$/, "");
  return {
    fromEmail: stored?.fromEmail ?? profile?.email ?? `support@${shop}`,
    fromName: stored?.fromName ?? shopName,
    responseTimeHours: stored?.responseTimeHours ?? 24,
    timeZone: isTimeZone(zone) ? zone : "UTC",
    schedule,
    signature: stored?.signature ?? "",
    autoAcknowledge: stored?.autoAcknowledge ?? true,
    shopName,
    shopLocale: profile?.primaryLocale ?? null,
    supportPhone: stored?.supportPhone ?? "",
    csatEnabled: stored?.csatEnabled ?? true,
    checkInEnabled: stored?.checkInEnabled ?? false,
    checkInDays: stored?.checkInDays ?? 7,
  };
}

const SettingsSchema = z.object({
  // Lower case, as the inbound router compares it; the app adds its own +tags for ticket replies.
  fromEmail: z
    .string()
    .trim()
    .toLowerCase()
    .email("Enter an email address, like support@yourstore.com.")
    .max(254)
    .refine((a) => !a.split("@")[0].includes("+"), "Enter the mailbox without a +tag, like support@yourstore.com.")
    .refine((a) => a.split("@")[1] !== env().INBOUND_EMAIL_DOMAIN, "Enter your own support address; forward it to the routing address shown below."),
  fromName: z.string().trim().min(1, "Enter the name shoppers see.").max(100, "Keep the name under 100 characters."),
  responseTimeHours: z.coerce
    .number({ invalid_type_error: "Enter a number of hours." })
    .int("Enter whole hours.")
    .min(1, "Promise at least 1 hour.")
    .max(720, "Promise at most 720 hours (30 days)."),
  timeZone: z.string().trim().refine(isTimeZone, "Choose a time zone from the list."),
  businessHours: z.string(),
  signature: z.string().max(2000, "Keep the signature under 2,000 characters."),
  autoAcknowledge: z.preprocess((v) => v === true || v === "true" || v === "on", z.boolean()),
  supportPhone: z
    .string()
    .trim()
    .max(40, "Keep the phone number under 40 characters.")
    .regex(/^(\+?[\d\s().-]{5,})?$/, "Enter a phone number, like +372 555 0100.")
    .optional()
    .default(""),
  csatEnabled: z.preprocess((v) => v === true || v === "true" || v === "on", z.boolean()).optional().default(true),
  checkInEnabled: z.preprocess((v) => v === true || v === "true" || v === "on", z.boolean()).optional().default(false),
  checkInDays: z.coerce
    .number({ invalid_type_error: "Enter a number of days." })
    .int("Enter whole days.")
    .min(1, "Wait at least 1 day after delivery.")
    .max(60, "Wait at most 60 days after delivery.")
    .optional()
    .default(7),
});

export type SettingsErrors = Partial<Record<keyof z.infer<typeof SettingsSchema>, string>>;

/** Validates and saves; returns field errors instead when the input is not right. */
export async function saveSupportSettings(shop: string, input: Record<string, unknown>): Promise<{ errors: SettingsErrors } | { ok: true }> {
  const parsed = SettingsSchema.safeParse(input);
  const errors: SettingsErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof SettingsErrors;
      errors[field] ??= issue.message;
    }
  }
  const hours = parseSchedule(typeof input.businessHours === "string" ? input.businessHours : "");
  if ("errors" in hours) errors.businessHours = Object.values(hours.errors)[0];
  if (!parsed.success || "errors" in hours) return { errors };
  const data = { ...parsed.data, businessHours: formatSchedule(hours.schedule) };
  // New mail to this address becomes a ticket of the shop that saved it: one shop per address.
  const taken = { errors: { fromEmail: "Another shop already uses this address. Enter your own support address." } };
  if (await prisma.supportSettings.findFirst({ where: { fromEmail: data.fromEmail, shop: { not: shop } }, select: { shop: true } })) return taken;
  try {
    await prisma.supportSettings.upsert({ where: { shop }, create: { shop, ...data }, update: data });
  } catch (error) {
    if (isUniqueViolation(error)) return taken;
    throw error;
  }
  // The storefront shows the address, phone, hours and promised response time.
  await storefrontChanged(shop);
  return { ok: true };
}

/** Normalised as stored and compared: trimmed, lower case. */
export const normaliseAddress = (address: string) => address.trim().toLowerCase();

/**
 * The shop's app-assigned routing address (`<token>@INBOUND_EMAIL_DOMAIN`), made on first ask:
 * unique by construction, so the merchant forwards the support mailbox to it. Null without a domain.
 */
export async function inboundAddress(shop: string): Promise<string | null> {
  const domain = env().INBOUND_EMAIL_DOMAIN;
  if (!domain) return null;
  const stored = await prisma.supportSettings.findUnique({ where: { shop }, select: { inboundToken: true } });
  if (stored?.inboundToken) return `${stored.inboundToken}@${domain}`;
  const handle = shop.replace(/\.myshopify\.com$/, "").toLowerCase().replace(/[^a-z0-9-]+/g, "-").slice(0, 30);
  // 10 random base-32 characters: lower case only, so a lower-cased address still routes.
  const token = `${handle}.${Array.from(crypto.randomBytes(10), (b) => "abcdefghijklmnopqrstuvwxyz234567"[b % 32]).join("")}`;
  await prisma.supportSettings.upsert({ where: { shop }, create: { shop, inboundToken: token }, update: {} });
  await prisma.supportSettings.updateMany({ where: { shop, inboundToken: null }, data: { inboundToken: token } });
  // A concurrent first ask may have won: the stored token is the address.
  const row = await prisma.supportSettings.findUniqueOrThrow({ where: { shop }, select: { inboundToken: true } });
  return `${row.inboundToken}@${domain}`;
}

/**
 * The shop an email was delivered to, from its recipient addresses in the order given (the
 * envelope's first): an app-assigned routing address, else a shop's saved support address (unique),
 * else a shop's own email when exactly one installed shop has it and no shop saved it. Never
 * "whichever row comes first": the first recipient that names one shop decides.
 */
export async function shopReceivingMail(recipients: string[]): Promise<{ shop: string; address: string } | null> {
  const domain = env().INBOUND_EMAIL_DOMAIN;
  const mailboxes = recipients.map((address) => {
    const plain = normaliseAddress(address);
    const at = plain.lastIndexOf("@");
    return { address: plain, mailbox: at > 0 ? `${plain.slice(0, at).split("+")[0]}@${plain.slice(at + 1)}` : plain };
  });
  for (const { address, mailbox } of mailboxes) {
    const [local, host] = mailbox.split("@");
    if (domain && host === domain) {
      const row = await prisma.supportSettings.findUnique({ where: { inboundToken: local }, select: { shop: true } });
      if (row) return { shop: row.shop, address };
    }
  }
  for (const { address, mailbox } of mailboxes) {
    const row = await prisma.supportSettings.findUnique({ where: { fromEmail: mailbox }, select: { shop: true } });
    if (row) return { shop: row.shop, address };
  }
  for (const { address, mailbox } of mailboxes) {
    // Shopify's email is stored as Shopify wrote it: compare in lower case.
    const shops = await prisma.$queryRaw<{ shop: string }[]>`SELECT "shop" FROM "Shop" WHERE lower("email") = ${mailbox} AND "uninstalledAt" IS NULL LIMIT 2`;
    if (shops.length !== 1) continue;
    // A shop that saved an address of its own no longer receives at its Shopify email.
    const saved = await prisma.supportSettings.findUnique({ where: { shop: shops[0].shop }, select: { fromEmail: true } });
    if (!saved?.fromEmail) return { shop: shops[0].shop, address };
  }
  return null;
}
