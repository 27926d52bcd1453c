import prisma from "../../db.server";
import { defineJob } from "../../jobs/types";
import { enqueue } from "../../jobs/enqueue.server";
import {
  FAQ_LOCALES,
  bumpFaqVersion,
  claimStorefrontCheck,
  faqDefaultLocale,
  parseTitles,
  titleIn,
  type FaqLocale,
} from "../../models/faq.server";
import { supportSettings } from "../../models/support-settings.server";
import { CURRENT_APP_INSTALLATION_QUERY, METAFIELDS_SET_MUTATION, STOREFRONT_COPY_QUERY } from "../../shopify/documents";
import { adminClientForShop } from "../sync/client.server";
import { WEEKDAYS, type WeeklySchedule } from "../support/business-hours";
import { answerText } from "./rich-text";

/**
 * The theme extension renders the FAQ block in Liquid, without asking the app, so the app keeps
 * a copy of what the storefront shows in an app-data metafield on its installation
 * (`app.metafields.support_desk.storefront`): contact details, the promised response time, and
 * the published FAQ in each language. Shopify caps JSON metafields at 128 KB, so each language
 * gets an equal share and the block shows the first articles of each category that fit; search
 * through the proxy covers all of them.
 */

export const STOREFRONT_NAMESPACE = "support_desk";
export const STOREFRONT_KEY = "storefront";
/** Below Shopify's 128 KB JSON metafield limit, with room for the envelope. */
export const STOREFRONT_BUDGET_BYTES = 120 * 1024;
const TOP_QUESTIONS = 5;

interface StorefrontArticle {
  id: string;
  question: string;
  answerHtml: string;
  answerText: string;
}

interface StorefrontLocale {
  categories: { id: string; handle: string; title: string; articles: StorefrontArticle[] }[];
  top: { id: string; question: string }[];
}

export interface StorefrontPayload {
  version: number;
  defaultLocale: FaqLocale;
  responseTimeHours: number;
  contact: { email: string; phone: string; hours: Partial<Record<FaqLocale, string>> };
  locales: Partial<Record<FaqLocale, StorefrontLocale>>;
}

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), "utf8");

export async function storefrontPayload(shop: string, version: number): Promise<{ payload: StorefrontPayload; articlesShown: number; articlesLeftOut: number }> {
  const [settings, defaultLocale, categories, articles] = await Promise.all([
    supportSettings(shop),
    faqDefaultLocale(shop),
    prisma.faqCategory.findMany({ where: { shop }, orderBy: [{ position: "asc" }, { id: "asc" }] }),
    prisma.faqArticle.findMany({
      where: { shop, published: true },
      orderBy: [{ position: "asc" }, { id: "asc" }],
      select: { id: true, categoryId: true, views: true, translations: { select: { locale: true, question: true, answer: true, answerHtml: true } } },
    }),
  ]);
  const payload: StorefrontPayload = {
    version,
    defaultLocale,
    responseTimeHours: settings.responseTimeHours,
    contact: { email: settings.fromEmail, phone: settings.supportPhone, hours: Object.fromEntries(FAQ_LOCALES.map((l) => [l, hoursText(settings.schedule, settings.timeZone, l)])) },
    locales: {},
  };
  const perLocaleBudget = Math.floor((STOREFRONT_BUDGET_BYTES - bytes(payload)) / FAQ_LOCALES.length);
  const groups = [...categories.map((c) => ({ id: c.id as number | null, handle: c.handle, titles: parseTitles(c.titles) })), { id: null, handle: "other", titles: {} as Partial<Record<FaqLocale, string>> }];
  let shown = 0;
  let leftOut = 0;
  for (const locale of FAQ_LOCALES) {
    const inLocale = (a: (typeof articles)[number]) => a.translations.find((t) => t.locale === locale) ?? a.translations.find((t) => t.locale === defaultLocale);
    const entry: StorefrontLocale = { categories: [], top: [] };
    let used = 0;
    const top = [...articles].sort((a, b) => b.views - a.views || a.id - b.id).slice(0, TOP_QUESTIONS);
    for (const a of top) {
      const t = inLocale(a);
      if (t) entry.top.push({ id: String(a.id), question: t.question });
    }
    used += bytes(entry.top);
    // Round-robin over categories, so every category shows its first questions before any shows many.
    const queues = groups.map((g) => ({ group: g, items: articles.filter((a) => a.categoryId === g.id) })).filter((q) => q.items.length > 0);
    const out = new Map(queues.map((q) => [q.group, [] as StorefrontArticle[]]));
    let full = false;
    for (let round = 0; !full && queues.some((q) => q.items.length > round); round++) {
      for (const q of queues) {
        const a = q.items[round];
        if (!a) continue;
        const t = inLocale(a);
        if (!t) continue;
        const item = { id: String(a.id), question: t.question, answerHtml: t.answerHtml, answerText: answerText(t.answer) };
        const size = bytes(item) + 1;
        if (used + size > perLocaleBudget) {
          full = true;
          break;
        }
        used += size;
        out.get(q.group)!.push(item);
      }
    }
    for (const q of queues) {
      const items = out.get(q.group)!;
      if (items.length === 0) continue;
      entry.categories.push({ id: q.group.id ? String(q.group.id) : "other", handle: q.group.handle, title: titleIn(q.group.titles, locale, defaultLocale, q.group.id ? q.group.handle : "FAQ"), articles: items });
      if (locale === defaultLocale) shown += items.length;
    }
    if (locale === defaultLocale) leftOut = articles.length - shown;
    payload.locales[locale] = entry;
  }
  return { payload, articlesShown: shown, articlesLeftOut: leftOut };
}

