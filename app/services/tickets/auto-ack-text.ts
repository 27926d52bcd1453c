/**
 * The acknowledgement a shopper gets the moment their question becomes a ticket, in their
 * language. Placeholders: {name}, {subject}, {due}, {number}, {shop}.
 */

export const SUPPORTED_LANGUAGES = ["en", "sw", "et", "ta", "ro", "tr"] as const;
export type SupportedLanguage = (typeof SUPPORTED_LANGUAGES)[number];

interface AckText {
  subject: string;
  greeting: string;
  greetingNoName: string;
  body: string;
}

const TEXTS: Record<SupportedLanguage, AckText> = {
  en: {
    subject: "We received your message: {subject}",
    greeting: "Hi {name},",
    greetingNoName: "Hello,",
    body:
      "Thanks for getting in touch. We have received your message and will answer by {due}.\n\n" +
      "Your request number is #{number}. To add anything, just reply to this email.\n\n{shop}",
  },
  sw: {
    subject: "Tumepokea ujumbe wako: {subject}",
    greeting: "Habari {name},",
    greetingNoName: "Habari,",
    body:
      "Asante kwa kuwasiliana nasi. Tumepokea ujumbe wako na tutakujibu kufikia {due}.\n\n" +
      "Nambari ya ombi lako ni #{number}. Ukitaka kuongeza chochote, jibu barua pepe hii tu.\n\n{shop}",
  },
  et: {
    subject: "Saime teie sõnumi kätte: {subject}",
    greeting: "Tere, {name}!",
    greetingNoName: "Tere!",
    body:
      "Aitäh, et meiega ühendust võtsite. Saime teie sõnumi kätte ja vastame hiljemalt {due}.\n\n" +
      "Teie päringu number on #{number}. Kui soovite midagi lisada, vastake lihtsalt sellele kirjale.\n\n{shop}",
  },
  ta: {
    subject: "உங்கள் செய்தி எங்களுக்குக் கிடைத்தது: {subject}",
    greeting: "வணக்கம் {name},",
    greetingNoName: "வணக்கம்,",
    body:
      "எங்களைத் தொடர்புகொண்டதற்கு நன்றி. உங்கள் செய்தி எங்களுக்குக் கிடைத்தது; {due} க்குள் பதிலளிப்போம்.\n\n" +
      "உங்கள் கோரிக்கை எண் #{number}. ஏதேனும் சேர்க்க விரும்பினால், இந்த மின்னஞ்சலுக்குப் பதிலளிக்கவும்.\n\n{shop}",
  },
  ro: {
    subject: "Am primit mesajul dumneavoastră: {subject}",
    greeting: "Bună ziua, {name},",
    greetingNoName: "Bună ziua,",
    body:
      "Vă mulțumim că ne-ați contactat. Am primit mesajul dumneavoastră și vă vom răspunde până la {due}.\n\n" +
      "Numărul solicitării dumneavoastră este #{number}. Dacă doriți să adăugați ceva, răspundeți la acest e-mail.\n\n{shop}",
  },
  tr: {
    subject: "Mesajınızı aldık: {subject}",
    greeting: "Merhaba {name},",
    greetingNoName: "Merhaba,",
    body:
      "Bizimle iletişime geçtiğiniz için teşekkür ederiz. Mesajınızı aldık ve en geç {due} tarihine kadar yanıt vereceğiz.\n\n" +
      "Talep numaranız #{number}. Eklemek istediğiniz bir şey olursa bu e-postayı yanıtlamanız yeterli.\n\n{shop}",
  },
};

/** "ta-IN" → "ta"; anything unsupported → the fallback (the shop's language, else English). */
/**
 * When the shopper will have an answer (the ticket's due time in business hours), as the
 * acknowledgement and the help panel both say it: one promise, in the shopper's language and
 * the shop's zone.
 */
export function formatAnswerBy(due: Date, language: string, timeZone: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: "full", timeStyle: "short", timeZone }).format(due);
}

export function supportedLanguage(locale: string | null | undefined, fallback: string | null | undefined = "en"): SupportedLanguage {
  const pick = (value: string | null | undefined) => {
    const base = (value ?? "").toLowerCase().split(/[-_]/)[0];
    return (SUPPORTED_LANGUAGES as readonly string[]).includes(base) ? (base as SupportedLanguage) : null;
  };
  return pick(locale) ?? pick(fallback) ?? "en";
}

const fill = (template: string, values: Record<string, string>) => template.replace(/\{(\w+)\}/g, (m, key: string) => values[key] ?? m);

export function acknowledgementText(input: {
  language: SupportedLanguage;
  name: string | null;
  subject: string;
  number: number;
  due: Date;
  timeZone: string;
  shopName: string;
}): { subject: string; text: string } {
  const t = TEXTS[input.language];
  const due = formatAnswerBy(input.due, input.language, input.timeZone);
  const values = { name: input.name ?? "", subject: input.subject, due, number: String(input.number), shop: input.shopName };
  const greeting = input.name ? fill(t.greeting, values) : t.greetingNoName;
  return { subject: fill(t.subject, values), text: `${greeting}\n\n${fill(t.body, values)}` };
}
