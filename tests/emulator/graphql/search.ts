/**
 * A subset of Shopify's search syntax (https://shopify.dev/docs/api/usage/search-syntax):
 * `field:value`, comparators `:>`, `:>=`, `:<`, `:<=`, quoted values, `-`/`NOT` negation,
 * implicit or explicit `AND`, `OR` between groups, a trailing `*` for prefixes, and bare words
 * that match a resource's default text fields. Parentheses are ignored (no grouping).
 * Unknown fields are ignored with a warning, as Shopify does.
 */

export type Comparator = ":" | ">" | ">=" | "<" | "<=";

export interface SearchTerm {
  field: string | null;
  comparator: Comparator;
  value: string;
  negated: boolean;
}

export interface SearchWarning {
  field: string;
  message: string;
}

/** How one resource answers each search field. */
export interface SearchSpec<T> {
  fields: Record<string, (record: T, term: SearchTerm) => boolean>;
  /** Strings a bare word is looked for in (case-insensitive substring). */
  text: (record: T) => (string | null)[];
}

export interface CompiledSearch<T> {
  matches: ((record: T) => boolean) | null;
  warnings: SearchWarning[];
}

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  let current = "";
  let quote: string | null = null;
  for (const ch of query) {
    if (quote) {
      current += ch;
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') {
      current += ch;
      quote = ch;
    } else if (/\s/.test(ch) || ch === "(" || ch === ")") {
      if (current) tokens.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  if (current) tokens.push(current);
  return tokens;
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === "'" || value[0] === '"') && value[value.length - 1] === value[0]) return value.slice(1, -1);
  return value;
}

/** Groups of terms: a record matches when every term of any one group matches. */
export function parseSearchQuery(query: string): SearchTerm[][] {
  const groups: SearchTerm[][] = [[]];
  let negateNext = false;
  for (const token of tokenize(query)) {
    if (token === "AND") continue;
    if (token === "OR") {
      groups.push([]);
      continue;
    }
    if (token === "NOT") {
      negateNext = true;
      continue;
    }
    let text = token;
    let negated = negateNext;
    negateNext = false;
    if (text.startsWith("-") && text.length > 1) {
      negated = !negated;
      text = text.slice(1);
    }
    const match = /^([A-Za-z_][A-Za-z0-9_.]*):(>=|<=|>|<)?(.*)$/.exec(text);
    const term: SearchTerm = match
      ? { field: match[1].toLowerCase(), comparator: (match[2] as Comparator | undefined) ?? ":", value: unquote(match[3]), negated }
      : { field: null, comparator: ":", value: unquote(text), negated };
    groups[groups.length - 1].push(term);
  }
  return groups.filter((g) => g.length > 0);
}

export function compileSearch<T>(query: string | null | undefined, spec: SearchSpec<T>): CompiledSearch<T> {
  if (!query || !query.trim()) return { matches: null, warnings: [] };
  const warnings: SearchWarning[] = [];
  const groups = parseSearchQuery(query).map((terms) =>
    terms.flatMap((term): ((record: T) => boolean)[] => {
      let test: (record: T) => boolean;
      if (term.field === null) {
        const needle = term.value.toLowerCase();
        test = (record) => spec.text(record).some((s) => s !== null && s.toLowerCase().includes(needle));
      } else {
        const field = spec.fields[term.field];
        if (!field) {
          warnings.push({ field: term.field, message: "Invalid search field for this query." });
          return [];
        }
        test = (record) => field(record, term);
      }
      return [term.negated ? (record: T) => !test(record) : test];
    }),
  );
  if (groups.length === 0 || groups.every((g) => g.length === 0)) return { matches: null, warnings };
  return { matches: (record) => groups.some((tests) => tests.every((t) => t(record))), warnings };
}

// ---- field matchers -------------------------------------------------------------------------

function compare(a: number, term: SearchTerm, b: number): boolean {
  switch (term.comparator) {
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    default:
      return a === b;
  }
}

/** `updated_at:>'2024-01-01T00:00:00Z'`, `created_at:<=2024-01-31`; a bare date with `:` means that day. */
export function dateField<T>(get: (record: T) => string | null) {
  const cache = new WeakMap<SearchTerm, number>();
  return (record: T, term: SearchTerm): boolean => {
    const raw = get(record);
    if (raw === null) return false;
    let bound = cache.get(term);
    if (bound === undefined) {
      bound = Date.parse(term.value);
      cache.set(term, bound);
    }
    if (Number.isNaN(bound)) return false;
    const at = Date.parse(raw);
    if (term.comparator === ":" && /^\d{4}-\d{2}-\d{2}$/.test(term.value)) return at >= bound && at < bound + 86_400_000;
    return compare(at, term, bound);
  };
}

export function numberField<T>(get: (record: T) => number | string | null) {
  return (record: T, term: SearchTerm): boolean => {
    const raw = get(record);
    if (raw === null) return false;
    const bound = Number(term.value);
    return !Number.isNaN(bound) && compare(Number(raw), term, bound);
  };
}

/** Case-insensitive equality; a trailing `*` matches a prefix. */
export function textField<T>(get: (record: T) => string | null | readonly (string | null)[]) {
  return (record: T, term: SearchTerm): boolean => {
    const raw = get(record);
    const values = (Array.isArray(raw) ? raw : [raw]) as (string | null)[];
    const wanted = term.value.toLowerCase();
    const prefix = wanted.endsWith("*");
    const stem = prefix ? wanted.slice(0, -1) : wanted;
    return values.some((v) => v !== null && (prefix ? v.toLowerCase().startsWith(stem) : v.toLowerCase() === stem));
  };
}

export function booleanField<T>(get: (record: T) => boolean) {
  return (record: T, term: SearchTerm): boolean => get(record) === (term.value.toLowerCase() === "true");
}

/** The numeric tail of a GID, for `id:` comparisons. */
export function legacyId(gid: string): number {
  return Number(gid.slice(gid.lastIndexOf("/") + 1));
}
