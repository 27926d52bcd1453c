import crypto from "node:crypto";
import prisma from "../db.server";
import { normalizeQuery } from "../services/faq/search";

/**
 * What the storefront help keeps that can lead to a shopper: searches whose words are their
 * email, phone or name (a shopper types their own details into the search box), and the help
 * visit that ended in their ticket, with the votes cast in it. Redaction deletes those searches
 * (their text is the personal data) and cuts the visit loose from the ticket and from its id,
 * so the anonymous counts (visits, deflection, votes) stay.
 */

export interface StorefrontTraces {
  /** Email, phone, names: words a search may contain. */
  terms: string[];
  phone: string | null;
  ticketIds: string[];
}

const digits = (text: string) => text.replace(/\D/g, "");

function searchMentions(text: string, traces: StorefrontTraces): boolean {
  const words = ` ${normalizeQuery(text)} `;
  if (traces.terms.some((term) => normalizeQuery(term) && words.includes(` ${normalizeQuery(term)} `))) return true;
  // A phone typed with spaces or dashes: its last nine digits, within one run of digits and separators.
  const phone = traces.phone ? digits(traces.phone).slice(-9) : "";
  return phone.length >= 7 && (text.match(/[\d\s().+-]{7,}/g) ?? []).some((run) => digits(run).includes(phone));
}

async function searchesOf(shop: string, traces: StorefrontTraces) {
  if (traces.terms.length === 0 && !traces.phone) return [];
  const rows = await prisma.faqSearch.findMany({ where: { shop }, select: { id: true, locale: true, query: true, sample: true, searches: true, lastSearchedAt: true } });
  return rows.filter((row) => searchMentions(row.query, traces) || searchMentions(row.sample, traces));
}

async function visitsOf(shop: string, traces: StorefrontTraces) {
  if (traces.ticketIds.length === 0) return [];
  return prisma.helpVisit.findMany({ where: { shop, ticketId: { in: traces.ticketIds } } });
}

export async function storefrontTracesOf(shop: string, traces: StorefrontTraces) {
  const [searches, visits] = await Promise.all([searchesOf(shop, traces), visitsOf(shop, traces)]);
  const votes = visits.length
    ? await prisma.faqVote.findMany({ where: { shop, visitId: { in: visits.map((v) => v.visitId) } }, select: { articleId: true, helpful: true, createdAt: true } })
    : [];
  return [
    ...searches.map((s) => ({ kind: "search", locale: s.locale, text: s.sample, times: s.searches, lastSearchedAt: s.lastSearchedAt })),
    ...visits.map((v) => ({ kind: "help_visit", locale: v.locale, startedAt: v.startedAt, searches: v.searches, articles: v.articles, contacted: v.contacted })),
    ...votes.map((v) => ({ kind: "vote", articleId: v.articleId, helpful: v.helpful, at: v.createdAt })),
  ];
}

export async function redactStorefrontTraces(shop: string, traces: StorefrontTraces): Promise<number> {
  const [searches, visits] = await Promise.all([searchesOf(shop, traces), visitsOf(shop, traces)]);
  await prisma.$transaction([
    prisma.faqSearch.deleteMany({ where: { shop, id: { in: searches.map((s) => s.id) } } }),
    ...visits.flatMap((visit) => {
      const anonymous = `erased-${crypto.randomUUID()}`;
      return [
        prisma.faqVote.updateMany({ where: { shop, visitId: visit.visitId }, data: { visitId: anonymous } }),
        prisma.helpVisit.updateMany({ where: { shop, id: visit.id }, data: { visitId: anonymous, ticketId: null } }),
      ];
    }),
  ]);
  return searches.length + visits.length;
}
