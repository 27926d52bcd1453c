import { z } from "zod";
import type { Prisma } from "@prisma/client";
import prisma from "../db.server";
import { parseTracking } from "./customer.server";
import { DELAY_TRIGGERS, NOTICE_STATUSES, SUPPORTED_LANGUAGES, type DelayTrigger, type NoticeTemplate } from "../services/delay-notices/text";
import { placeholderError, placeholdersIn } from "../utils/placeholders";

/** The shop's delay-notice rules with defaults filled in, and the log of notices. */

export interface DelayRules {
  enabled: boolean;
  triggers: DelayTrigger[];
  minDelayMinutes: number;
  handlingDays: number;
  excludedOrderTags: string[];
  excludedCustomerTags: string[];
  tagOrders: boolean;
  orderTag: string;
  templates: Partial<Record<DelayTrigger, Partial<Record<string, NoticeTemplate>>>>;
}

const tagList = (value: string) =>
  value
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);

function parseTemplates(json: string): DelayRules["templates"] {
  try {
    const value = JSON.parse(json) as Record<string, Record<string, { subject?: unknown; body?: unknown }>>;
    const out: DelayRules["templates"] = {};
    for (const trigger of DELAY_TRIGGERS) {
      for (const [lang, t] of Object.entries(value?.[trigger] ?? {})) {
        if ((SUPPORTED_LANGUAGES as readonly string[]).includes(lang) && typeof t?.subject === "string" && typeof t?.body === "string") (out[trigger] ??= {})[lang] = { subject: t.subject, body: t.body };
      }
    }
    return out;
  } catch {
    return {};
  }
}

export async function delayRules(shop: string): Promise<DelayRules> {
  const row = await prisma.delayNoticeSettings.findUnique({ where: { shop } });
  let triggers: DelayTrigger[] = [...DELAY_TRIGGERS];
  try {
    if (row) triggers = (JSON.parse(row.triggers) as string[]).filter((t): t is DelayTrigger => (DELAY_TRIGGERS as readonly string[]).includes(t));
  } catch {
    // A stored list that does not parse counts as the default.
  }
  return {
    enabled: row?.enabled ?? true,
    triggers,
    minDelayMinutes: row?.minDelayMinutes ?? 0,
    handlingDays: row?.handlingDays ?? 3,
    excludedOrderTags: tagList(row?.excludedOrderTags ?? ""),
    excludedCustomerTags: tagList(row?.excludedCustomerTags ?? ""),
    tagOrders: row?.tagOrders ?? false,
    orderTag: row?.orderTag ?? "delay-notified",
    templates: parseTemplates(row?.templates ?? "{}"),
  };
}

const checkbox = z.preprocess((v) => v === true || v === "true" || v === "on", z.boolean());
const TAGS = z
  .string()
  .max(1000, "Keep the list under 1,000 characters.")
  .transform((v) => tagList(v).join(", "));

const RulesSchema = z.object({
  enabled: checkbox,
  tagOrders: checkbox,
  minDelayMinutes: z.coerce.number({ invalid_type_error: "Enter a number of minutes." }).int("Enter whole minutes.").min(0, "Enter 0 or more minutes.").max(10_080, "Wait at most a week (10,080 minutes)."),
  handlingDays: z.coerce.number({ invalid_type_error: "Enter a number of days." }).int("Enter whole days.").min(1, "Allow at least 1 business day.").max(60, "Allow at most 60 business days."),
  excludedOrderTags: TAGS,
  excludedCustomerTags: TAGS,
  orderTag: z.string().trim().min(1, "Enter the tag to add.").max(40, "Keep the tag under 40 characters.").regex(/^[^,]+$/, "One tag, without commas."),
});

export type RulesErrors = Record<string, string>;

