/**
 * The demo shop's past two months at the desk, so the dashboard has something to show: shoppers
 * (the store's own synced customers and orders) writing in on working days in their own language,
 * answered within a few business hours and solved a day or two later, satisfaction ratings, delay
 * notices (with the emails that went out) some of them answered, help panel visits and searches.
 * Written once per database (its help visits mark it), with fixed random choices, as rows dated in
 * the past (the app's own code would stamp them "now").
 */
import crypto from "node:crypto";
import type { Prisma } from "@prisma/client";
import prisma from "../app/db.server";
import { supportSettings } from "../app/models/support-settings.server";
import { ticketSearchText } from "../app/models/ticket.server";
import { addBusinessHours } from "../app/services/support/business-hours";
import { supportedLanguage, type SupportedLanguage } from "../app/services/tickets/auto-ack-text";
import { defaultTemplate, fillTemplate, holdReasonText, type DelayTrigger } from "../app/services/delay-notices/text";
import { newMessageId } from "../app/services/email/send.server";
import { formatAddress, replyAddressFor, textToHtml, withSignature } from "../app/services/email/render";
import { whenNotBusy } from "./demo-busy";

const DAYS = 60;
/** Help visits written by the history start with this: their presence means the history is there. */
export const HISTORY_VISIT_PREFIX = "demo-history-";
const AGENTS = ["Alex Moreau", "Priya Raman"];

interface Conversation {
  subject: string;
  /** What the shopper wrote. */
  body: string;
  /** The team's answer, after the greeting. */
  reply: string;
}

