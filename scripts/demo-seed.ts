/**
 * The demo desk: its FAQ, two months of history for the dashboard, then today's questions from
 * six shoppers (one per language, as they would write from the storefront) and the team's canned
 * replies. Each part looks for its own rows, so seeding again (a second `npm run demo` on the same
 * database) adds only what is missing, in any order. Today's tickets are made by the app's own
 * code, so each gets its acknowledgement (kept in the outbox: the demo has no mail server).
 */
import prisma from "../app/db.server";
import { seedDemoFaq } from "./demo-faq";
import { seedDemoHistory } from "./demo-history";
import { createTicket } from "../app/services/tickets/tickets.server";
import { createCannedReply } from "../app/models/canned-reply.server";
import { whenNotBusy } from "./demo-busy";

export const QUESTIONS: Record<string, { subject: string; body: string }> = {
  sw: { subject: "Oda yangu iko wapi?", body: "Habari, niliagiza wiki iliyopita na bado sijapokea kifurushi. Tafadhali nisaidie." },
  et: { subject: "Kas tellimust saab veel muuta?", body: "Tere! Tellisin vale suuruse. Kas saaksite selle enne saatmist veel muuta?" },
  ta: { subject: "என் ஆர்டர் எப்போது வரும்?", body: "வணக்கம், என் ஆர்டர் எப்போது வந்து சேரும் என்று சொல்ல முடியுமா?" },
  ro: { subject: "Comanda a ajuns deteriorată", body: "Bună ziua, cana a ajuns spartă. Cum pot primi una nouă?" },
  tr: { subject: "Kargom nerede?", body: "Merhaba, siparişim üç gündür aynı yerde görünüyor. Bilgi verebilir misiniz?" },
  en: { subject: "Gift wrapping for my order?", body: "Hi! Could you gift-wrap my order before it ships? It's a birthday present." },
};

const CANNED = [
  {
    title: "Where is my order",
    body: "Hi {{first_name}},\n\nYour order {{order_name}} is on its way. You can follow it here: {{tracking_link}}\nIt should arrive by {{expected_delivery}}.",
  },
  { title: "Damaged item", body: "Hi {{first_name}},\n\nSorry your order {{order_name}} arrived damaged. We are sending a replacement today; no need to return the broken one." },
  { title: "Change before shipping", body: "Hi {{first_name}},\n\nDone: we changed order {{order_name}} as you asked. It ships as soon as it is packed." },
];

export interface DemoSeedResult {
  faqArticles: number;
  historyTickets: number;
  questions: number;
  cannedReplies: number;
}

export async function seedDemoDesk(shop: string): Promise<DemoSeedResult> {
  const faqArticles = await seedDemoFaq(shop);
  // The past first, so ticket numbers follow the calendar.
  const historyTickets = await seedDemoHistory(shop);
  return { faqArticles, historyTickets, questions: await seedDemoQuestions(shop), cannedReplies: await seedCannedReplies(shop) };
}

/** Today's six questions, each once: a question already in the desk (by its subject) is not asked again. */
export async function seedDemoQuestions(shop: string): Promise<number> {
  let created = 0;
  for (const [language, question] of Object.entries(QUESTIONS)) {
    if (await prisma.ticket.findFirst({ where: { shop, channel: "storefront", subject: question.subject }, select: { id: true } })) continue;
    const order = await prisma.order.findFirst({
      where: { shop, customerLocale: { startsWith: language }, email: { not: null }, cancelledAt: null, redactedAt: null },
      orderBy: { processedAt: "desc" },
      select: { name: true, email: true },
    });
    const email = order?.email;
    if (!order || !email) continue;
    const result = await whenNotBusy(() => createTicket(shop, { ...question, channel: "storefront", customerEmail: email, orderName: order.name, locale: language }));
    if (!("ticket" in result)) throw new Error(`demo question "${question.subject}": ${JSON.stringify(result.errors)}`);
    created++;
  }
  return created;
}

/** The team's canned replies, each once (titles are unique per shop). */
export async function seedCannedReplies(shop: string): Promise<number> {
  let created = 0;
  for (const reply of CANNED) {
    if (await prisma.cannedReply.findFirst({ where: { shop, title: reply.title }, select: { id: true } })) continue;
    const saved = await whenNotBusy(() => createCannedReply(shop, reply));
    if ("errors" in saved) throw new Error(`demo canned reply "${reply.title}": ${JSON.stringify(saved.errors)}`);
    created++;
  }
  return created;
}
