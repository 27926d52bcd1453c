import type { SupportedLanguage } from "../tickets/auto-ack-text";

/**
 * The email that delivers a data request's export to the customer: the JSON goes as an
 * attachment, the body says in their language what it holds (their details, then how many of
 * each kind of record), so a person can read it without opening the file.
 */

interface ExportEmailText {
  subject: string;
  greeting: string;
  greetingNoName: string;
  intro: string;
  details: string;
  orders: string;
  tickets: string;
  searches: string;
  visits: string;
  webhooks: string;
  dataRequests: string;
  other: string;
  closing: string;
}

const TEXT: Record<SupportedLanguage, ExportEmailText> = {
  en: {
    subject: "Your data from {shop}",
    greeting: "Hi {name},",
    greetingNoName: "Hello,",
    intro:
      "As you asked, here is a copy of the personal data {shop} holds about you in its customer service app. " +
      "The attached file, {file}, has all of it; in short:",
    details: "Your details",
    orders: "Orders",
    tickets: "Support conversations",
    searches: "Searches in the storefront help",
    visits: "Visits to the storefront help",
    webhooks: "Updates Shopify sent the app about you",
    dataRequests: "Earlier data requests",
    other: "Other records",
    closing: "If you have a question about your data, just reply to this email.",
  },
  sw: {
    subject: "Data yako kutoka {shop}",
    greeting: "Habari {name},",
    greetingNoName: "Habari,",
    intro:
      "Kama ulivyoomba, hii ni nakala ya data binafsi ambayo {shop} inahifadhi kukuhusu " +
      "katika programu yake ya huduma kwa wateja. " +
      "Faili iliyoambatishwa, {file}, ina data yote; kwa ufupi:",
    details: "Taarifa zako",
    orders: "Oda",
    tickets: "Mazungumzo na huduma kwa wateja",
    searches: "Utafutaji kwenye msaada wa duka",
    visits: "Ziara kwenye msaada wa duka",
    webhooks: "Taarifa ambazo Shopify ilituma kwa programu kukuhusu",
    dataRequests: "Maombi ya awali ya data",
    other: "Rekodi nyingine",
    closing: "Ukiwa na swali kuhusu data yako, jibu barua pepe hii tu.",
  },
  et: {
    subject: "Teie andmed – {shop}",
    greeting: "Tere, {name}!",
    greetingNoName: "Tere!",
    intro:
      "Teie soovil saadame koopia isikuandmetest, mida {shop} oma klienditeeninduse rakenduses teie kohta hoiab. " +
      "Manuses olev fail {file} sisaldab neid kõiki; lühidalt:",
    details: "Teie andmed",
    orders: "Tellimused",
    tickets: "Klienditeeninduse vestlused",
    searches: "Otsingud poe abikeskuses",
    visits: "Poe abikeskuse külastused",
    webhooks: "Teated, mille Shopify teie kohta rakendusele saatis",
    dataRequests: "Varasemad andmepäringud",
    other: "Muud kirjed",
    closing: "Kui teil on oma andmete kohta küsimusi, vastake lihtsalt sellele kirjale.",
  },
  ta: {
    subject: "{shop} இலிருந்து உங்கள் தரவு",
    greeting: "வணக்கம் {name},",
    greetingNoName: "வணக்கம்,",
    intro:
      "நீங்கள் கேட்டபடி, {shop} தனது வாடிக்கையாளர் சேவை பயன்பாட்டில் " +
      "உங்களைப் பற்றி வைத்திருக்கும் தனிப்பட்ட தரவின் நகல் இதோ. " +
      "இணைக்கப்பட்ட கோப்பு {file} இல் அனைத்தும் உள்ளது; சுருக்கமாக:",
    details: "உங்கள் விவரங்கள்",
    orders: "ஆர்டர்கள்",
    tickets: "வாடிக்கையாளர் சேவை உரையாடல்கள்",
    searches: "கடையின் உதவிப் பகுதியில் தேடல்கள்",
    visits: "கடையின் உதவிப் பகுதி வருகைகள்",
    webhooks: "உங்களைப் பற்றி Shopify பயன்பாட்டுக்கு அனுப்பிய அறிவிப்புகள்",
    dataRequests: "முந்தைய தரவுக் கோரிக்கைகள்",
    other: "பிற பதிவுகள்",
    closing: "உங்கள் தரவு குறித்து கேள்வி இருந்தால், இந்த மின்னஞ்சலுக்குப் பதிலளிக்கவும்.",
  },
  ro: {
    subject: "Datele dumneavoastră de la {shop}",
    greeting: "Bună ziua, {name},",
    greetingNoName: "Bună ziua,",
    intro:
      "Așa cum ați solicitat, vă trimitem o copie a datelor personale pe care {shop} " +
      "le păstrează despre dumneavoastră " +
      "în aplicația sa de relații cu clienții. Fișierul atașat, {file}, le conține pe toate; pe scurt:",
    details: "Datele dumneavoastră",
    orders: "Comenzi",
    tickets: "Conversații cu asistența",
    searches: "Căutări în secțiunea de ajutor a magazinului",
    visits: "Vizite în secțiunea de ajutor a magazinului",
    webhooks: "Notificări trimise de Shopify aplicației despre dumneavoastră",
    dataRequests: "Solicitări de date anterioare",
    other: "Alte înregistrări",
    closing: "Dacă aveți întrebări despre datele dumneavoastră, răspundeți la acest e-mail.",
  },
  tr: {
    subject: "{shop} mağazasındaki verileriniz",
    greeting: "Merhaba {name},",
    greetingNoName: "Merhaba,",
    intro:
      "İsteğiniz üzerine, {shop} mağazasının müşteri hizmetleri uygulamasında " +
      "sizinle ilgili tuttuğu kişisel verilerin " +
      "bir kopyasını gönderiyoruz. Ekteki {file} dosyası hepsini içerir; kısaca:",
    details: "Bilgileriniz",
    orders: "Siparişler",
    tickets: "Müşteri hizmetleri görüşmeleri",
    searches: "Mağaza yardımında yapılan aramalar",
    visits: "Mağaza yardımı ziyaretleri",
    webhooks: "Shopify'ın sizinle ilgili uygulamaya gönderdiği bildirimler",
    dataRequests: "Önceki veri talepleri",
    other: "Diğer kayıtlar",
    closing: "Verilerinizle ilgili bir sorunuz varsa bu e-postayı yanıtlamanız yeterli.",
  },
};