/** What the shop's shoppers write about, in their own language, and how the team answered. */
export const CONVERSATIONS: Record<SupportedLanguage, Conversation[]> = {
  en: [
    {
      subject: "Parcel hasn't moved in four days",
      body: "Hello, the tracking for my order still says \"label created\" and it's been four days. Is it actually on its way?",
      reply: "Sorry for the wait! The carrier collected your parcel yesterday, their scan just hadn't shown up yet. It is moving now and should reach you within two working days.",
    },
    {
      subject: "Wrong size, can I exchange?",
      body: "The sweater is lovely but a bit too small. Can I swap it for a size L? I haven't worn it.",
      reply: "Of course. I've emailed you a free return label; as soon as the parcel is scanned we send the size L out, so you don't have to wait for it to arrive back with us.",
    },
    {
      subject: "Do you ship to Norway?",
      body: "Hi, I'd like to order two mugs but I live in Oslo. Do you ship there, and would I pay customs?",
      reply: "Yes, we ship to Norway: delivery takes 4-6 working days. Because Norway is outside the EU, the carrier collects VAT and a small handling fee on delivery.",
    },
    {
      subject: "Discount code not working",
      body: "I got the WELCOME10 code in your newsletter but the checkout says it isn't valid. Could you help?",
      reply: "Thanks for telling us. That code only works on full-price items, which is why it was refused for the sale candle. I've refunded 10% of your order to your card instead.",
    },
    {
      subject: "Can I add something to my order?",
      body: "I ordered this morning and forgot the matching saucers. Can you add them so it ships together?",
      reply: "Good timing: your order hadn't been packed yet. I've added the saucers and sent you a payment link for the difference; it all ships together tomorrow.",
    },
  ],
  sw: [
    {
      subject: "Kifurushi changu bado hakijafika",
      body: "Habari, niliagiza siku kumi zilizopita na ufuatiliaji unaonyesha kiko Nairobi tangu Jumatatu. Kitafika lini?",
      reply: "Samahani kwa kuchelewa. Kifurushi kilikwama forodhani kwa siku mbili; sasa kimeachiliwa na mjumbe atakuletea kesho au keshokutwa.",
    },
    {
      subject: "Naweza kubadilisha ukubwa?",
      body: "Viatu nilivyopokea ni vidogo kidogo. Naweza kuvibadilisha kwa namba 42?",
      reply: "Ndiyo, bila shida. Nimekutumia lebo ya kurudisha bila malipo kwa barua pepe; tutatuma namba 42 mara tu kifurushi chako kitakapopokelewa na mjumbe.",
    },
    {
      subject: "Malipo yamekatwa mara mbili",
      body: "Nimeona kadi yangu imekatwa mara mbili kwa agizo moja. Tafadhali angalieni.",
      reply: "Asante kwa kutuarifu. Malipo ya pili yalikuwa idhini ya muda tu ya benki, na tumeyaondoa leo. Yatatoweka kwenye taarifa yako ndani ya siku 3 hadi 5.",
    },
  ],
  et: [
    {
      subject: "Pakk pole veel pakiautomaati jõudnud",
      body: "Tere! Sain teate, et pakk on teel, aga juba kolm päeva pole midagi muutunud. Kas saate uurida?",
      reply: "Vabandame viivituse pärast! Uurisime vedajalt: pakk jõudis täna hommikul sorteerimiskeskusesse ja on homme teie valitud pakiautomaadis.",
    },
    {
      subject: "Kas saan suurust vahetada?",
      body: "Mantel on ilus, aga varrukad on liiga pikad. Kas saaksin selle vahetada suuruse S vastu?",
      reply: "Muidugi! Saatsime teile e-postiga tasuta tagastussildi. Suuruse S paneme teele kohe, kui vedaja on teie paki vastu võtnud.",
    },
    {
      subject: "Arve ettevõtte nimele",
      body: "Tere, kas saaksite mu tellimuse arve teha ettevõtte nimele? Lisan registrikoodi ja aadressi.",
      reply: "Tegime arve ümber teie ettevõtte nimele ja saatsime selle teile e-postiga. Andke teada, kui midagi on vaja veel parandada.",
    },
  ],
  ta: [
    {
      subject: "என் பார்சல் இன்னும் வரவில்லை",
      body: "வணக்கம், ஒரு வாரத்திற்கு முன் ஆர்டர் செய்தேன். கண்காணிப்பு பக்கம் இன்னும் மாறவில்லை. எப்போது வரும்?",
      reply: "தாமதத்திற்கு மன்னிக்கவும். உங்கள் பார்சல் நேற்று சென்னை மையத்தை அடைந்தது; இரண்டு வேலை நாட்களுக்குள் உங்களிடம் வந்து சேரும்.",
    },
    {
      subject: "அளவை மாற்றலாமா?",
      body: "நான் வாங்கிய சட்டை சிறியதாக உள்ளது. பெரிய அளவுக்கு மாற்ற முடியுமா?",
      reply: "நிச்சயமாக. இலவச ரிட்டர்ன் லேபிளை மின்னஞ்சலில் அனுப்பியுள்ளோம். பார்சல் எங்களுக்கு அனுப்பப்பட்டவுடன் பெரிய அளவை உடனே அனுப்புவோம்.",
    },
    {
      subject: "பரிசுப் பொதி செய்ய முடியுமா?",
      body: "இது என் அம்மாவுக்கான பிறந்தநாள் பரிசு. விலைச்சீட்டு இல்லாமல் பரிசுப் பொதியாக அனுப்ப முடியுமா?",
      reply: "மகிழ்ச்சியுடன்! உங்கள் ஆர்டரை பரிசுப் பொதியாக்கி, விலைச்சீட்டு இல்லாமல் அனுப்புகிறோம். உங்கள் அம்மாவுக்கு எங்கள் வாழ்த்துகள்.",
    },
  ],
  ro: [
    {
      subject: "Coletul nu a mai fost scanat de o săptămână",
      body: "Bună ziua, urmărirea coletului arată aceeași locație de șapte zile. Puteți verifica ce se întâmplă?",
      reply: "Ne pare rău pentru întârziere. Am vorbit cu curierul: coletul a fost redirecționat greșit, dar acum e din nou pe drum și ajunge la dumneavoastră până vineri.",
    },
    {
      subject: "Pot schimba mărimea?",
      body: "Rochia îmi vine puțin largă. Aș putea să o schimb cu mărimea M?",
      reply: "Desigur! V-am trimis pe e-mail o etichetă de retur gratuită. Expediem mărimea M imediat ce curierul preia coletul.",
    },
    {
      subject: "Factură pe firmă",
      body: "Bună, am nevoie de factura pe numele firmei mele pentru comandă. Vă trimit datele firmei.",
      reply: "Am emis factura pe numele firmei și v-am trimis-o pe e-mail. Spuneți-ne dacă mai trebuie corectat ceva.",
    },
  ],
  tr: [
    {
      subject: "Kargo üç gündür aynı yerde",
      body: "Merhaba, kargo takibinde paketim üç gündür İstanbul aktarma merkezinde görünüyor. Ne zaman gelir?",
      reply: "Gecikme için özür dileriz. Kargo firmasıyla görüştük: paketiniz bugün dağıtıma çıktı, yarın akşama kadar elinizde olur.",
    },
    {
      subject: "Beden değişimi yapabilir miyim?",
      body: "Aldığım mont biraz büyük geldi. M bedenle değiştirebilir miyim? Etiketi üzerinde duruyor.",
      reply: "Tabii ki. Ücretsiz iade etiketini e-postanıza gönderdik; paket kargoya verilir verilmez M bedeni yola çıkarıyoruz.",
    },
    {
      subject: "Kapıda ödeme var mı?",
      body: "İyi günler, kapıda ödeme seçeneğiniz var mı? Kartla ödemek istemiyorum.",
      reply: "Şu an kapıda ödeme sunmuyoruz, ama havale ve PayPal ile ödeyebilirsiniz. Siparişiniz için havale bilgilerini e-postayla gönderdik.",
    },
  ],
};

