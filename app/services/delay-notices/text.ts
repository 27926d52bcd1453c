import { SUPPORTED_LANGUAGES, type SupportedLanguage } from "../tickets/auto-ack-text";
import { fillPlaceholders, placeholdersFor, type PlaceholderValues } from "../../utils/placeholders";

/**
 * What a delay notice says, in the six languages the desk speaks. A template is plain text with
 * {{placeholders}} (app/utils/placeholders.ts); a line whose placeholder has no value (no tracking
 * link, no new date) is left out, so one template reads right with or without them. Merchants may
 * replace any template. Shared by the admin (editor and live preview) and the sender.
 */

export const DELAY_TRIGGERS = ["carrier_delayed", "carrier_failure", "attempted_delivery", "on_hold", "rescheduled", "late_to_ship"] as const;
export type DelayTrigger = (typeof DELAY_TRIGGERS)[number];

export const TRIGGER_LABELS: Record<DelayTrigger, string> = {
  carrier_delayed: "Carrier reports a delay",
  carrier_failure: "Carrier could not deliver",
  attempted_delivery: "Delivery attempted",
  on_hold: "Order put on hold",
  rescheduled: "Shipment rescheduled",
  late_to_ship: "Late to ship",
};

export const NOTICE_STATUSES = ["queued", "sent", "skipped", "failed"] as const;

export const TEMPLATE_VARIABLES = placeholdersFor("notice");

/** Shopify's hold reasons a shopper may hear about; HIGH_RISK_OF_FRAUD is never told. */
export const TOLD_HOLD_REASONS = ["INVENTORY_OUT_OF_STOCK", "INCORRECT_ADDRESS", "UNKNOWN_DELIVERY_DATE", "AWAITING_PAYMENT", "OTHER"] as const;

interface LanguagePack {
  subject: string;
  greeting: string;
  paragraphs: Record<DelayTrigger, string>;
  newDate: string;
  items: string;
  tracking: string;
  closing: string;
  reasons: Record<(typeof TOLD_HOLD_REASONS)[number], string>;
}

