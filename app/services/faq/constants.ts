import { SUPPORTED_LANGUAGES, type SupportedLanguage } from "../tickets/auto-ack-text";

/** The languages the FAQ, the storefront help and its emails speak. Shared by server and admin UI. */
export const FAQ_LOCALES = SUPPORTED_LANGUAGES;
export type FaqLocale = SupportedLanguage;

export const FAQ_LIMITS = { question: 300, answer: 10_000, categoryTitle: 80, handle: 60 } as const;
