import prisma from "../../db.server";
import { faqDefaultLocale, parseTitles, titleIn, type FaqLocale } from "../../models/faq.server";
import { supportedLanguage } from "../tickets/auto-ack-text";
import { answerText } from "./rich-text";
import { FaqIndex, normalizeQuery, type SearchDocument } from "./search";

/**
 * The FAQ as shoppers meet it through the App Proxy: search (from an index cached per shop and
 * language until the FAQ's version moves), an article with its view counted, "Did this help?"
 * votes, and the panel visits that tell how often the FAQ answered and a ticket was not needed.
 */

interface CachedIndex {
  version: string;
  index: FaqIndex;
}

const cache = new Map<string, CachedIndex>();
const MAX_CACHED = 500;

/**
 * The FAQ's version as the database has it, read on every search, so an edit made through any app
 * process is searched at once everywhere. The row's generation tells a FAQ erased and begun again
 * (shop/redact, a new install) from the one cached, whose counter it may repeat.
 */
async function currentVersion(shop: string): Promise<string> {
  const state = await prisma.faqState.findUnique({ where: { shop }, select: { version: true, generation: true } });
  return state ? `${state.generation ?? ""}:${state.version}` : "none";
}

/** Published articles in one language: each in that language, else the shop's default one. */
async function loadDocuments(shop: string, locale: FaqLocale): Promise<SearchDocument[]> {
  const defaultLocale = await faqDefaultLocale(shop);
  const [articles, categories] = await Promise.all([
    prisma.faqArticle.findMany({
      where: { shop, published: true },
      orderBy: [{ position: "asc" }, { id: "asc" }],
      select: { id: true, categoryId: true, translations: { where: { locale: { in: [locale, defaultLocale] } }, select: { locale: true, question: true, answer: true } } },
    }),
    prisma.faqCategory.findMany({ where: { shop }, select: { id: true, handle: true, titles: true } }),
  ]);
  const categoryTitle = new Map(categories.map((c) => [c.id, titleIn(parseTitles(c.titles), locale, defaultLocale, c.handle)]));
  const docs: SearchDocument[] = [];
  for (const article of articles) {
    const t = article.translations.find((x) => x.locale === locale) ?? article.translations.find((x) => x.locale === defaultLocale);
    if (!t) continue;
    docs.push({ id: article.id, question: t.question, answerText: answerText(t.answer), category: article.categoryId ? (categoryTitle.get(article.categoryId) ?? null) : null });
  }
  return docs;
}

export async function faqIndexFor(shop: string, locale: FaqLocale): Promise<FaqIndex> {
  const key = `${shop}\u0000${locale}`;
  const version = await currentVersion(shop);
  const cached = cache.get(key);
  if (cached && cached.version === version) return cached.index;
  const index = new FaqIndex(await loadDocuments(shop, locale));
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(key, { version, index });
  return index;
}

export function storefrontLocale(value: string | undefined | null): FaqLocale {
  return supportedLanguage(value, "en");
}

const VISIT_ID = /^[A-Za-z0-9_-]{8,64}$/;
export const validVisitId = (value: string | null | undefined): string | null => (value && VISIT_ID.test(value) ? value : null);

export async function searchFaq(shop: string, input: { query: string; locale: FaqLocale; record: boolean; visitId: string | null }) {
  const query = input.query.trim().slice(0, 200);
  const index = await faqIndexFor(shop, input.locale);
  const results = index.search(query, 8);
  const normalized = normalizeQuery(query);
  if (input.record && normalized.length >= 2) {
    const now = new Date();
    const empty = results.length === 0 ? 1 : 0;
    await prisma.faqSearch.upsert({
      where: { shop_locale_query: { shop, locale: input.locale, query: normalized } },
      create: { shop, locale: input.locale, query: normalized, sample: query, searches: 1, noResult: empty, lastResultCount: results.length, lastSearchedAt: now },
      update: { sample: query, searches: { increment: 1 }, noResult: { increment: empty }, lastResultCount: results.length, lastSearchedAt: now },
    });
    if (input.visitId) await prisma.helpVisit.updateMany({ where: { shop, visitId: input.visitId }, data: { searches: { increment: 1 } } });
  }
  return { query, results: results.map(({ id, question, snippet, category }) => ({ id: String(id), question, snippet, category })) };
}

export async function storefrontArticle(shop: string, id: number, locale: FaqLocale, visitId: string | null) {
  const defaultLocale = await faqDefaultLocale(shop);
  const article = await prisma.faqArticle.findFirst({
    where: { shop, id, published: true },
    select: { id: true, category: { select: { handle: true, titles: true } }, translations: { where: { locale: { in: [locale, defaultLocale] } } } },
  });
  const t = article?.translations.find((x) => x.locale === locale) ?? article?.translations.find((x) => x.locale === defaultLocale);
  if (!article || !t) return null;
  await prisma.faqArticle.updateMany({ where: { shop, id }, data: { views: { increment: 1 } } });
  if (visitId) await prisma.helpVisit.updateMany({ where: { shop, visitId }, data: { articles: { increment: 1 } } });
  return {
    id: String(article.id),
    question: t.question,
    answerHtml: t.answerHtml,
    locale: t.locale,
    category: article.category ? titleIn(parseTitles(article.category.titles), locale, defaultLocale, article.category.handle) : null,
  };
}

/** One vote per visit and article; voting again changes the vote. */
export async function voteArticle(shop: string, id: number, visitId: string, helpful: boolean): Promise<boolean> {
  const article = await prisma.faqArticle.findFirst({ where: { shop, id, published: true }, select: { id: true } });
  if (!article) return false;
  await prisma.faqVote.upsert({
    where: { shop_articleId_visitId: { shop, articleId: id, visitId } },
    create: { shop, articleId: id, visitId, helpful },
    update: { helpful },
  });
  return true;
}

export async function recordVisit(shop: string, visitId: string, locale: FaqLocale): Promise<void> {
  await prisma.helpVisit.upsert({ where: { shop_visitId: { shop, visitId } }, create: { shop, visitId, locale }, update: {} });
}

/** The visit ended in a contact form: the FAQ did not answer this shopper. */
export async function markVisitContacted(shop: string, visitId: string, ticketId: string | null, locale: FaqLocale): Promise<void> {
  await prisma.helpVisit.upsert({
    where: { shop_visitId: { shop, visitId } },
    create: { shop, visitId, locale, contacted: true, ticketId },
    update: { contacted: true, ticketId },
  });
}
