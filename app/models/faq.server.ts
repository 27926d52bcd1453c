import { z } from "zod";
import type { Prisma } from "@prisma/client";
import prisma from "../db.server";
import { foldSearchText, searchTextOf } from "../utils/search-text";
import { supportedLanguage } from "../services/tickets/auto-ack-text";
import { FAQ_LIMITS, FAQ_LOCALES, type FaqLocale } from "../services/faq/constants";
import { answerText, renderAnswer } from "../services/faq/rich-text";

/**
 * The shop's FAQ: categories and articles, each article in up to six languages. Every change
 * bumps the FAQ's version, which the storefront search cache and the publish job follow.
 */

export { FAQ_LIMITS, FAQ_LOCALES, type FaqLocale };

/** The language every article must have: the shop's, when it is one of ours, else English. */
export async function faqDefaultLocale(shop: string): Promise<FaqLocale> {
  const profile = await prisma.shop.findUnique({ where: { shop }, select: { primaryLocale: true } });
  return supportedLanguage(profile?.primaryLocale, "en");
}

export function parseTitles(json: string): Partial<Record<FaqLocale, string>> {
  try {
    const value: unknown = JSON.parse(json);
    if (!value || typeof value !== "object") return {};
    return Object.fromEntries(Object.entries(value).filter(([k, v]) => (FAQ_LOCALES as readonly string[]).includes(k) && typeof v === "string" && v.trim())) as Partial<Record<FaqLocale, string>>;
  } catch {
    return {};
  }
}

/** A category's title in a language, falling back to the default language, then the handle. */
export function titleIn(titles: Partial<Record<FaqLocale, string>>, locale: string, fallback: string, handle: string): string {
  return titles[locale as FaqLocale] ?? titles[fallback as FaqLocale] ?? Object.values(titles)[0] ?? handle;
}

/** Marks the FAQ changed: the storefront search reloads and the storefront copy is republished. */
export async function bumpFaqVersion(shop: string, tx: Prisma.TransactionClient = prisma): Promise<number> {
  const state = await tx.faqState.upsert({ where: { shop }, create: { shop, version: 1 }, update: { version: { increment: 1 } } });
  return state.version;
}

/**
 * Claims the check of the storefront copy in Shopify when no app process has made one since
 * `since`: a conditional write, so of all the processes serving the shop exactly one wins.
 */
export async function claimStorefrontCheck(shop: string, since: Date, now: Date): Promise<boolean> {
  const { count } = await prisma.faqState.updateMany({
    where: { shop, publishedAt: { not: null }, OR: [{ copyCheckedAt: null }, { copyCheckedAt: { lt: since } }] },
    data: { copyCheckedAt: now },
  });
  return count === 1;
}

export async function faqState(shop: string) {
  return (await prisma.faqState.findUnique({ where: { shop } })) ?? { shop, version: 0, publishedVersion: 0, publishedAt: null, publishError: null, publishedBytes: 0 };
}

// ------------------------------------------------------------------ categories

export async function listCategories(shop: string) {
  const rows = await prisma.faqCategory.findMany({ where: { shop }, orderBy: [{ position: "asc" }, { id: "asc" }], include: { _count: { select: { articles: true } } } });
  return rows.map((c) => ({ id: c.id, handle: c.handle, position: c.position, titles: parseTitles(c.titles), articleCount: c._count.articles }));
}

const HANDLE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export type CategoryErrors = Partial<Record<"handle" | `title_${FaqLocale}` | "form", string>>;

