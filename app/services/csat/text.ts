import type { SupportedLanguage } from "../tickets/auto-ack-text";

/**
 * What the satisfaction survey and the post-purchase check-in say, in the six languages the
 * desk speaks: the emails, and the page a shopper sees after rating.
 */

export interface SurveyText {
  subject: string;
  greeting: string;
  greetingNoName: string;
  ask: string;
  ratings: [string, string, string, string, string];
  closing: string;
  pageTitle: string;
  thanks: string;
  change: string;
  commentLabel: string;
  send: string;
  commentThanks: string;
  invalid: string;
  expired: string;
}

export const SURVEY_TEXT: Record<SupportedLanguage, SurveyText> = {
  en: {
    subject: "How did we do? {subject}",
    greeting: "Hi {name},",
    greetingNoName: "Hi,",
    ask: "We've marked your question “{subject}” (ticket #{number}) as solved. How did we do? One click is enough:",
    ratings: ["Very poor", "Poor", "Okay", "Good", "Excellent"],
    closing: "Thank you for helping us get better.\n\n{shop}",
    pageTitle: "Thank you",
    thanks: "You rated us {rating} out of 5.",
    change: "Change your rating:",
    commentLabel: "Anything we could do better? (optional)",
    send: "Send",
    commentThanks: "Thanks, we've read it.",
    invalid: "This survey link is not valid.",
    expired: "This survey link has expired.",
  },
  sw: {
    subject: "Tulifanyaje? {subject}",
    greeting: "Habari {name},",
    greetingNoName: "Habari,",
    ask: "Tumeweka swali lako “{subject}” (tiketi #{number}) kuwa limetatuliwa. Tulifanyaje? Kubofya mara moja kunatosha:",
    ratings: ["Mbaya sana", "Mbaya", "Wastani", "Nzuri", "Bora kabisa"],
    closing: "Asante kwa kutusaidia kuboresha huduma.\n\n{shop}",
    pageTitle: "Asante",
    thanks: "Umetupa alama {rating} kati ya 5.",
    change: "Badilisha alama yako:",
    commentLabel: "Kuna jambo tunaloweza kufanya vizuri zaidi? (si lazima)",
    send: "Tuma",
    commentThanks: "Asante, tumesoma maoni yako.",
    invalid: "Kiungo hiki cha utafiti si sahihi.",
    expired: "Muda wa kiungo hiki cha utafiti umekwisha.",
  },
  et: {
    subject: "Kuidas meil läks? {subject}",
    greeting: "Tere, {name}!",
    greetingNoName: "Tere!",
    ask: "Märkisime teie küsimuse „{subject}” (pilet #{number}) lahendatuks. Kuidas meil läks? Piisab ühest klõpsust:",
    ratings: ["Väga halb", "Halb", "Rahuldav", "Hea", "Suurepärane"],
    closing: "Aitäh, et aitate meil paremaks saada.\n\n{shop}",
    pageTitle: "Aitäh",
    thanks: "Andsite meile hindeks {rating} viiest.",
    change: "Muutke oma hinnet:",
    commentLabel: "Mida saaksime paremini teha? (valikuline)",
    send: "Saada",
    commentThanks: "Aitäh, lugesime selle läbi.",
    invalid: "See küsitluse link ei kehti.",
    expired: "Selle küsitluse lingi aeg on läbi.",
  },
  ta: {
    subject: "எங்கள் சேவை எப்படி இருந்தது? {subject}",
    greeting: "வணக்கம் {name},",
    greetingNoName: "வணக்கம்,",
    ask: "உங்கள் கேள்வி “{subject}” (டிக்கெட் #{number}) தீர்க்கப்பட்டதாகக் குறித்துள்ளோம். எங்கள் சேவை எப்படி இருந்தது? ஒரு கிளிக் போதும்:",
    ratings: ["மிக மோசம்", "மோசம்", "பரவாயில்லை", "நன்று", "மிகச் சிறப்பு"],
    closing: "நாங்கள் மேம்பட உதவியதற்கு நன்றி.\n\n{shop}",
    pageTitle: "நன்றி",
    thanks: "நீங்கள் எங்களுக்கு 5-க்கு {rating} மதிப்பீடு அளித்தீர்கள்.",
    change: "உங்கள் மதிப்பீட்டை மாற்ற:",
    commentLabel: "நாங்கள் இன்னும் சிறப்பாகச் செய்யக்கூடியது ஏதேனும் உள்ளதா? (விருப்பம்)",
    send: "அனுப்பு",
    commentThanks: "நன்றி, நாங்கள் படித்தோம்.",
    invalid: "இந்த கருத்துக்கணிப்பு இணைப்பு செல்லாது.",
    expired: "இந்த கருத்துக்கணிப்பு இணைப்பின் காலம் முடிந்துவிட்டது.",
  },
  ro: {
    subject: "Cum ne-am descurcat? {subject}",
    greeting: "Bună, {name},",
    greetingNoName: "Bună,",
    ask: "Am marcat întrebarea ta „{subject}” (tichetul #{number}) ca rezolvată. Cum ne-am descurcat? Un singur clic este suficient:",
    ratings: ["Foarte slab", "Slab", "Acceptabil", "Bine", "Excelent"],
    closing: "Îți mulțumim că ne ajuți să devenim mai buni.\n\n{shop}",
    pageTitle: "Mulțumim",
    thanks: "Ne-ai acordat nota {rating} din 5.",
    change: "Schimbă nota:",
    commentLabel: "Ce am putea face mai bine? (opțional)",
    send: "Trimite",
    commentThanks: "Mulțumim, am citit.",
    invalid: "Acest link de chestionar nu este valid.",
    expired: "Acest link de chestionar a expirat.",
  },
  tr: {
    subject: "Nasıl yardımcı olduk? {subject}",
    greeting: "Merhaba {name},",
    greetingNoName: "Merhaba,",
    ask: "“{subject}” sorunuzu (talep #{number}) çözüldü olarak işaretledik. Nasıl yardımcı olduk? Tek bir tıklama yeterli:",
    ratings: ["Çok kötü", "Kötü", "İdare eder", "İyi", "Mükemmel"],
    closing: "Daha iyi olmamıza yardım ettiğiniz için teşekkür ederiz.\n\n{shop}",
    pageTitle: "Teşekkürler",
    thanks: "Bize 5 üzerinden {rating} puan verdiniz.",
    change: "Puanınızı değiştirin:",
    commentLabel: "Daha iyi yapabileceğimiz bir şey var mı? (isteğe bağlı)",
    send: "Gönder",
    commentThanks: "Teşekkürler, okuduk.",
    invalid: "Bu anket bağlantısı geçerli değil.",
    expired: "Bu anket bağlantısının süresi doldu.",
  },
};

