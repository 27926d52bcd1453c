import prisma from "../db.server";
import { isTimeZone } from "../services/support/business-hours";

/**
 * The zone every admin page shows times in: the desk's business-hours zone when the merchant
 * chose one, else the shop's own zone from Shopify, else UTC. The SLA is computed in the same one.
 */
export async function shopTimeZone(shop: string): Promise<string> {
  const [settings, profile] = await Promise.all([
    prisma.supportSettings.findUnique({ where: { shop }, select: { timeZone: true } }),
    prisma.shop.findUnique({ where: { shop }, select: { ianaTimezone: true } }),
  ]);
  const zone = settings?.timeZone ?? profile?.ianaTimezone ?? "UTC";
  return isTimeZone(zone) ? zone : "UTC";
}
