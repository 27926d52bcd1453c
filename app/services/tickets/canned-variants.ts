/** Canned reply variants: their limits and which one a ticket gets; pure, shared by server and browser. */

export const CANNED_LIMITS = { title: 80, body: 5000 } as const;

/** The shopper's language, else the shop's default, else English, else whichever the reply has. */
export function chooseVariant(
  available: readonly string[],
  shopperLanguage: string | null,
  defaultLanguage: string
): string | null {
  for (const language of [shopperLanguage, defaultLanguage, "en"])
    if (language && available.includes(language)) return language;
  return available[0] ?? null;
}

/** "sw-KE" → "sw": what the shopper speaks, whether or not the desk does. */
export function primaryLanguage(locale: string | null | undefined): string | null {
  const base = (locale ?? "").trim().toLowerCase().split(/[-_]/)[0];
  return /^[a-z]{2,3}$/.test(base) ? base : null;
}