/** Why the export cannot be emailed, shown beside the disabled button and answered by the action. */
export const NO_ADDRESS_REASON =
  "Shopify sent no email address with this request: download the export and deliver it another way.";
export const BAD_ADDRESS_REASON =
  "The email address on this request is not one mail can be sent to: download the export and deliver it another way.";

/** An address an email can go to (Shopify's request carries whatever the customer record held). */
export const isDeliverableAddress = (address: string) =>
  /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/.test(address);

/** The export's file name, the same for the download and the attachment. */
export function exportFileName(id: string, requestedAt: Date | string): string {
  const day = new Date(requestedAt).toISOString().slice(0, 10);
  return `data-request-${day}-${id}.json`;
}

/** The parts of an export (answerDataRequest's document) the summary reads; anything else is ignored. */
export interface ExportDocument {
  customer?: { email?: string | null; phone?: string | null };
  data?: Record<string, unknown>;
}

type Row = Record<string, unknown>;
const rows = (value: unknown): Row[] =>
  Array.isArray(value) ? value.filter((v): v is Row => typeof v === "object" && v !== null) : [];
const text = (value: unknown): string | null => (typeof value === "string" && value.trim() ? value.trim() : null);
const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (m, key: string) => values[key] ?? m);

/** At most `max` names, then an ellipsis: the file has the rest. */
function someOf(names: string[], max = 10): string {
  return names.length > max ? `${names.slice(0, max).join(", ")}, …` : names.join(", ");
}

/** The customer's synced profile, if the export has one: their name and language for the email. */
export function exportedProfile(document: ExportDocument): {
  firstName: string | null;
  lastName: string | null;
  locale: string | null;
} {
  const [profile] = rows(document.data?.customers);
  return { firstName: text(profile?.firstName), lastName: text(profile?.lastName), locale: text(profile?.locale) };
}

/** The subject and plain text of the email (before the shop's signature), in the customer's language. */
export function exportEmailText(input: {
  language: SupportedLanguage;
  document: ExportDocument;
  shopName: string;
  fileName: string;
}) {
  const t = TEXT[input.language];
  const data = input.document.data ?? {};
  const profile = exportedProfile(input.document);
  const [synced] = rows(data.customers);
  const name = [profile.firstName, profile.lastName].filter(Boolean).join(" ");
  const details = [
    name,
    text(synced?.email) ?? text(input.document.customer?.email),
    text(synced?.phone) ?? text(input.document.customer?.phone),
  ];
  const help = rows(data.storefrontHelp);
  const lines: string[] = [`• ${t.details}: ${details.filter(Boolean).join(", ") || "—"}`];
  const orders = rows(data.orders);
  if (orders.length) lines.push(`• ${t.orders}: ${orders.length} (${someOf(orders.map((o) => text(o.name) ?? "?"))})`);
  const tickets = rows(data.tickets);
  if (tickets.length)
    lines.push(
      `• ${t.tickets}: ${tickets.length} (${someOf(tickets.map((ticket) => `#${String(ticket.number ?? "?")}`))})`,
    );
  const searches = help.filter((h) => h.kind === "search").length;
  if (searches) lines.push(`• ${t.searches}: ${searches}`);
  const visits = help.filter((h) => h.kind === "help_visit").length;
  if (visits) lines.push(`• ${t.visits}: ${visits}`);
  const webhooks = rows(data.webhookDeliveries).length;
  if (webhooks) lines.push(`• ${t.webhooks}: ${webhooks}`);
  const requests = rows(data.dataRequests).length;
  if (requests) lines.push(`• ${t.dataRequests}: ${requests}`);
  const known = new Set(["customers", "orders", "tickets", "storefrontHelp", "webhookDeliveries", "dataRequests"]);
  const other = Object.entries(data)
    .filter(([key]) => !known.has(key))
    .reduce((n, [, value]) => n + rows(value).length, 0);
  if (other) lines.push(`• ${t.other}: ${other}`);
  const values = { shop: input.shopName, file: input.fileName, name: profile.firstName ?? "" };
  const body = [
    profile.firstName ? fill(t.greeting, values) : t.greetingNoName,
    fill(t.intro, values),
    lines.join("\n"),
    t.closing,
    input.shopName,
  ].join("\n\n");
  return { subject: fill(t.subject, values), text: body };
}