export async function saveCategory(shop: string, id: number | null, input: Record<string, string>): Promise<{ errors: CategoryErrors } | { ok: true; id: number }> {
  const errors: CategoryErrors = {};
  const defaultLocale = await faqDefaultLocale(shop);
  const titles: Partial<Record<FaqLocale, string>> = {};
  for (const locale of FAQ_LOCALES) {
    const title = (input[`title_${locale}`] ?? "").trim();
    if (title.length > FAQ_LIMITS.categoryTitle) errors[`title_${locale}`] = `Keep the title under ${FAQ_LIMITS.categoryTitle} characters.`;
    else if (title) titles[locale] = title;
  }
  if (!titles[defaultLocale]) errors[`title_${defaultLocale}`] = "Enter a title in the shop's language.";
  const handle = (input.handle ?? "").trim().toLowerCase() || slugify(titles[defaultLocale] ?? "");
  if (!HANDLE.test(handle) || handle.length > FAQ_LIMITS.handle) errors.handle = "Use lowercase letters, numbers and dashes, like shipping-and-delivery.";
  if (Object.keys(errors).length > 0) return { errors };
  const clash = await prisma.faqCategory.findFirst({ where: { shop, handle, ...(id ? { NOT: { id } } : {}) }, select: { id: true } });
  if (clash) return { errors: { handle: "Another category has this handle." } };
  return prisma.$transaction(async (tx) => {
    if (id) {
      const updated = await tx.faqCategory.updateMany({ where: { shop, id }, data: { handle, titles: JSON.stringify(titles) } });
      if (updated.count === 0) return { errors: { form: "This category no longer exists." } };
      await bumpFaqVersion(shop, tx);
      return { ok: true as const, id };
    }
    const last = await tx.faqCategory.aggregate({ where: { shop }, _max: { position: true } });
    const created = await tx.faqCategory.create({ data: { shop, handle, titles: JSON.stringify(titles), position: (last._max.position ?? -1) + 1 } });
    await bumpFaqVersion(shop, tx);
    return { ok: true as const, id: created.id };
  });
}

/** Deletes a category; its articles stay, uncategorized. */
export async function deleteCategory(shop: string, id: number): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    await tx.faqArticle.updateMany({ where: { shop, categoryId: id }, data: { categoryId: null } });
    const deleted = await tx.faqCategory.deleteMany({ where: { shop, id } });
    if (deleted.count > 0) await bumpFaqVersion(shop, tx);
    return deleted.count > 0;
  });
}

function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ı/g, "i")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, FAQ_LIMITS.handle);
}

// -------------------------------------------------------------------- articles

export interface ArticleListOptions {
  categoryId?: number | "none" | null;
  query?: string;
  status?: "published" | "draft" | null;
  page?: number;
  pageSize?: number;
}

