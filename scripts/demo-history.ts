/**
 * The demo shop's past two months at the desk, so the dashboard has something to show: shoppers
 * (the store's own synced customers and orders) writing in on working days, answered within a
 * few business hours and solved a day or two later, satisfaction ratings, delay notices some of
 * them answered, help panel visits and searches. Written once, with fixed random choices, as
 * rows dated in the past (the app's own code would stamp them "now").
 */
import crypto from "node:crypto";
import type { Prisma } from "@prisma/client";
import prisma from "../app/db.server";
import { supportSettings } from "../app/models/support-settings.server";
import { addBusinessHours } from "../app/services/support/business-hours";

const DAYS = 60;
const SUBJECTS: Record<string, string[]> = {
  en: ["Where is my parcel?", "Wrong size, can I exchange?", "Do you ship to Norway?", "Discount code not working"],
  sw: ["Kifurushi changu kiko wapi?", "Naweza kubadilisha ukubwa?"],
  et: ["Kus mu pakk on?", "Kas saan suurust vahetada?"],
  ta: ["என் பார்சல் எங்கே?", "அளவை மாற்றலாமா?"],
  ro: ["Unde este coletul meu?", "Pot schimba mărimea?"],
  tr: ["Kargom nerede?", "Beden değişimi yapabilir miyim?"],
};
const REPLY = "Thanks for writing! We've looked into it and sorted it out. Let us know if anything else comes up.";

