import type { SupportedLanguage } from "../tickets/auto-ack-text";

/**
 * The chat transcript a shopper asks for from the panel, in the six languages the desk speaks.
 * Placeholders: {shop}, {number}.
 */
export interface TranscriptText {
  subject: string;
  intro: string;
  you: string;
  team: string;
  closing: string;
}

export const TRANSCRIPT_TEXT: Record<SupportedLanguage, TranscriptText> = {
  en: {
    subject: "Your chat with {shop}",
    intro: "Here is your conversation with {shop} (ticket #{number}), as you asked.",
    you: "You",
    team: "Support team",
    closing: "To add anything, just reply to this email.",
  },
  sw: {
    subject: "Mazungumzo yako na {shop}",
    intro: "Haya ndiyo mazungumzo yako na {shop} (tiketi #{number}), kama ulivyoomba.",
    you: "Wewe",
    team: "Timu ya msaada",
    closing: "Ili kuongeza chochote, jibu barua pepe hii tu.",
  },
  et: {
    subject: "Sinu vestlus poega {shop}",
    intro: "Siin on sinu vestlus poega {shop} (pilet #{number}), nagu soovisid.",
    you: "Sina",
    team: "Klienditugi",
    closing: "Kui soovid midagi lisada, vasta lihtsalt sellele kirjale.",
  },
  ta: {
    subject: "{shop} உடனான உங்கள் உரையாடல்",
    intro: "நீங்கள் கேட்டபடி, {shop} உடனான உங்கள் உரையாடல் இதோ (டிக்கெட் #{number}).",
    you: "நீங்கள்",
    team: "உதவிக் குழு",
    closing: "ஏதாவது சேர்க்க, இந்த மின்னஞ்சலுக்குப் பதிலளியுங்கள்.",
  },
  ro: {
    subject: "Conversația ta cu {shop}",
    intro: "Iată conversația ta cu {shop} (tichetul #{number}), așa cum ai cerut.",
    you: "Tu",
    team: "Echipa de asistență",
    closing: "Dacă vrei să adaugi ceva, răspunde la acest e-mail.",
  },
  tr: {
    subject: "{shop} ile sohbetiniz",
    intro: "İstediğiniz gibi, {shop} ile sohbetiniz (talep #{number}) aşağıda.",
    you: "Siz",
    team: "Destek ekibi",
    closing: "Eklemek istediğiniz bir şey varsa bu e-postayı yanıtlamanız yeterli.",
  },
};
