import prisma from "../db.server";

/** Satisfaction surveys: one per ticket, every query scoped by shop. */

export function surveyForTicket(shop: string, ticketId: string) {
  return prisma.satisfactionSurvey.findFirst({ where: { shop, ticketId }, select: { sentAt: true, rating: true, comment: true, ratedAt: true } });
}

export async function surveyWithTicket(shop: string, surveyId: string) {
  const survey = await prisma.satisfactionSurvey.findFirst({ where: { shop, id: surveyId } });
  if (!survey) return null;
  const ticket = await prisma.ticket.findFirst({ where: { shop, id: survey.ticketId }, select: { locale: true, subject: true, number: true, redactedAt: true } });
  return ticket && !ticket.redactedAt ? { survey, ticket } : null;
}

/** A click on a rating link; a later click changes it. */
export async function recordRating(shop: string, surveyId: string, rating: number) {
  await prisma.satisfactionSurvey.updateMany({ where: { shop, id: surveyId }, data: { rating, ratedAt: new Date() } });
}

export async function recordComment(shop: string, surveyId: string, comment: string) {
  await prisma.satisfactionSurvey.updateMany({ where: { shop, id: surveyId }, data: { comment } });
}