export async function listArticles(shop: string, options: ArticleListOptions = {}) {
  const pageSize = options.pageSize ?? 50;
  const page = Math.max(1, options.page ?? 1);
  const query = foldSearchText((options.query ?? "").slice(0, 100));
  const where: Prisma.FaqArticleWhereInput = {
    shop,
    ...(options.categoryId === "none" ? { categoryId: null } : options.categoryId ? { categoryId: options.categoryId } : {}),
    ...(options.status === "published" ? { published: true } : options.status === "draft" ? { published: false } : {}),
    // In any language of the article, in any case, with or without accents.
    ...(query ? { translations: { some: { shop, searchText: { contains: query } } } } : {}),
  };
  const [total, rows] = await Promise.all([
    prisma.faqArticle.count({ where }),
    prisma.faqArticle.findMany({
      where,
      orderBy: [{ categoryId: "asc" }, { position: "asc" }, { id: "asc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      include: { translations: { select: { locale: true, question: true } }, category: { select: { handle: true, titles: true } } },
    }),
  ]);
  const ids = rows.map((r) => r.id);
  const votes = ids.length
    ? await prisma.faqVote.groupBy({ by: ["articleId", "helpful"], where: { shop, articleId: { in: ids } }, _count: { _all: true } })
    : [];
  const defaultLocale = await faqDefaultLocale(shop);
  return {
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
    articles: rows.map((r) => {
      const byLocale = new Map(r.translations.map((t) => [t.locale, t.question]));
      return {
        id: r.id,
        question: byLocale.get(defaultLocale) ?? r.translations[0]?.question ?? "(no question)",
        locales: FAQ_LOCALES.filter((l) => byLocale.has(l)),
        published: r.published,
        views: r.views,
        position: r.position,
        category: r.category ? titleIn(parseTitles(r.category.titles), defaultLocale, defaultLocale, r.category.handle) : null,
        // Votes still kept, plus those retention counted into the article.
        helpful: (votes.find((v) => v.articleId === r.id && v.helpful)?._count._all ?? 0) + r.helpfulVotes,
        notHelpful: (votes.find((v) => v.articleId === r.id && !v.helpful)?._count._all ?? 0) + r.notHelpfulVotes,
      };
    }),
  };
}

export async function articleForShop(shop: string, id: number) {
  const article = await prisma.faqArticle.findFirst({ where: { shop, id }, include: { translations: true } });
  if (!article) return null;
  const votes = await prisma.faqVote.groupBy({ by: ["helpful"], where: { shop, articleId: id }, _count: { _all: true } });
  return {
    id: article.id,
    categoryId: article.categoryId,
    published: article.published,
    views: article.views,
    helpful: (votes.find((v) => v.helpful)?._count._all ?? 0) + article.helpfulVotes,
    notHelpful: (votes.find((v) => !v.helpful)?._count._all ?? 0) + article.notHelpfulVotes,
    translations: Object.fromEntries(article.translations.map((t) => [t.locale, { question: t.question, answer: t.answer, answerHtml: t.answerHtml }])) as Partial<
      Record<FaqLocale, { question: string; answer: string; answerHtml: string }>
    >,
  };
}

export type ArticleErrors = Partial<Record<"categoryId" | "form" | `question_${FaqLocale}` | `answer_${FaqLocale}`, string>>;

const ArticleSchema = z.object({
  categoryId: z.union([z.literal(""), z.coerce.number().int().positive().max(2_147_483_647)]).optional().default(""),
  published: z.preprocess((v) => v === true || v === "true" || v === "on", z.boolean()),
});

export async function saveArticle(shop: string, id: number | null, input: Record<string, string>): Promise<{ errors: ArticleErrors } | { ok: true; id: number }> {
  const errors: ArticleErrors = {};
  const parsed = ArticleSchema.safeParse(input);
  if (!parsed.success) errors.categoryId = "Choose a category from the list.";
  const defaultLocale = await faqDefaultLocale(shop);
  const translations: { locale: FaqLocale; question: string; answer: string }[] = [];
  for (const locale of FAQ_LOCALES) {
    const question = (input[`question_${locale}`] ?? "").trim();
    const answer = (input[`answer_${locale}`] ?? "").trim();
    if (question.length > FAQ_LIMITS.question) errors[`question_${locale}`] = `Keep the question under ${FAQ_LIMITS.question} characters.`;
    if (answer.length > FAQ_LIMITS.answer) errors[`answer_${locale}`] = `Keep the answer under ${FAQ_LIMITS.answer.toLocaleString("en")} characters.`;
    if (question && !answer) errors[`answer_${locale}`] ??= "Write the answer, or clear the question to leave this language out.";
    if (answer && !question) errors[`question_${locale}`] ??= "Write the question, or clear the answer to leave this language out.";
    if (question && answer) translations.push({ locale, question, answer });
  }
  if (!translations.some((t) => t.locale === defaultLocale)) {
    errors[`question_${defaultLocale}`] ??= "Write the question in the shop's language.";
    if (!(input[`answer_${defaultLocale}`] ?? "").trim()) errors[`answer_${defaultLocale}`] ??= "Write the answer in the shop's language.";
  }
  const categoryId = parsed.success && parsed.data.categoryId !== "" ? parsed.data.categoryId : null;
  if (categoryId && !(await prisma.faqCategory.findFirst({ where: { shop, id: categoryId }, select: { id: true } }))) errors.categoryId = "Choose a category from the list.";
  if (Object.keys(errors).length > 0 || !parsed.success) return { errors };
  const published = parsed.data.published;

  return prisma.$transaction(async (tx) => {
    let articleId = id;
    if (articleId) {
      const existing = await tx.faqArticle.findFirst({ where: { shop, id: articleId }, select: { categoryId: true } });
      if (!existing) return { errors: { form: "This article no longer exists." } };
      const moved = existing.categoryId !== categoryId;
      const position = moved ? ((await tx.faqArticle.aggregate({ where: { shop, categoryId }, _max: { position: true } }))._max.position ?? -1) + 1 : undefined;
      await tx.faqArticle.updateMany({ where: { shop, id: articleId }, data: { categoryId, published, ...(position !== undefined ? { position } : {}) } });
      await tx.faqTranslation.deleteMany({ where: { shop, articleId, locale: { notIn: translations.map((t) => t.locale) } } });
    } else {
      const last = await tx.faqArticle.aggregate({ where: { shop, categoryId }, _max: { position: true } });
      articleId = (await tx.faqArticle.create({ data: { shop, categoryId, published, position: (last._max.position ?? -1) + 1 } })).id;
    }
    for (const t of translations) {
      const searchText = searchTextOf([t.question, t.answer]);
      const data = { question: t.question, answer: t.answer, answerHtml: renderAnswer(t.answer), searchText };
      await tx.faqTranslation.upsert({ where: { articleId_locale: { articleId, locale: t.locale } }, create: { shop, articleId, locale: t.locale, ...data }, update: data });
    }
    await bumpFaqVersion(shop, tx);
    return { ok: true as const, id: articleId };
  });
}

export async function deleteArticle(shop: string, id: number): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const deleted = await tx.faqArticle.deleteMany({ where: { shop, id } });
    if (deleted.count === 0) return false;
    await tx.faqTranslation.deleteMany({ where: { shop, articleId: id } });
    await tx.faqVote.deleteMany({ where: { shop, articleId: id } });
    await bumpFaqVersion(shop, tx);
    return true;
  });
}