/** Saves the rules; templates come as subject_<trigger>_<lang> / body_<trigger>_<lang>, blank = the default wording. */
export async function saveDelayRules(shop: string, input: Record<string, string>): Promise<{ errors: RulesErrors } | { ok: true }> {
  const parsed = RulesSchema.safeParse(input);
  const errors: RulesErrors = {};
  if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
  const triggers = DELAY_TRIGGERS.filter((t) => input[`trigger_${t}`] === "on");
  const templates: Record<string, Record<string, NoticeTemplate>> = {};
  for (const trigger of DELAY_TRIGGERS) {
    for (const lang of SUPPORTED_LANGUAGES) {
      const subject = (input[`subject_${trigger}_${lang}`] ?? "").trim();
      const body = (input[`body_${trigger}_${lang}`] ?? "").trim();
      if (!subject && !body) continue;
      const subjectError = !subject
        ? "Write a subject, or clear the text to use the default wording."
        : subject.length > 200
          ? "Keep the subject under 200 characters."
          : placeholderError(subject, "notice");
      if (subjectError) errors[`subject_${trigger}_${lang}`] = subjectError;
      const bodyError = !body
        ? "Write the message, or clear the subject to use the default wording."
        : body.length > 5000
          ? "Keep the message under 5,000 characters."
          : (placeholderError(body, "notice") ??
            (placeholdersIn(body).known.includes("order_name") ? null : "Name the order: include {{order_name}}."));
      if (bodyError) errors[`body_${trigger}_${lang}`] = bodyError;
      (templates[trigger] ??= {})[lang] = { subject, body };
    }
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { errors };
  const data = { ...parsed.data, triggers: JSON.stringify(triggers), templates: JSON.stringify(templates) };
  await prisma.delayNoticeSettings.upsert({ where: { shop }, create: { shop, ...data }, update: data });
  return { ok: true };
}


export async function listNotices(shop: string, { status, after, pageSize = 50 }: { status?: string | null; after?: string | null; pageSize?: number } = {}) {
  const where: Prisma.DelayNoticeWhereInput = { shop, ...(status && (NOTICE_STATUSES as readonly string[]).includes(status) ? { status } : {}) };
  const cursor = after ? await prisma.delayNotice.findFirst({ where: { shop, id: after }, select: { id: true, createdAt: true } }) : null;
  const rows = await prisma.delayNotice.findMany({
    where: cursor ? { AND: [where, { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] }] } : where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: pageSize + 1,
  });
  const emails = await prisma.outboundEmail.findMany({
    where: { shop, id: { in: rows.map((r) => r.emailId).filter((id): id is string => Boolean(id)) } },
    select: { id: true, status: true, lastError: true, sentAt: true },
  });
  const counts = await prisma.delayNotice.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } });
  return {
    notices: rows.slice(0, pageSize).map((r) => ({ ...r, email: emails.find((e) => e.id === r.emailId) ?? null })),
    next: rows.length > pageSize ? rows[pageSize - 1].id : null,
    counts: Object.fromEntries(NOTICE_STATUSES.map((s) => [s, counts.find((c) => c.status === s)?._count._all ?? 0])) as Record<(typeof NOTICE_STATUSES)[number], number>,
  };
}

/** One of the shop's own recent orders for the wording preview (invented values where it has none). */
export async function previewSample(shop: string) {
  const order = await prisma.order.findFirst({ where: { shop, redactedAt: null, cancelledAt: null }, orderBy: { processedAt: "desc" } });
  const [customer, lines, fulfillment] = order
    ? await Promise.all([
        order.customerShopifyId
          ? prisma.customer.findFirst({ where: { shop, shopifyId: order.customerShopifyId }, select: { firstName: true, lastName: true } })
          : null,
        prisma.orderLineItem.findMany({ where: { shop, orderShopifyId: order.shopifyId }, take: 3 }),
        prisma.fulfillment.findFirst({ where: { shop, orderShopifyId: order.shopifyId } }),
      ])
    : [null, [], null];
  const trackingLink = parseTracking(fulfillment?.tracking ?? "[]").find((t) => t.url)?.url ?? null;
  return {
    first_name: customer?.firstName ?? "Amani",
    last_name: customer ? customer.lastName : "Njoroge",
    customer_name: customer
      ? [customer.firstName, customer.lastName].filter(Boolean).join(" ") || null
      : "Amani Njoroge",
    order_name: order?.name ?? "#1001",
    items: lines.length ? lines.map((l) => `${l.quantity} × ${l.title}`).join(", ") : "1 × Linen shirt",
    tracking_link: trackingLink ?? "https://tracking.example/ABC123",
  };
}