/** A small deterministic generator, so every demo shows the same history. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export async function seedDemoHistory(shop: string, now = new Date()): Promise<number> {
  if ((await prisma.ticket.count({ where: { shop, createdAt: { lt: new Date(now.getTime() - 86_400_000) } } })) > 0) return 0;
  const settings = await supportSettings(shop);
  const orders = await prisma.order.findMany({ where: { shop, email: { not: null }, cancelledAt: null }, select: { name: true, email: true, shopifyId: true, customerShopifyId: true, customerLocale: true }, take: 200 });
  if (orders.length === 0) return 0;
  const customers = new Map(
    (await prisma.customer.findMany({ where: { shop, shopifyId: { in: orders.map((o) => o.customerShopifyId).filter((id): id is string => Boolean(id)) } }, select: { shopifyId: true, firstName: true, lastName: true } })).map((c) => [c.shopifyId, c]),
  );
  const rand = random(20261129);
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const last = await prisma.ticket.findFirst({ where: { shop }, orderBy: { number: "desc" }, select: { number: true } });
  let number = (last?.number ?? 0) + 1000;
  const tickets: Prisma.TicketCreateManyInput[] = [];
  const messages: Prisma.TicketMessageCreateManyInput[] = [];
  const surveys: Prisma.SatisfactionSurveyCreateManyInput[] = [];
  const notices: Prisma.DelayNoticeCreateManyInput[] = [];
  const visits: Prisma.HelpVisitCreateManyInput[] = [];

  for (let day = DAYS; day >= 2; day--) {
    const date = new Date(now.getTime() - day * 86_400_000);
    const weekend = [0, 6].includes(date.getUTCDay());
    // Busier lately: the shop is growing.
    const count = Math.round((weekend ? 1 : 3) * (1 + (DAYS - day) / DAYS) * (0.6 + rand() * 0.8));
    for (let i = 0; i < count; i++) {
      const order = pick(orders);
      const customer = order.customerShopifyId ? customers.get(order.customerShopifyId) : undefined;
      const language = (order.customerLocale ?? "en").slice(0, 2);
      const createdAt = new Date(date.getTime() + (6 + rand() * 12) * 3_600_000);
      const firstResponseAt = addBusinessHours(createdAt, 0.3 + rand() * (rand() < 0.2 ? 12 : 4), settings.schedule, settings.timeZone);
      const solvedAt = addBusinessHours(firstResponseAt, 2 + rand() * 14, settings.schedule, settings.timeZone);
      const solved = solvedAt.getTime() < now.getTime() - 3_600_000;
      const id = crypto.randomUUID();
      const channel = rand() < 0.15 ? "email" : "storefront";
      tickets.push({
        id,
        shop,
        number: number++,
        subject: pick(SUBJECTS[language] ?? SUBJECTS.en),
        status: solved ? "solved" : "open",
        channel,
        customerEmail: order.email,
        customerName: [customer?.firstName, customer?.lastName].filter(Boolean).join(" ") || null,
        customerShopifyId: order.customerShopifyId,
        locale: language,
        orderShopifyId: order.shopifyId,
        orderName: order.name,
        replyToken: crypto.randomBytes(12).toString("base64url"),
        createdAt,
        lastMessageAt: solved ? solvedAt : firstResponseAt,
        unread: false,
        firstResponseAt,
        solvedAt: solved ? solvedAt : null,
        slaDueAt: addBusinessHours(createdAt, settings.responseTimeHours, settings.schedule, settings.timeZone),
      });
      messages.push({ shop, ticketId: id, kind: "customer", authorEmail: order.email, authorName: customer?.firstName ?? null, body: "(from the demo's history)", createdAt });
      messages.push({ shop, ticketId: id, kind: "reply", authorName: "Alex Moreau", body: REPLY, createdAt: firstResponseAt });
      if (solved && rand() < 0.8) {
        const rated = rand() < 0.55;
        const rating = rand() < 0.75 ? 5 : rand() < 0.6 ? 4 : rand() < 0.5 ? 3 : 2;
        surveys.push({ shop, ticketId: id, sentAt: solvedAt, rating: rated ? rating : null, ratedAt: rated ? new Date(solvedAt.getTime() + 5 * 3_600_000) : null });
      }
    }
    // Delay notices: a couple a week, one in three answered.
    if (rand() < 0.3) {
      const order = pick(orders);
      const id = crypto.randomUUID();
      const sentAt = new Date(date.getTime() + 10 * 3_600_000);
      const answered = rand() < 0.35;
      tickets.push({
        id, shop, number: number++, subject: `An update on your order ${order.name}`, status: answered ? "solved" : "pending", channel: "delay_notice",
        customerEmail: order.email, customerShopifyId: order.customerShopifyId, locale: (order.customerLocale ?? "en").slice(0, 2), orderShopifyId: order.shopifyId, orderName: order.name,
        replyToken: crypto.randomBytes(12).toString("base64url"), createdAt: sentAt, lastMessageAt: sentAt, unread: false,
        firstResponseAt: answered ? new Date(sentAt.getTime() + 8 * 3_600_000) : null, solvedAt: answered ? new Date(sentAt.getTime() + 9 * 3_600_000) : null,
      });
      messages.push({ shop, ticketId: id, kind: "notice", authorName: settings.fromName, body: "(a delay notice from the demo's history)", createdAt: sentAt });
      if (answered) messages.push({ shop, ticketId: id, kind: "customer", authorEmail: order.email, body: "Thanks for letting me know!", createdAt: new Date(sentAt.getTime() + 6 * 3_600_000) });
      notices.push({
        shop, dedupeKey: `demo-history:${id}`, trigger: pick(["carrier_delayed", "on_hold", "late_to_ship"]), orderShopifyId: order.shopifyId, orderName: order.name,
        source: "demo history", status: "sent", language: (order.customerLocale ?? "en").slice(0, 2), ticketId: id, sendAfter: sentAt, createdAt: sentAt, decidedAt: sentAt,
      });
    }
    // Help panel visits: most find their answer.
    const visitCount = Math.round(6 + rand() * 10);
    for (let v = 0; v < visitCount; v++) {
      visits.push({ shop, visitId: `demo-${day}-${v}-${crypto.randomBytes(4).toString("hex")}`, locale: pick(["en", "en", "tr", "sw", "et", "ro", "ta"]), startedAt: new Date(date.getTime() + rand() * 86_400_000), searches: 1, contacted: rand() < 0.15 });
    }
  }
  await prisma.$transaction([
    prisma.ticket.createMany({ data: tickets }),
    prisma.ticketMessage.createMany({ data: messages }),
    prisma.satisfactionSurvey.createMany({ data: surveys }),
    prisma.delayNotice.createMany({ data: notices }),
    prisma.helpVisit.createMany({ data: visits }),
  ]);
  for (const [query, sample, locale, times] of [
    ["gift card", "gift card", "en", 7],
    ["kapida odeme", "kapıda ödeme", "tr", 4],
    ["size chart", "size chart", "en", 3],
  ] as const) {
    await prisma.faqSearch.upsert({
      where: { shop_locale_query: { shop, locale, query } },
      create: { shop, locale, query, sample, searches: times, noResult: times, lastSearchedAt: new Date(now.getTime() - 3 * 86_400_000) },
      update: {},
    });
  }
  return tickets.length;
}
