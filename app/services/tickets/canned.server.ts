import prisma from "../../db.server";
import { cannedReplyVariables, fillVariables, listCannedReplies } from "../../models/canned-reply.server";

/**
 * Canned replies as the reply box offers them: each one's text with this ticket's variables
 * already filled in ({{first_name}}, {{order_name}}, {{tracking_link}}, …).
 */

export async function cannedRepliesForTicket(shop: string, ticketId: string) {
  const [replies, variables] = await Promise.all([listCannedReplies(shop), cannedReplyVariables(shop, ticketId)]);
  return replies.map((reply) => ({ id: reply.id, title: reply.title, filled: fillVariables(reply.body, variables ?? {}) }));
}

export async function recordCannedReplyUse(shop: string, id: string) {
  await prisma.cannedReply.updateMany({ where: { shop, id }, data: { usageCount: { increment: 1 } } });
}
