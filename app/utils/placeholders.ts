/**
 * Placeholders in the text merchants write for shoppers (canned replies, delay-notice wording):
 * one style, {{ name }} as in Shopify's notification templates, one list, one fill function.
 * Pure, so the server and the admin's live previews fill text the same way.
 */

export type PlaceholderUse = "canned" | "notice";

const BOTH: readonly PlaceholderUse[] = ["canned", "notice"];

export const PLACEHOLDERS = {
  first_name: { label: "the shopper's first name", uses: BOTH },
  last_name: { label: "the shopper's last name", uses: BOTH },
  customer_name: { label: "the shopper's full name", uses: BOTH },
  order_name: { label: "the order's number, like #1001", uses: BOTH },
  items: { label: "what was ordered, like 1 × Linen shirt", uses: BOTH },
  tracking_link: { label: "the parcel's tracking link (or number)", uses: BOTH },
  expected_delivery: { label: "the carrier's expected delivery date", uses: ["canned"] },
  new_date: { label: "the new expected date Shopify reported", uses: ["notice"] },
  reason: { label: "why the order is on hold", uses: ["notice"] },
  support_email: { label: "your support email address", uses: BOTH },
  shop_name: { label: "your shop's name", uses: BOTH },
} as const satisfies Record<string, { label: string; uses: readonly PlaceholderUse[] }>;

export type PlaceholderName = keyof typeof PLACEHOLDERS;
export type PlaceholderValues = Partial<Record<PlaceholderName, string | null>>;

const NAMES = Object.keys(PLACEHOLDERS) as PlaceholderName[];
/** A name without a value is simply left out ("Hi {{first_name}}," → "Hi,"); the line stays. */
const PERSON: readonly PlaceholderName[] = ["first_name", "last_name", "customer_name"];
const USE_LABEL: Record<PlaceholderUse, string> = { canned: "canned replies", notice: "delay notices" };

export function placeholdersFor(use: PlaceholderUse): PlaceholderName[] {
  return NAMES.filter((name) => (PLACEHOLDERS[name].uses as readonly PlaceholderUse[]).includes(use));
}

export const placeholderText = (name: string) => `{{${name}}}`;

/** Anything between double braces (Liquid filters and all); what is inside decides if it is known. */
const DOUBLE = /\{\{([^{}]*)\}\}/g;
/** The other style, {first_name}, outside double braces. */
const SINGLE = /(?<!\{)\{\s*([A-Za-z_]+)\s*\}(?!\})/g;

function known(inner: string): PlaceholderName | null {
  const key = inner.trim().toLowerCase();
  return (NAMES as string[]).includes(key) ? (key as PlaceholderName) : null;
}

/** The placeholders a text uses, known or not, each once, as written. */
export function placeholdersIn(text: string): { known: PlaceholderName[]; unknown: string[] } {
  const found = { known: [] as PlaceholderName[], unknown: [] as string[] };
  for (const [, inner] of text.matchAll(DOUBLE)) {
    const name = known(inner);
    if (name) {
      if (!found.known.includes(name)) found.known.push(name);
    } else {
      const written = placeholderText(inner.trim().slice(0, 40));
      if (!found.unknown.includes(written)) found.unknown.push(written);
    }
  }
  return found;
}

const list = (items: string[]) => items.join(", ");

/**
 * Why a text cannot be saved for this use, naming the placeholders at fault, or null. Unknown
 * ones are refused here so that none ever reaches a shopper as written.
 */
export function placeholderError(text: string, use: PlaceholderUse): string | null {
  const { known: used, unknown } = placeholdersIn(text);
  const allowed = placeholdersFor(use);
  if (unknown.length > 0) {
    const noun = unknown.length === 1 ? "Unknown placeholder" : "Unknown placeholders";
    return `${noun}: ${list(unknown)}. Use ${list(allowed.map(placeholderText))}.`;
  }
  const elsewhere = used.filter((name) => !allowed.includes(name));
  if (elsewhere.length > 0) {
    const other: PlaceholderUse = use === "canned" ? "notice" : "canned";
    const verb = elsewhere.length === 1 ? "is" : "are";
    return `${list(elsewhere.map(placeholderText))} ${verb} filled only in ${USE_LABEL[other]}.`;
  }
  const singles = [...text.matchAll(SINGLE)].map(([, inner]) => known(inner));
  const single = [...new Set(singles.filter((n): n is PlaceholderName => n !== null))];
  if (single.length > 0) return `Write placeholders with double braces: ${list(single.map(placeholderText))}.`;
  return null;
}

export interface Filled {
  text: string;
  /** Placeholders with no value here: their lines were left out. */
  missing: PlaceholderName[];
  /** Placeholders the desk does not know (saved before they were refused): their lines were left out. */
  unknown: string[];
}

/**
 * Fills {{ placeholders }}. A line with a placeholder that has no value, or one the desk does not
 * know, is left out (so "Track it here: {{tracking_link}}" disappears when there is no link), except
 * a person's name, which is simply dropped with its stray punctuation. `keepLines` (a subject line)
 * keeps the line and drops only the placeholder. Values are inserted as they are, never filled again.
 */
export function fillPlaceholders(text: string, values: PlaceholderValues, { keepLines = false } = {}): Filled {
  const missing: PlaceholderName[] = [];
  const unknown: string[] = [];
  const note = <T>(array: T[], item: T) => {
    if (!array.includes(item)) array.push(item);
  };
  const lines: string[] = [];
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    let drop = false;
    let blanked = false;
    const filled = line.replace(DOUBLE, (_match, inner: string) => {
      const name = known(inner);
      const value = name ? values[name] : null;
      if (name && value) return value;
      if (name) note(missing, name);
      else note(unknown, placeholderText(inner.trim().slice(0, 40)));
      if (!name || !PERSON.includes(name)) drop = !keepLines;
      blanked = true;
      return "";
    });
    if (drop) continue;
    lines.push(blanked ? tidy(filled) : filled);
  }
  return {
    text: lines
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim(),
    missing,
    unknown,
  };
}

/** "Hi ," → "Hi,", "Tere, !" → "Tere!", "Bună, ," → "Bună,": a line a placeholder was taken out of. */
function tidy(line: string): string {
  return line
    .replace(/[ \t]+([,!.;:?])/g, "$1")
    .replace(/,{2,}/g, ",")
    .replace(/,([!.?])/g, "$1")
    .replace(/^([ \t]*)[,;:][ \t]*/, "$1")
    .replace(/[ \t]{2,}/g, " ")
    .trimEnd();
}