/** "Mon–Fri 09:00–17:00" in the shopper's language, in the shop's zone. */
export function hoursText(schedule: WeeklySchedule, timeZone: string, locale: string): string {
  const order = [1, 2, 3, 4, 5, 6, 0];
  // 2026-11-23 was a Monday; day names come from Intl in the shopper's language.
  const dayName = (d: number) => new Intl.DateTimeFormat(locale, { weekday: "short", timeZone: "UTC" }).format(new Date(Date.UTC(2026, 10, 22 + (d === 0 ? 7 : d))));
  const time = (minutes: number) =>
    minutes === 1440 ? "24:00" : new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" }).format(new Date(Date.UTC(2026, 0, 1, 0, minutes)));
  const spans: { from: number; to: number; key: string }[] = [];
  for (const d of order) {
    const intervals = schedule[WEEKDAYS[d]];
    if (intervals.length === 0) continue;
    const key = intervals.map(([a, b]) => `${time(a)}–${time(b)}`).join(", ");
    const last = spans[spans.length - 1];
    if (last && last.key === key && order.indexOf(last.to) === order.indexOf(d) - 1) last.to = d;
    else spans.push({ from: d, to: d, key });
  }
  if (spans.length === 0) return "";
  const text = spans.map((s) => `${s.from === s.to ? dayName(s.from) : `${dayName(s.from)}–${dayName(s.to)}`} ${s.key}`).join("; ");
  return `${text} (${timeZone})`;
}

/** The version of the storefront copy Shopify holds now (null: none, or not one of ours). */
async function publishedCopyVersion(client: Awaited<ReturnType<typeof adminClientForShop>>): Promise<number | null> {
  const result = await client.request<{ currentAppInstallation: { metafield: { value: string } | null } }>(STOREFRONT_COPY_QUERY, {
    namespace: STOREFRONT_NAMESPACE,
    key: STOREFRONT_KEY,
  });
  const value = result.currentAppInstallation.metafield?.value;
  if (!value) return null;
  try {
    const version = (JSON.parse(value) as Partial<StorefrontPayload>).version;
    return typeof version === "number" ? version : null;
  } catch {
    return null;
  }
}