const PACKS: Record<SupportedLanguage, LanguagePack> = {
  en: {
    subject: "An update on your order {{order_name}}",
    greeting: "Hi {{first_name}},",
    paragraphs: {
      carrier_delayed: "The carrier has let us know that the parcel with your order {{order_name}} is running late. We're sorry for the wait.",
      carrier_failure: "The carrier could not deliver your order {{order_name}}. We are looking into it with them and will make sure it reaches you.",
      attempted_delivery: "The carrier tried to deliver your order {{order_name}} but could not hand it over. They will try again or leave word on where to collect it.",
      on_hold: "Your order {{order_name}} is on hold for now: {{reason}}. We'll send it as soon as we can.",
      rescheduled: "We've had to move the shipment of your order {{order_name}}. We're sorry for the change.",
      late_to_ship: "Your order {{order_name}} is taking longer than planned to leave us. We haven't forgotten it, and we're sorry for the wait.",
    },
    newDate: "New expected date: {{new_date}}.",
    items: "In this order: {{items}}.",
    tracking: "Follow your parcel here: {{tracking_link}}",
    closing: "Questions? Just reply to this email or write to {{support_email}}.\n\n{{shop_name}}",
    reasons: {
      INVENTORY_OUT_OF_STOCK: "an item is out of stock and we're waiting for new stock",
      INCORRECT_ADDRESS: "we need to check the delivery address with you",
      UNKNOWN_DELIVERY_DATE: "we don't have a confirmed delivery date yet",
      AWAITING_PAYMENT: "we're waiting for the payment to complete",
      OTHER: "we need a little more time to prepare it",
    },
  },
  sw: {
    subject: "Taarifa kuhusu agizo lako {{order_name}}",
    greeting: "Habari {{first_name}},",
    paragraphs: {
      carrier_delayed: "Msafirishaji ametujulisha kwamba kifurushi cha agizo lako {{order_name}} kimechelewa. Tunaomba radhi kwa kusubiri.",
      carrier_failure: "Msafirishaji hakuweza kuwasilisha agizo lako {{order_name}}. Tunafuatilia suala hili pamoja nao na tutahakikisha linakufikia.",
      attempted_delivery: "Msafirishaji alijaribu kuwasilisha agizo lako {{order_name}} lakini hakuweza kukukabidhi. Atajaribu tena au ataacha taarifa ya mahali pa kulichukua.",
      on_hold: "Agizo lako {{order_name}} limesimamishwa kwa sasa: {{reason}}. Tutalituma haraka iwezekanavyo.",
      rescheduled: "Tumelazimika kubadilisha tarehe ya kutuma agizo lako {{order_name}}. Tunaomba radhi kwa mabadiliko haya.",
      late_to_ship: "Agizo lako {{order_name}} linachukua muda mrefu kuliko tulivyopanga kuondoka kwetu. Hatujalisahau, na tunaomba radhi kwa kusubiri.",
    },
    newDate: "Tarehe mpya inayotarajiwa: {{new_date}}.",
    items: "Katika agizo hili: {{items}}.",
    tracking: "Fuatilia kifurushi chako hapa: {{tracking_link}}",
    closing: "Una swali? Jibu barua pepe hii au tuandikie kwa {{support_email}}.\n\n{{shop_name}}",
    reasons: {
      INVENTORY_OUT_OF_STOCK: "bidhaa moja imeisha na tunasubiri mzigo mpya",
      INCORRECT_ADDRESS: "tunahitaji kuthibitisha anwani ya uwasilishaji pamoja nawe",
      UNKNOWN_DELIVERY_DATE: "bado hatuna tarehe ya uwasilishaji iliyothibitishwa",
      AWAITING_PAYMENT: "tunasubiri malipo yakamilike",
      OTHER: "tunahitaji muda kidogo zaidi kulitayarisha",
    },
  },
  et: {
    subject: "Teade teie tellimuse {{order_name}} kohta",
    greeting: "Tere, {{first_name}}!",
    paragraphs: {
      carrier_delayed: "Vedaja andis teada, et teie tellimuse {{order_name}} pakk hilineb. Vabandame ootamise pärast.",
      carrier_failure: "Vedaja ei saanud teie tellimust {{order_name}} kätte toimetada. Uurime asja koos nendega ja hoolitseme, et see teieni jõuaks.",
      attempted_delivery: "Vedaja püüdis teie tellimust {{order_name}} kätte toimetada, kuid ei saanud seda üle anda. Nad proovivad uuesti või jätavad teate, kust selle kätte saab.",
      on_hold: "Teie tellimus {{order_name}} on praegu ootel: {{reason}}. Saadame selle esimesel võimalusel.",
      rescheduled: "Pidime teie tellimuse {{order_name}} saatmise aega muutma. Vabandame muudatuse pärast.",
      late_to_ship: "Teie tellimuse {{order_name}} teele panek võtab plaanitust kauem. Me pole seda unustanud ja vabandame ootamise pärast.",
    },
    newDate: "Uus eeldatav kuupäev: {{new_date}}.",
    items: "Selles tellimuses: {{items}}.",
    tracking: "Jälgige oma pakki siin: {{tracking_link}}",
    closing: "Küsimusi? Vastake sellele kirjale või kirjutage aadressil {{support_email}}.\n\n{{shop_name}}",
    reasons: {
      INVENTORY_OUT_OF_STOCK: "üks toode on laost otsas ja ootame uut kaupa",
      INCORRECT_ADDRESS: "peame tarneaadressi teiega üle kontrollima",
      UNKNOWN_DELIVERY_DATE: "meil pole veel kinnitatud tarnekuupäeva",
      AWAITING_PAYMENT: "ootame makse lõpuleviimist",
      OTHER: "vajame selle ettevalmistamiseks veidi rohkem aega",
    },
  },
  ta: {
    subject: "உங்கள் ஆர்டர் {{order_name}} பற்றிய தகவல்",
    greeting: "வணக்கம் {{first_name}},",
    paragraphs: {
      carrier_delayed: "உங்கள் ஆர்டர் {{order_name}} உள்ள பார்சல் தாமதமாகிறது என்று கூரியர் நிறுவனம் எங்களுக்குத் தெரிவித்துள்ளது. காத்திருப்புக்கு வருந்துகிறோம்.",
      carrier_failure: "கூரியர் நிறுவனத்தால் உங்கள் ஆர்டர் {{order_name}} ஐ டெலிவரி செய்ய முடியவில்லை. அவர்களுடன் சேர்ந்து இதைச் சரிசெய்து, அது உங்களை அடைவதை உறுதிசெய்வோம்.",
      attempted_delivery: "கூரியர் உங்கள் ஆர்டர் {{order_name}} ஐ டெலிவரி செய்ய முயன்றார், ஆனால் ஒப்படைக்க முடியவில்லை. அவர்கள் மீண்டும் முயல்வார்கள் அல்லது எங்கே பெறலாம் என்று தகவல் தருவார்கள்.",
      on_hold: "உங்கள் ஆர்டர் {{order_name}} தற்போது நிறுத்தி வைக்கப்பட்டுள்ளது: {{reason}}. கூடிய விரைவில் அனுப்புவோம்.",
      rescheduled: "உங்கள் ஆர்டர் {{order_name}} அனுப்பும் தேதியை மாற்ற வேண்டியிருந்தது. இந்த மாற்றத்திற்கு வருந்துகிறோம்.",
      late_to_ship: "உங்கள் ஆர்டர் {{order_name}} எங்களிடமிருந்து புறப்பட திட்டமிட்டதை விட அதிக நேரம் ஆகிறது. நாங்கள் அதை மறக்கவில்லை; காத்திருப்புக்கு வருந்துகிறோம்.",
    },
    newDate: "புதிய எதிர்பார்க்கப்படும் தேதி: {{new_date}}.",
    items: "இந்த ஆர்டரில்: {{items}}.",
    tracking: "உங்கள் பார்சலை இங்கே கண்காணிக்கலாம்: {{tracking_link}}",
    closing: "கேள்விகள் உள்ளதா? இந்த மின்னஞ்சலுக்கு பதில் அனுப்புங்கள் அல்லது {{support_email}} க்கு எழுதுங்கள்.\n\n{{shop_name}}",
    reasons: {
      INVENTORY_OUT_OF_STOCK: "ஒரு பொருள் கையிருப்பில் இல்லை, புதிய சரக்குக்காகக் காத்திருக்கிறோம்",
      INCORRECT_ADDRESS: "டெலிவரி முகவரியை உங்களுடன் சரிபார்க்க வேண்டும்",
      UNKNOWN_DELIVERY_DATE: "உறுதிப்படுத்தப்பட்ட டெலிவரி தேதி இன்னும் இல்லை",
      AWAITING_PAYMENT: "கட்டணம் நிறைவடையக் காத்திருக்கிறோம்",
      OTHER: "அதைத் தயார் செய்ய இன்னும் சிறிது நேரம் தேவை",
    },
  },
  ro: {
    subject: "Noutăți despre comanda ta {{order_name}}",
    greeting: "Bună, {{first_name}},",
    paragraphs: {
      carrier_delayed: "Curierul ne-a anunțat că coletul cu comanda ta {{order_name}} întârzie. Ne pare rău pentru așteptare.",
      carrier_failure: "Curierul nu a putut livra comanda ta {{order_name}}. Verificăm situația împreună cu ei și ne asigurăm că ajunge la tine.",
      attempted_delivery: "Curierul a încercat să livreze comanda ta {{order_name}}, dar nu a putut să ți-o predea. Va încerca din nou sau îți va lăsa un aviz de unde o poți ridica.",
      on_hold: "Comanda ta {{order_name}} este momentan în așteptare: {{reason}}. O trimitem cât de repede putem.",
      rescheduled: "A trebuit să mutăm data de expediere a comenzii tale {{order_name}}. Ne pare rău pentru schimbare.",
      late_to_ship: "Comanda ta {{order_name}} pleacă de la noi mai târziu decât am plănuit. Nu am uitat de ea și ne pare rău pentru așteptare.",
    },
    newDate: "Noua dată estimată: {{new_date}}.",
    items: "În această comandă: {{items}}.",
    tracking: "Urmărește coletul aici: {{tracking_link}}",
    closing: "Ai întrebări? Răspunde la acest e-mail sau scrie-ne la {{support_email}}.\n\n{{shop_name}}",
    reasons: {
      INVENTORY_OUT_OF_STOCK: "un produs nu mai este în stoc și așteptăm marfă nouă",
      INCORRECT_ADDRESS: "trebuie să verificăm împreună adresa de livrare",
      UNKNOWN_DELIVERY_DATE: "nu avem încă o dată de livrare confirmată",
      AWAITING_PAYMENT: "așteptăm finalizarea plății",
      OTHER: "avem nevoie de puțin mai mult timp pentru a o pregăti",
    },
  },
  tr: {
    subject: "{{order_name}} numaralı siparişiniz hakkında bilgi",
    greeting: "Merhaba {{first_name}},",
    paragraphs: {
      carrier_delayed: "Kargo firması, {{order_name}} numaralı siparişinizin kolisinin gecikeceğini bildirdi. Beklettiğimiz için özür dileriz.",
      carrier_failure: "Kargo firması {{order_name}} numaralı siparişinizi teslim edemedi. Konuyu onlarla birlikte inceliyoruz ve size ulaşmasını sağlayacağız.",
      attempted_delivery: "Kargo firması {{order_name}} numaralı siparişinizi teslim etmeye çalıştı ancak teslim edemedi. Yeniden deneyecek ya da nereden alabileceğinize dair bilgi bırakacak.",
      on_hold: "{{order_name}} numaralı siparişiniz şu an beklemede: {{reason}}. En kısa sürede göndereceğiz.",
      rescheduled: "{{order_name}} numaralı siparişinizin gönderim tarihini değiştirmek zorunda kaldık. Bu değişiklik için özür dileriz.",
      late_to_ship: "{{order_name}} numaralı siparişinizin bizden çıkışı planladığımızdan uzun sürüyor. Unutmadık; beklettiğimiz için özür dileriz.",
    },
    newDate: "Yeni tahmini tarih: {{new_date}}.",
    items: "Bu siparişte: {{items}}.",
    tracking: "Kolinizi buradan takip edebilirsiniz: {{tracking_link}}",
    closing: "Sorunuz mu var? Bu e-postayı yanıtlayın ya da {{support_email}} adresine yazın.\n\n{{shop_name}}",
    reasons: {
      INVENTORY_OUT_OF_STOCK: "bir ürün stokta kalmadı ve yeni stoku bekliyoruz",
      INCORRECT_ADDRESS: "teslimat adresini sizinle kontrol etmemiz gerekiyor",
      UNKNOWN_DELIVERY_DATE: "henüz kesinleşmiş bir teslimat tarihimiz yok",
      AWAITING_PAYMENT: "ödemenin tamamlanmasını bekliyoruz",
      OTHER: "hazırlamak için biraz daha zamana ihtiyacımız var",
    },
  },
};

