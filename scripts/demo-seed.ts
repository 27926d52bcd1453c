/**
 * The demo desk's first tickets: once the seeded store has synced, six shoppers (one per
 * language) write in as they would from the storefront, and the team gets a few canned replies.
 * Tickets are made by the app's own code, so each gets its acknowledgement (kept in the outbox:
 * the demo has no mail server). Runs once per database.
 */
import prisma from "../app/db.server";
import { seedDemoFaq } from "./demo-faq";
import { seedDemoHistory } from "./demo-history";
import { createTicket } from "../app/services/tickets/tickets.server";
import { createCannedReply } from "../app/models/canned-reply.server";

const QUESTIONS: Record<string, { subject: string; body: string }> = {
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

export async function seedDemoDesk(shop: string): Promise<number> {
  await seedDemoFaq(shop);
  await seedDemoHistory(shop);
  if ((await prisma.ticket.count({ where: { shop } })) > 0) return 0;
  let created = 0;
  for (const [language, question] of Object.entries(QUESTIONS)) {
    const order = await prisma.order.findFirst({
      where: { shop, customerLocale: { startsWith: language }, email: { not: null }, cancelledAt: null },
      orderBy: { processedAt: "desc" },
      select: { name: true, email: true },
    });
    if (!order?.email) continue;
    const result = await createTicket(shop, { ...question, channel: "storefront", customerEmail: order.email, orderName: order.name, locale: language });
    if ("ticket" in result) created++;
  }
  for (const reply of CANNED) await createCannedReply(shop, reply);
  return created;
}