const GREETING: Record<SupportedLanguage, (name: string | null) => string> = {
  en: (n) => (n ? `Hi ${n},` : "Hi,"),
  sw: (n) => (n ? `Habari ${n},` : "Habari,"),
  et: (n) => (n ? `Tere, ${n}!` : "Tere!"),
  ta: (n) => (n ? `வணக்கம் ${n},` : "வணக்கம்,"),
  ro: (n) => (n ? `Bună ziua, ${n},` : "Bună ziua,"),
  tr: (n) => (n ? `Merhaba ${n},` : "Merhaba,"),
};

const SIGN_OFF: Record<SupportedLanguage, string> = {
  en: "Best wishes,",
  sw: "Kila la heri,",
  et: "Parimate soovidega",
  ta: "அன்புடன்,",
  ro: "Cu drag,",
  tr: "İyi günler dileriz,",
};

/** What a shopper answers to a delay notice. */
const NOTICE_ANSWERS: Record<SupportedLanguage, string[]> = {
  en: ["Thanks for letting me know! No rush, as long as it arrives before the weekend.", "Thanks for the heads-up. Could you ship it to my office instead? The address is on my account."],
  sw: ["Asante kwa kunijulisha! Nitasubiri, hakuna shida.", "Asante. Je, mnaweza kunitumia nambari mpya ya ufuatiliaji itakapopatikana?"],
  et: ["Aitäh teavitamast! Ootan rahulikult.", "Aitäh! Kas saaksite paki saata hoopis teise pakiautomaati?"],
  ta: ["தெரிவித்ததற்கு நன்றி! காத்திருக்கிறேன்.", "நன்றி. புதிய கண்காணிப்பு எண் கிடைத்ததும் அனுப்புவீர்களா?"],
  ro: ["Mulțumesc că m-ați anunțat! Aștept, nicio problemă.", "Mulțumesc. Puteți să-mi trimiteți noul număr de urmărire când îl aveți?"],
  tr: ["Haber verdiğiniz için teşekkürler! Beklerim, sorun değil.", "Teşekkürler. Yeni takip numarası çıkınca bana da gönderir misiniz?"],
};

const NOTICE_TRIGGERS: DelayTrigger[] = ["carrier_delayed", "on_hold", "late_to_ship", "carrier_delayed"];