/** Publishes or unpublishes the shop's articles named by id; null (and nothing changed) when any id is not the shop's. */
export async function setArticlePublished(shop: string, ids: number[], published: boolean): Promise<number | null> {
  // A read, then writes: safe against another process's write in between on SQLite too, because
  // every transaction there begins IMMEDIATE (app/db-adapter.ts).
  return prisma.$transaction(async (tx) => {
    const unique = [...new Set(ids)];
    if ((await tx.faqArticle.count({ where: { shop, id: { in: unique } } })) !== unique.length) return null;
    const updated = await tx.faqArticle.updateMany({ where: { shop, id: { in: unique } }, data: { published } });
    if (updated.count > 0) await bumpFaqVersion(shop, tx);
    return updated.count;
  });
}

/** Moves an article one place up or down within its category (swapping with its neighbour); null when it is not the shop's. */
export async function moveArticle(shop: string, id: number, direction: "up" | "down"): Promise<boolean | null> {
  return prisma.$transaction(async (tx) => {
    const article = await tx.faqArticle.findFirst({ where: { shop, id } });
    if (!article) return null;
    const neighbour = await tx.faqArticle.findFirst({
      where: {
        shop,
        categoryId: article.categoryId,
        ...(direction === "up"
          ? { OR: [{ position: { lt: article.position } }, { position: article.position, id: { lt: article.id } }] }
          : { OR: [{ position: { gt: article.position } }, { position: article.position, id: { gt: article.id } }] }),
      },
      orderBy: direction === "up" ? [{ position: "desc" }, { id: "desc" }] : [{ position: "asc" }, { id: "asc" }],
    });
    if (!neighbour) return false;
    const [a, b] = neighbour.position === article.position ? (direction === "up" ? [article.position - 1, article.position] : [article.position + 1, article.position]) : [neighbour.position, article.position];
    await tx.faqArticle.updateMany({ where: { shop, id: article.id }, data: { position: a } });
    await tx.faqArticle.updateMany({ where: { shop, id: neighbour.id }, data: { position: b } });
    await bumpFaqVersion(shop, tx);
    return true;
  });
}

export { renderAnswer, answerText };
