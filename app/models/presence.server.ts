import prisma from "../db.server";
import type { Staff } from "../services/tickets/tickets.server";

/**
 * Who of the shop's staff is on the desk. An open admin page keeps its staff member's row fresh
 * (the live stream touches it at connect and every heartbeat); a row not touched for
 * PRESENCE_TIMEOUT_MS is offline, so an agent who closes the admin drops off by themselves.
 */

export const PRESENCE_TIMEOUT_MS = 60_000;
export const PRESENCE_STATUSES = ["online", "away"] as const;
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];

/** The staff member has an admin page open now. Their chosen status (online or away) stays as it was. */
export async function touchPresence(shop: string, staff: Staff, now = new Date()): Promise<void> {
  await prisma.staffPresence.upsert({
    where: { shop_userId: { shop, userId: staff.id } },
    create: { shop, userId: staff.id, name: staff.name, status: "online", lastSeenAt: now },
    update: { name: staff.name, lastSeenAt: now },
  });
}

export async function setPresenceStatus(shop: string, staff: Staff, status: PresenceStatus, now = new Date()): Promise<void> {
  await prisma.staffPresence.upsert({
    where: { shop_userId: { shop, userId: staff.id } },
    create: { shop, userId: staff.id, name: staff.name, status, lastSeenAt: now },
    update: { name: staff.name, status, lastSeenAt: now },
  });
}

/** The staff member's own status as the admin shows it: online, away, or offline (no page open). */
export async function presenceOf(shop: string, userId: string, now = new Date()): Promise<PresenceStatus | "offline"> {
  const row = await prisma.staffPresence.findUnique({ where: { shop_userId: { shop, userId } } });
  if (!row || row.lastSeenAt.getTime() < now.getTime() - PRESENCE_TIMEOUT_MS) return "offline";
  return row.status === "away" ? "away" : "online";
}

/** Staff online now (an admin page open, status online). */
export async function onlineStaff(shop: string, now = new Date()): Promise<{ userId: string; name: string }[]> {
  return prisma.staffPresence.findMany({
    where: { shop, status: "online", lastSeenAt: { gte: new Date(now.getTime() - PRESENCE_TIMEOUT_MS) } },
    select: { userId: true, name: true },
    orderBy: { name: "asc" },
    take: 50,
  });
}