/** A small deterministic generator, so every demo shows the same history. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Writes the history unless it is there already. Returns the tickets written (0 when it was there). */
export async function seedDemoHistory(shop: string, now = new Date()): Promise<number> {
  if ((await prisma.helpVisit.count({ where: { shop, visitId: { startsWith: HISTORY_VISIT_PREFIX } } })) > 0) return 0;
  const settings = await supportSettings(shop);
  const orders = await prisma.order.findMany({
    where: { shop, email: { not: null }, cancelledAt: null, redactedAt: null },
    select: { name: true, email: true, shopifyId: true, customerShopifyId: true, customerLocale: true },
    orderBy: { shopifyId: "asc" },
    take: 200,
  });
  if (orders.length === 0) return 0;
  const customers = new Map(
    (
      await prisma.customer.findMany({
        where: { shop, shopifyId: { in: orders.map((o) => o.customerShopifyId).filter((id): id is string => Boolean(id)) } },
        select: { shopifyId: true, firstName: true, lastName: true, locale: true },
      })
    ).map((c) => [c.shopifyId, c]),
  );
  const lines = await prisma.orderLineItem.findMany({ where: { shop, orderShopifyId: { in: orders.map((o) => o.shopifyId) } }, orderBy: { id: "asc" } });
  const itemsOf = (orderId: string) =>
    lines
      .filter((l) => l.orderShopifyId === orderId)
      .map((l) => `${l.quantity} × ${l.title}${l.variantTitle ? ` (${l.variantTitle})` : ""}`)
      .join(", ") || null;
  const rand = random(20261129);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const last = await prisma.ticket.findFirst({ where: { shop }, orderBy: { number: "desc" }, select: { number: true } });
  let number = (last?.number ?? 0) + 1000;
  const tickets: Prisma.TicketCreateManyInput[] = [];
  const messages: Prisma.TicketMessageCreateManyInput[] = [];
  const emails: Prisma.OutboundEmailCreateManyInput[] = [];
  const surveys: Prisma.SatisfactionSurveyCreateManyInput[] = [];
  const notices: Prisma.DelayNoticeCreateManyInput[] = [];
  const visits: Prisma.HelpVisitCreateManyInput[] = [];
  const from = formatAddress(settings.fromName, settings.fromEmail);

  /** The email a message went out as, sent at the time of the message (the shop's mail server took it). */
  const email = (ticket: { id: string; replyToken: string; customerEmail: string; customerName: string | null }, purpose: string, subject: string, body: string, language: string, at: Date) => {
    const id = crypto.randomUUID();
    const text = withSignature(body, settings.signature);
    emails.push({
      id,
      shop,
      ticketId: ticket.id,
      purpose,
      messageId: newMessageId(settings.fromEmail),
      fromAddress: from,
      replyTo: formatAddress(settings.fromName, replyAddressFor(settings.fromEmail, ticket.replyToken)),
      toAddress: formatAddress(ticket.customerName, ticket.customerEmail),
      subject,
      text,
      html: textToHtml(text),
      language,
      status: "sent",
      attempts: 1,
      sentAt: at,
      createdAt: at,
    });
    return id;
  };

  for (let day = DAYS; day >= 2; day--) {
    const date = new Date(now.getTime() - day * 86_400_000);
    const weekend = [0, 6].includes(date.getUTCDay());
    // Busier lately: the shop is growing.
    const count = Math.round((weekend ? 1 : 3) * (1 + (DAYS - day) / DAYS) * (0.6 + rand() * 0.8));
    for (let i = 0; i < count; i++) {
      const order = pick(orders);
      const customer = order.customerShopifyId ? customers.get(order.customerShopifyId) : undefined;
      const language = supportedLanguage(customer?.locale ?? order.customerLocale, settings.shopLocale);
      const conversation = pick(CONVERSATIONS[language]);
      const agent = pick(AGENTS);
      const createdAt = new Date(date.getTime() + (6 + rand() * 12) * 3_600_000);
      const firstResponseAt = addBusinessHours(createdAt, 0.3 + rand() * (rand() < 0.2 ? 12 : 4), settings.schedule, settings.timeZone);
      const solvedAt = addBusinessHours(firstResponseAt, 2 + rand() * 14, settings.schedule, settings.timeZone);
      const solved = solvedAt.getTime() < now.getTime() - 3_600_000;
      const ticket = {
        id: crypto.randomUUID(),
        replyToken: crypto.randomBytes(12).toString("base64url"),
        customerEmail: order.email!.toLowerCase(),
        customerName: [customer?.firstName, customer?.lastName].filter(Boolean).join(" ") || null,
      };
      const channel = rand() < 0.15 ? "email" : "storefront";
      tickets.push({
        ...ticket,
        shop,
        number: number++,
        subject: conversation.subject,
        // Answered and not solved yet: waiting on the shopper.
        status: solved ? "solved" : "pending",
        channel,
        customerShopifyId: order.customerShopifyId,
        locale: language,
        orderShopifyId: order.shopifyId,
        orderName: order.name,
        createdAt,
        lastMessageAt: firstResponseAt,
        unread: false,
        firstResponseAt,
        solvedAt: solved ? solvedAt : null,
        slaDueAt: addBusinessHours(createdAt, settings.responseTimeHours, settings.schedule, settings.timeZone),
      });
      messages.push({ shop, ticketId: ticket.id, kind: "customer", authorEmail: ticket.customerEmail, authorName: ticket.customerName, body: conversation.body, createdAt });
      const reply = [GREETING[language](customer?.firstName ?? null), conversation.reply, `${SIGN_OFF[language]}\n${agent}`].join("\n\n");
      const replyEmail = email(ticket, "reply", `Re: ${conversation.subject}`, reply, language, firstResponseAt);
      messages.push({ shop, ticketId: ticket.id, kind: "reply", authorName: agent, body: reply, emailId: replyEmail, createdAt: firstResponseAt });
      if (solved) {
        messages.push({ shop, ticketId: ticket.id, kind: "event", event: "status_changed", eventData: JSON.stringify({ from: "pending", to: "solved", by: agent }), body: "", createdAt: solvedAt });
        if (rand() < 0.8) {
          const rated = rand() < 0.55;
          const rating = rand() < 0.75 ? 5 : rand() < 0.6 ? 4 : rand() < 0.5 ? 3 : 2;
          surveys.push({ shop, ticketId: ticket.id, sentAt: solvedAt, rating: rated ? rating : null, ratedAt: rated ? new Date(solvedAt.getTime() + 5 * 3_600_000) : null });
        }
      }
    }
    // Delay notices: a couple a week, one in three answered.
    if (rand() < 0.3) {
      const order = pick(orders);
      const customer = order.customerShopifyId ? customers.get(order.customerShopifyId) : undefined;
      const language = supportedLanguage(customer?.locale ?? order.customerLocale, settings.shopLocale);
      const trigger = pick(NOTICE_TRIGGERS);
      const sentAt = new Date(date.getTime() + 10 * 3_600_000);
      const answered = rand() < 0.35;
      const newDate = trigger === "on_hold" ? null : new Date(sentAt.getTime() + (2 + Math.floor(rand() * 4)) * 86_400_000);
      const filled = fillTemplate(defaultTemplate(trigger, language), {
        first_name: customer?.firstName ?? null,
        order_name: order.name,
        items: itemsOf(order.shopifyId),
        reason: trigger === "on_hold" ? holdReasonText("INVENTORY_OUT_OF_STOCK", language) : null,
        new_date: newDate ? new Intl.DateTimeFormat(language, { dateStyle: "long", timeZone: settings.timeZone }).format(newDate) : null,
        support_email: settings.fromEmail,
        shop_name: settings.shopName,
      });
      const ticket = {
        id: crypto.randomUUID(),
        replyToken: crypto.randomBytes(12).toString("base64url"),
        customerEmail: order.email!.toLowerCase(),
        customerName: [customer?.firstName, customer?.lastName].filter(Boolean).join(" ") || null,
      };
      const answeredAt = new Date(sentAt.getTime() + 6 * 3_600_000);
      const solvedAt = new Date(sentAt.getTime() + 9 * 3_600_000);
      tickets.push({
        ...ticket,
        shop,
        number: number++,
        subject: filled.subject,
        status: answered ? "solved" : "pending",
        channel: "delay_notice",
        customerShopifyId: order.customerShopifyId,
        locale: language,
        orderShopifyId: order.shopifyId,
        orderName: order.name,
        createdAt: sentAt,
        lastMessageAt: answered ? answeredAt : sentAt,
        unread: false,
        firstResponseAt: answered ? new Date(sentAt.getTime() + 8 * 3_600_000) : null,
        solvedAt: answered ? solvedAt : null,
      });
      const noticeId = crypto.randomUUID();
      const emailId = email(ticket, "notice", filled.subject, filled.body, language, sentAt);
      messages.push({ shop, ticketId: ticket.id, kind: "notice", authorName: settings.fromName, body: filled.body, emailId, eventData: JSON.stringify({ noticeId }), createdAt: sentAt });
      if (answered) {
        messages.push({ shop, ticketId: ticket.id, kind: "customer", authorEmail: ticket.customerEmail, authorName: ticket.customerName, body: pick(NOTICE_ANSWERS[language]), createdAt: answeredAt });
        messages.push({ shop, ticketId: ticket.id, kind: "event", event: "status_changed", eventData: JSON.stringify({ from: "open", to: "solved", by: pick(AGENTS) }), body: "", createdAt: solvedAt });
      }
      notices.push({
        id: noticeId,
        shop,
        dedupeKey: `demo-history:${noticeId}`,
        trigger,
        reason: trigger === "on_hold" ? "INVENTORY_OUT_OF_STOCK" : null,
        orderShopifyId: order.shopifyId,
        orderName: order.name,
        newDate,
        source: trigger === "late_to_ship" ? "delay scan" : trigger === "on_hold" ? "fulfillment_orders/placed_on_hold" : "fulfillment_events/create",
        status: "sent",
        language,
        ticketId: ticket.id,
        emailId,
        sendAfter: sentAt,
        createdAt: sentAt,
        decidedAt: sentAt,
      });
    }
    // Help panel visits: most find their answer.
    const visitCount = Math.round(6 + rand() * 10);
    for (let v = 0; v < visitCount; v++) {
      visits.push({
        shop,
        visitId: `${HISTORY_VISIT_PREFIX}${day}-${v}-${crypto.randomBytes(4).toString("hex")}`,
        locale: pick(["en", "en", "tr", "sw", "et", "ro", "ta"]),
        startedAt: new Date(date.getTime() + rand() * 86_400_000),
        searches: 1,
        contacted: rand() < 0.15,
      });
    }
  }
  await whenNotBusy(() => prisma.$transaction([
    prisma.ticket.createMany({
      data: tickets.map((t) => ({
        ...t,
        searchText: ticketSearchText({
          subject: t.subject,
          customerName: t.customerName ?? null,
          customerEmail: t.customerEmail ?? null,
          orderName: t.orderName ?? null,
        }),
      })),
    }),
    prisma.outboundEmail.createMany({ data: emails }),
    prisma.ticketMessage.createMany({ data: messages }),
    prisma.satisfactionSurvey.createMany({ data: surveys }),
    prisma.delayNotice.createMany({ data: notices }),
    prisma.helpVisit.createMany({ data: visits }),
  ]));
  for (const [query, sample, locale, times] of [
    ["gift card", "gift card", "en", 7],
    ["kapida odeme", "kapıda ödeme", "tr", 4],
    ["size chart", "size chart", "en", 3],
  ] as const) {
    await whenNotBusy(() => prisma.faqSearch.upsert({
      where: { shop_locale_query: { shop, locale, query } },
      create: { shop, locale, query, sample, searches: times, noResult: times, lastSearchedAt: new Date(now.getTime() - 3 * 86_400_000) },
      update: {},
    }));
  }
  return tickets.length;
}
