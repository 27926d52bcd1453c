import { Prisma } from "@prisma/client";
import prisma from "../db.server";

export interface IncomingWebhook {
  shop: string;
  topic: string;
  eventId: string;
  webhookId?: string;
  apiVersion?: string;
  triggeredAt?: Date;
  rawPayload: string;
}

/**
 * Writes a delivery down once per (shop, event id). Returns the stored row and
 * whether it was new: a duplicate delivery of the same event is acknowledged
 * but produces nothing further.
 */
export async function recordWebhook(input: IncomingWebhook) {
  try {
    const event = await prisma.webhookEvent.create({
      data: {
        shop: input.shop,
        topic: input.topic,
        eventId: input.eventId,
        webhookId: input.webhookId,
        apiVersion: input.apiVersion,
        triggeredAt: input.triggeredAt,
        payload: input.rawPayload,
      },
    });
    return { event, duplicate: false as const };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const event = await prisma.webhookEvent.findUniqueOrThrow({
        where: { shop_eventId: { shop: input.shop, eventId: input.eventId } },
      });
      return { event, duplicate: true as const };
    }
    throw error;
  }
}

export function markWebhookProcessed(shop: string, id: string, error?: string) {
  return prisma.webhookEvent.updateMany({
    where: { shop, id },
    data: error ? { status: "failed", error } : { status: "processed", processedAt: new Date(), error: null },
  });
}

export function recentWebhooksForShop(shop: string, take = 50) {
  return prisma.webhookEvent.findMany({
    where: { shop },
    orderBy: { receivedAt: "desc" },
    take,
    select: { id: true, topic: true, eventId: true, status: true, error: true, receivedAt: true, processedAt: true, triggeredAt: true, apiVersion: true },
  });
}

export async function webhookSummaryForShop(shop: string, since: Date) {
  const [received, failed, last] = await Promise.all([
    prisma.webhookEvent.count({ where: { shop, receivedAt: { gte: since } } }),
    prisma.webhookEvent.count({ where: { shop, status: "failed" } }),
    prisma.webhookEvent.findFirst({ where: { shop }, orderBy: { receivedAt: "desc" }, select: { receivedAt: true, topic: true } }),
  ]);
  return { received, failed, last };
}
