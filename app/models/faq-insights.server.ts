import prisma from "../db.server";
import { localParts } from "../services/support/business-hours";
import { faqDefaultLocale } from "./faq.server";
import { shopTimeZone } from "./shop-time-zone.server";

/**
 * Help-panel visits from start (to end, when given), and how many ended in a contact form: the visits kept,
 * plus the local days fromDay..toDay (YYYY-MM-DD) whose visits retention counted and deleted.
 */
export async function helpVisitTotals(
  shop: string,
  range: { start: Date; end?: Date; fromDay: string; toDay: string },
): Promise<{ visits: number; contacted: number }> {
  const startedAt = { gte: range.start, ...(range.end ? { lt: range.end } : {}) };
  const [visits, contacted, days] = await Promise.all([
    prisma.helpVisit.count({ where: { shop, startedAt } }),
    prisma.helpVisit.count({ where: { shop, startedAt, contacted: true } }),
    prisma.helpVisitDay.aggregate({
      where: { shop, day: { gte: range.fromDay, lte: range.toDay } },
      _sum: { visits: true, contacted: true },
    }),
  ]);
  return { visits: visits + (days._sum.visits ?? 0), contacted: contacted + (days._sum.contacted ?? 0) };
}

const localDate = (at: Date, timeZone: string) => {
  const p = localParts(at, timeZone);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
};

/**
 * What shoppers look for: searches that found nothing (questions the FAQ should answer), the
 * most read articles with their "Did this help?" votes, and deflection: the share of help
 * panel visits that did not end in a contact form.
 */
export async function faqInsights(shop: string, { days = 30, now = new Date() }: { days?: number; now?: Date } = {}) {
  const since = new Date(now.getTime() - days * 24 * 60 * 60 * 1000);
  const [defaultLocale, timeZone] = await Promise.all([faqDefaultLocale(shop), shopTimeZone(shop)]);
  const range = { start: since, fromDay: localDate(since, timeZone), toDay: localDate(now, timeZone) };
  const [unanswered, topSearches, mostViewed, { visits, contacted }] = await Promise.all([
    prisma.faqSearch.findMany({ where: { shop, noResult: { gt: 0 } }, orderBy: [{ noResult: "desc" }, { lastSearchedAt: "desc" }], take: 20 }),
    prisma.faqSearch.findMany({ where: { shop }, orderBy: [{ searches: "desc" }, { lastSearchedAt: "desc" }], take: 10 }),
    prisma.faqArticle.findMany({
      where: { shop, views: { gt: 0 } },
      orderBy: [{ views: "desc" }, { id: "asc" }],
      take: 10,
      select: {
        id: true,
        views: true,
        helpfulVotes: true,
        notHelpfulVotes: true,
        translations: { select: { locale: true, question: true } },
      },
    }),
    helpVisitTotals(shop, range),
  ]);
  const votes = mostViewed.length
    ? await prisma.faqVote.groupBy({ by: ["articleId", "helpful"], where: { shop, articleId: { in: mostViewed.map((a) => a.id) } }, _count: { _all: true } })
    : [];
  const count = (articleId: number, helpful: boolean) => votes.find((v) => v.articleId === articleId && v.helpful === helpful)?._count._all ?? 0;
  return {
    days,
    unanswered: unanswered.map((s) => ({ query: s.sample, locale: s.locale, times: s.noResult, lastSearchedAt: s.lastSearchedAt.toISOString() })),
    topSearches: topSearches.map((s) => ({ query: s.sample, locale: s.locale, times: s.searches, lastResultCount: s.lastResultCount })),
    mostViewed: mostViewed.map((a) => ({
      id: a.id,
      question: a.translations.find((t) => t.locale === defaultLocale)?.question ?? a.translations[0]?.question ?? "",
      views: a.views,
      helpful: count(a.id, true) + a.helpfulVotes,
      notHelpful: count(a.id, false) + a.notHelpfulVotes,
    })),
    visits,
    contacted,
    // Visits that did not need a ticket; null before anyone opened the panel.
    deflectionRate: visits > 0 ? (visits - contacted) / visits : null,
  };
}