export interface CheckInText {
  subject: string;
  body: string;
}

/** {name} (may be empty), {order}, {items}, {shop}. */
export const CHECK_IN_TEXT: Record<SupportedLanguage, CheckInText> = {
  en: {
    subject: "Is all well with your order {order}?",
    body: "Hi {name},\n\nYour order {order} ({items}) arrived a few days ago. We hope everything is just right.\n\nIf anything is wrong or missing, simply reply to this email and we'll sort it out.\n\n{shop}",
  },
  sw: {
    subject: "Je, agizo lako {order} liko sawa?",
    body: "Habari {name},\n\nAgizo lako {order} ({items}) lilifika siku chache zilizopita. Tunatumaini kila kitu kiko sawa.\n\nIkiwa kuna tatizo au kitu kinakosekana, jibu barua pepe hii tu nasi tutalishughulikia.\n\n{shop}",
  },
  et: {
    subject: "Kas teie tellimusega {order} on kõik korras?",
    body: "Tere, {name}!\n\nTeie tellimus {order} ({items}) jõudis kohale mõni päev tagasi. Loodame, et kõik on just nii, nagu peab.\n\nKui midagi on valesti või puudu, vastake lihtsalt sellele kirjale ja me lahendame asja.\n\n{shop}",
  },
  ta: {
    subject: "உங்கள் ஆர்டர் {order} எல்லாம் சரியாக உள்ளதா?",
    body: "வணக்கம் {name},\n\nஉங்கள் ஆர்டர் {order} ({items}) சில நாட்களுக்கு முன் வந்து சேர்ந்தது. எல்லாம் சரியாக இருக்கும் என்று நம்புகிறோம்.\n\nஏதேனும் தவறு அல்லது குறை இருந்தால், இந்த மின்னஞ்சலுக்கு பதில் அனுப்புங்கள்; நாங்கள் சரிசெய்வோம்.\n\n{shop}",
  },
  ro: {
    subject: "Totul este în regulă cu comanda ta {order}?",
    body: "Bună, {name},\n\nComanda ta {order} ({items}) a ajuns acum câteva zile. Sperăm că totul este exact cum trebuie.\n\nDacă ceva lipsește sau nu e în regulă, răspunde pur și simplu la acest e-mail și rezolvăm.\n\n{shop}",
  },
  tr: {
    subject: "{order} numaralı siparişinizde her şey yolunda mı?",
    body: "Merhaba {name},\n\n{order} numaralı siparişiniz ({items}) birkaç gün önce teslim edildi. Her şeyin yolunda olduğunu umuyoruz.\n\nEksik ya da yanlış bir şey varsa bu e-postayı yanıtlamanız yeterli; hemen ilgileniriz.\n\n{shop}",
  },
};

/** Fills {placeholders}; an empty name leaves a clean greeting ("Hi ," → "Hi,", "Tere, !" → "Tere!"). */
export function fillText(template: string, values: Record<string, string | number | null | undefined>): string {
  return template
    .replace(/\{(\w+)\}/g, (m, key: string) => (key in values ? String(values[key] ?? "") : m))
    .replace(/[ \t]+([,!.;:])/g, "$1")
    .replace(/,([!.])/g, "$1");
}