export interface NoticeTemplate {
  subject: string;
  body: string;
}

export function defaultTemplate(trigger: DelayTrigger, language: SupportedLanguage): NoticeTemplate {
  const p = PACKS[language];
  return { subject: p.subject, body: [p.greeting, p.paragraphs[trigger], p.newDate, p.items, p.tracking, p.closing].join("\n\n") };
}

/** A date as the shopper's notice writes it ("12 December 2026" in their language, in the shop's zone). */
export function formatNoticeDate(date: Date, language: string, timeZone: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: "long", timeZone }).format(date);
}

/**
 * What happened to the order, in one line for "Track my order": the first sentence of the
 * notice's own wording for its trigger, then the new expected date when there is one. The
 * email says the rest (greeting, items, tracking, closing); the panel shows only this.
 */
export function noticeStatusLine(trigger: string, language: SupportedLanguage, values: { order_name: string; reason?: string | null; new_date?: string | null }): string {
  const pack = PACKS[language];
  const paragraph = pack.paragraphs[trigger as DelayTrigger];
  if (!paragraph) return values.new_date ? fillTemplate({ subject: "", body: pack.newDate }, values).body : "";
  const firstSentence = paragraph.split(/(?<=[.!?])\s+/)[0];
  return fillTemplate({ subject: "", body: [firstSentence, pack.newDate].join("\n") }, values).body.split("\n").join(" ");
}

export function holdReasonText(reason: string | null, language: SupportedLanguage): string {
  const reasons = PACKS[language].reasons;
  return reasons[(reason ?? "OTHER") as keyof typeof reasons] ?? reasons.OTHER;
}

export type TemplateValues = PlaceholderValues;

/**
 * Fills a template: a body line whose placeholder has no value is dropped, a missing name simply
 * left out ("Hi {{first_name}}," → "Hi,"); the subject keeps its line.
 */
export function fillTemplate(template: NoticeTemplate, values: TemplateValues): NoticeTemplate {
  return { subject: fillPlaceholders(template.subject, values, { keepLines: true }).text, body: fillPlaceholders(template.body, values).text };
}

export { SUPPORTED_LANGUAGES };
