/**
 * Search text: one folding for what is stored and what is typed, so a plain substring match
 * (`LIKE '%…%'`, Prisma's `contains`) finds the same rows on SQLite and PostgreSQL, whatever the
 * case or accents: "beden" finds "Beden", "sifre" finds "Şifre", "stefan" finds "Ștefan",
 * "istanbul" finds "İSTANBUL". Accents are removed from Latin letters only: Tamil's vowel signs
 * and virama are combining marks too, and removing them would change the word.
 */

const LATIN = /\p{Script=Latin}/u;
const MARK = /\p{M}/u;
const PLAIN_ASCII = /^[\x20-\x7e]*$/;

/** Latin letters that have no decomposition but one obvious plain spelling (after lower-casing). */
const LATIN_LETTERS: Record<string, string> = {
  ı: "i",
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  đ: "d",
  ð: "d",
  ł: "l",
  ħ: "h",
  ŧ: "t",
  þ: "th",
};
const SPECIAL = new RegExp(`[${Object.keys(LATIN_LETTERS).join("")}ς]`, "g");

/**
 * Lower case (with Turkish İ and ı both an i, ß as ss, final sigma as sigma), compatibility forms
 * unfolded (ligatures, full-width letters), accents removed from Latin letters, whitespace
 * collapsed, in NFC.
 */
export function foldSearchText(text: string): string {
  if (PLAIN_ASCII.test(text)) return text.toLowerCase().replace(/ +/g, " ").trim();
  // "İ" lower-cases to i + a combining dot (dropped below, a Latin accent); NFKD unfolds "ﬁ", "Ｓ"
  // and "ℌ", which is why the result is lower-cased again.
  const lower = text.toLowerCase().normalize("NFKD").toLowerCase();
  let out = "";
  let afterLatin = false;
  for (const char of lower) {
    if (MARK.test(char)) {
      if (!afterLatin) out += char;
      continue;
    }
    afterLatin = LATIN.test(char);
    out += char;
  }
  return out
    .replace(SPECIAL, (c) => (c === "ς" ? "σ" : LATIN_LETTERS[c]))
    .normalize("NFC")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * A row's stored search text: its searched fields folded, one per line. Queries are folded to a
 * single line, so a match never runs from one field into the next.
 */
export function searchTextOf(fields: (string | null | undefined)[]): string {
  return fields
    .map((field) => (field ? foldSearchText(field) : ""))
    .filter(Boolean)
    .join("\n");
}

/** The words of a typed search, folded; a search of nothing is no words. */
export function searchWords(query: string | null | undefined, max = 6): string[] {
  return foldSearchText(query ?? "")
    .split(" ")
    .filter(Boolean)
    .slice(0, max);
}

/** A whole email address typed into a search box (looked up exactly, by its index, not as text). */
export function isWholeEmail(text: string): boolean {
  return /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(text);
}

/** Email addresses are compared in lower case everywhere (stored so, and looked up so). */
export function normaliseEmail(email: string): string;
export function normaliseEmail(email: string | null | undefined): string | null;
export function normaliseEmail(email: string | null | undefined): string | null {
  const trimmed = email?.trim();
  return trimmed ? trimmed.toLowerCase() : null;
}

/** A LIKE pattern for "contains this text", its wildcards taken literally: use with `ESCAPE '!'`. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}