export const publishStorefrontJob = defineJob<{ version: number; check?: boolean }>({
  kind: "storefront.publish",
  maxAttempts: 6,
  async run({ shop, payload }) {
    const state = await prisma.faqState.findUnique({ where: { shop } });
    const version = state?.version ?? 0;
    // Checking: nothing was ever published here, so there is nothing Shopify could have lost.
    if (payload.check && !state?.publishedAt) return;
    // A later edit's job publishes that version; an older job has nothing left to do.
    if (!payload.check && state && state.publishedVersion >= version && state.publishedAt) return;
    let value: string;
    try {
      const client = await adminClientForShop(shop);
      // Shopify still holds this version (a reinstall, or a store reset, would have dropped it).
      if (payload.check && (await publishedCopyVersion(client)) === version) return;
      value = JSON.stringify((await storefrontPayload(shop, version)).payload);
      const installation = await client.request<{ currentAppInstallation: { id: string } }>(CURRENT_APP_INSTALLATION_QUERY);
      const result = await client.request<{ metafieldsSet: { userErrors: { field: string[] | null; message: string }[] } }>(METAFIELDS_SET_MUTATION, {
        metafields: [{ ownerId: installation.currentAppInstallation.id, namespace: STOREFRONT_NAMESPACE, key: STOREFRONT_KEY, type: "json", value }],
      });
      const errors = result.metafieldsSet.userErrors;
      if (errors.length > 0) throw new Error(`Shopify refused the storefront copy: ${errors.map((e) => e.message).join("; ")}`);
    } catch (error) {
      await prisma.faqState.upsert({
        where: { shop },
        create: { shop, publishError: error instanceof Error ? error.message : String(error) },
        update: { publishError: error instanceof Error ? error.message : String(error) },
      });
      throw error;
    }
    const now = new Date();
    await prisma.faqState.upsert({
      where: { shop },
      create: { shop, version, publishedVersion: version, publishedAt: now, publishError: null, publishedBytes: Buffer.byteLength(value) },
      // Never move publishedVersion backwards if a newer job finished first.
      update: { publishedVersion: Math.max(version, state?.publishedVersion ?? 0), publishedAt: now, publishError: null, publishedBytes: Buffer.byteLength(value) },
    });
  },
});

/** A server started afresh checks at its first opportunity (a new deployment, a store started anew). */
const PROCESS_STARTED_AT = Date.now();
const CHECK_EVERY_MS = 10 * 60_000;

/**
 * Makes sure Shopify still holds the storefront copy, publishing it again when it is missing or
 * not the current version: Shopify drops app-data metafields with the installation, and a store
 * (or an emulator) started afresh has none. Queued at most once per ten minutes for all app
 * processes together (the claim is in the database), and once after servers start.
 */
export async function checkStorefrontCopy(shop: string, now = Date.now()): Promise<void> {
  const state = await prisma.faqState.findUnique({
    where: { shop },
    select: { version: true, publishedAt: true, copyCheckedAt: true },
  });
  if (!state?.publishedAt) return;
  const since = Math.max(now - CHECK_EVERY_MS, PROCESS_STARTED_AT);
  // Checked recently by this or another process: no write on the way to the home page.
  if (state.copyCheckedAt && state.copyCheckedAt.getTime() >= since) return;
  if (!(await claimStorefrontCheck(shop, new Date(since), new Date(now)))) return;
  await enqueue(publishStorefrontJob, { shop, key: `check:${now}`, payload: { version: state.version, check: true } });
}

/** Queues publishing of the FAQ's current version (once per version). */
export async function schedulePublish(shop: string): Promise<void> {
  const state = await prisma.faqState.upsert({ where: { shop }, create: { shop, version: 1 }, update: {} });
  await enqueue(publishStorefrontJob, { shop, key: `v${state.version}`, payload: { version: state.version } });
}

/** Something the storefront shows changed outside the FAQ (contact details, hours): publish again. */
export async function storefrontChanged(shop: string): Promise<void> {
  await bumpFaqVersion(shop);
  await schedulePublish(shop);
}
