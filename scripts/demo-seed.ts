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

const text = (...lines: string[]) => lines.join("\n");

type CannedLanguage = "en" | "sw" | "et" | "ta" | "ro" | "tr";

/**
 * The team's canned replies, each written in the shoppers' languages (placeholders filled per
 * ticket). "Change before shipping" has no Tamil version: a Tamil ticket gets the English one, and
 * the agent is told so.
 */
export const CANNED: { title: string; variants: Partial<Record<CannedLanguage, string>> }[] = [
  {
    title: "Where is my order",
    variants: {
      en: text(
        "Hi {{first_name}},",
        "",
        "Thanks for your patience. Your order {{order_name}} is on its way.",
        "You can follow the parcel here: {{tracking_link}}",
        "The carrier expects to deliver it by {{expected_delivery}}.",
        "",
        "If it seems stuck, just reply to this email and we'll chase it with the carrier.",
        "",
        "{{shop_name}}",
      ),
      sw: text(
        "Habari {{first_name}},",
        "",
        "Asante kwa subira yako. Agizo lako {{order_name}} liko njiani.",
        "Unaweza kufuatilia kifurushi hapa: {{tracking_link}}",
        "Msafirishaji anatarajia kukifikisha kufikia {{expected_delivery}}.",
        "",
        "Kama kinaonekana kukwama, jibu barua pepe hii tu nasi tutafuatilia na msafirishaji.",
        "",
        "{{shop_name}}",
      ),
      et: text(
        "Tere, {{first_name}}!",
        "",
        "Aitäh kannatlikkuse eest. Teie tellimus {{order_name}} on teel.",
        "Paki liikumist saate jälgida siin: {{tracking_link}}",
        "Vedaja lubab selle kohale toimetada hiljemalt {{expected_delivery}}.",
        "",
        "Kui tundub, et pakk on teel kinni jäänud, vastake lihtsalt sellele kirjale ja uurime vedajalt " +
          "järele.",
        "",
        "{{shop_name}}",
      ),
      ta: text(
        "வணக்கம் {{first_name}},",
        "",
        "பொறுமையாகக் காத்திருப்பதற்கு நன்றி. உங்கள் ஆர்டர் {{order_name}} வந்துகொண்டிருக்கிறது.",
        "பார்சலை இங்கே கண்காணிக்கலாம்: {{tracking_link}}",
        "{{expected_delivery}} க்குள் டெலிவரி செய்யப்படும் என்று கூரியர் தெரிவித்துள்ளது.",
        "",
        "பார்சல் எங்கோ சிக்கிக்கொண்டதாகத் தோன்றினால், இந்த மின்னஞ்சலுக்குப் பதிலளிக்கவும்; நாங்கள் " +
          "கூரியரிடம் விசாரிக்கிறோம்.",
        "",
        "{{shop_name}}",
      ),
      ro: text(
        "Bună, {{first_name}},",
        "",
        "Îți mulțumim pentru răbdare. Comanda ta {{order_name}} este pe drum.",
        "Poți urmări coletul aici: {{tracking_link}}",
        "Curierul estimează că o va livra până la {{expected_delivery}}.",
        "",
        "Dacă pare că s-a blocat undeva, răspunde la acest e-mail și verificăm noi cu curierul.",
        "",
        "{{shop_name}}",
      ),
      tr: text(
        "Merhaba {{first_name}},",
        "",
        "Sabrınız için teşekkür ederiz. {{order_name}} numaralı siparişiniz yolda.",
        "Kargonuzu buradan takip edebilirsiniz: {{tracking_link}}",
        "Kargo firması siparişinizi {{expected_delivery}} tarihine kadar teslim etmeyi öngörüyor.",
        "",
        "Kargonuz bir yerde takılmış görünüyorsa bu e-postayı yanıtlamanız yeterli; kargo firmasıyla " +
          "hemen iletişime geçeriz.",
        "",
        "{{shop_name}}",
      ),
    },
  },
  {
    title: "Damaged item",
    variants: {
      en: text(
        "Hi {{first_name}},",
        "",
        "I'm so sorry your order {{order_name}} arrived damaged. That's not how it should have reached " +
          "you.",
        "",
        "We're sending a replacement today at no cost, and there's no need to return the broken item. " +
          "If you have a moment, a photo of the damage helps us take it up with the carrier.",
        "",
        "{{shop_name}}",
      ),
      sw: text(
        "Habari {{first_name}},",
        "",
        "Samahani sana kwamba agizo lako {{order_name}} lilifika likiwa limeharibika. Si hivyo " +
          "lilivyopaswa kukufikia.",
        "",
        "Tunakutumia bidhaa mbadala leo bila malipo yoyote, na huhitaji kurudisha ile iliyoharibika. " +
          "Ukipata nafasi, tutumie picha ya uharibifu ili tuwasilishe malalamiko kwa msafirishaji.",
        "",
        "{{shop_name}}",
      ),
      et: text(
        "Tere, {{first_name}}!",
        "",
        "Meil on väga kahju, et teie tellimus {{order_name}} jõudis kohale katkisena. Nii see teieni " +
          "jõudma ei pidanud.",
        "",
        "Saadame teile juba täna tasuta asendustoote ja katkist toodet ei pea tagasi saatma. Kui teil " +
          "on hetk aega, saatke meile palun foto kahjustusest, et saaksime selle vedajaga lahendada.",
        "",
        "{{shop_name}}",
      ),
      ta: text(
        "வணக்கம் {{first_name}},",
        "",
        "உங்கள் ஆர்டர் {{order_name}} சேதமடைந்த நிலையில் வந்து சேர்ந்ததற்கு மிகவும் வருந்துகிறோம்.",
        "",
        "மாற்றுப் பொருளை இன்றே இலவசமாக அனுப்புகிறோம்; சேதமடைந்த பொருளைத் திருப்பி அனுப்ப வேண்டியதில்லை. " +
          "உங்களுக்கு நேரம் இருந்தால், சேதத்தின் புகைப்படத்தை அனுப்புங்கள்; அதைக் கொண்டு கூரியர் " +
          "நிறுவனத்திடம் புகார் அளிப்போம்.",
        "",
        "{{shop_name}}",
      ),
      ro: text(
        "Bună, {{first_name}},",
        "",
        "Ne pare foarte rău că comanda ta {{order_name}} a ajuns deteriorată. Nu așa trebuia să ajungă " +
          "la tine.",
        "",
        "Îți trimitem astăzi un produs nou, fără niciun cost, și nu trebuie să returnezi produsul " +
          "stricat. Dacă ai un moment, trimite-ne o fotografie cu deteriorarea, ca să putem depune o " +
          "reclamație la curier.",
        "",
        "{{shop_name}}",
      ),
      tr: text(
        "Merhaba {{first_name}},",
        "",
        "{{order_name}} numaralı siparişinizin hasarlı ulaştığı için çok üzgünüz. Size bu şekilde " +
          "ulaşmamalıydı.",
        "",
        "Yenisini bugün ücretsiz olarak gönderiyoruz; hasarlı ürünü geri göndermenize gerek yok. " +
          "Vaktiniz olursa hasarın bir fotoğrafını bize iletin, kargo firmasına bildirelim.",
        "",
        "{{shop_name}}",
      ),
    },
  },
  {
    title: "Change before shipping",
    variants: {
      en: text(
        "Hi {{first_name}},",
        "",
        "Done: we've changed your order {{order_name}} as you asked. It hadn't been packed yet, so the " +
          "change made it in time.",
        "",
        "It ships as soon as it's packed, and you'll get an email with the tracking link the moment it " +
          "leaves us.",
        "",
        "{{shop_name}}",
      ),
      sw: text(
        "Habari {{first_name}},",
        "",
        "Tayari: tumebadilisha agizo lako {{order_name}} kama ulivyoomba. Lilikuwa bado halijafungwa, " +
          "kwa hiyo mabadiliko yamefanyika kwa wakati.",
        "",
        "Tutalituma mara tu litakapofungwa, na utapokea barua pepe yenye kiungo cha kufuatilia pindi " +
          "litakapoondoka kwetu.",
        "",
        "{{shop_name}}",
      ),
      et: text(
        "Tere, {{first_name}}!",
        "",
        "Tehtud: muutsime teie tellimust {{order_name}} nii, nagu palusite. Tellimus ei olnud veel " +
          "pakitud, nii et muudatus jõudis õigel ajal.",
        "",
        "Saadame selle teele kohe, kui see on pakitud, ja niipea kui pakk meie juurest lahkub, saate " +
          "e-kirja jälgimislingiga.",
        "",
        "{{shop_name}}",
      ),
      ro: text(
        "Bună, {{first_name}},",
        "",
        "Gata: am modificat comanda ta {{order_name}} așa cum ai cerut. Nu era încă împachetată, așa că " +
          "modificarea a ajuns la timp.",
        "",
        "O expediem imediat ce este împachetată și vei primi un e-mail cu linkul de urmărire în " +
          "momentul în care pleacă de la noi.",
        "",
        "{{shop_name}}",
      ),
      tr: text(
        "Merhaba {{first_name}},",
        "",
        "Tamamdır: {{order_name}} numaralı siparişinizi istediğiniz gibi değiştirdik. Siparişiniz henüz " +
          "paketlenmemişti, bu yüzden değişiklik tam zamanında yapıldı.",
        "",
        "Paketlenir paketlenmez kargoya veriyoruz; siparişiniz bizden çıktığı anda takip bağlantısını " +
          "içeren bir e-posta alacaksınız.",
        "",
        "{{shop_name}}",
      ),
    },
  },
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

/** The team's canned replies with their languages, each once (titles are unique per shop). */
export async function seedCannedReplies(shop: string): Promise<number> {
  let created = 0;
  for (const reply of CANNED) {
    if (await prisma.cannedReply.findFirst({ where: { shop, title: reply.title }, select: { id: true } })) continue;
    const bodies = Object.entries(reply.variants).map(([language, body]) => [`body_${language}`, body]);
    const fields = { title: reply.title, ...Object.fromEntries(bodies) };
    const saved = await whenNotBusy(() => createCannedReply(shop, fields));
    if ("errors" in saved) throw new Error(`demo canned reply "${reply.title}": ${JSON.stringify(saved.errors)}`);
    created++;
  }
  return created;
}
