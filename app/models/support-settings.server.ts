import { z } from "zod";
import prisma from "../db.server";
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
  fromEmail: z.string().trim().email("Enter an email address, like support@yourstore.com.").max(254),
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
  await prisma.supportSettings.upsert({ where: { shop }, create: { shop, ...data }, update: data });
  // The storefront shows the address, phone, hours and promised response time.
  await storefrontChanged(shop);
  return { ok: true };
}
