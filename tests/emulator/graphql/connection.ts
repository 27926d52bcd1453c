/** Relay connections as Shopify serves them: opaque cursors, at most 250 nodes a page. */
import { EmulatorError } from "./errors";

export const MAX_PAGE_SIZE = 250;

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** Where a record sits in a sort: the sort value, then the id to break ties. */
export type SortKey = readonly [value: number | string, id: number];

export const EMPTY_CONNECTION: Connection<never> = Object.freeze({
  edges: [],
  nodes: [],
  pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
}) as Connection<never>;

/** Shopify requires a page size on every connection and caps it; checked before resolving. */
export function checkPageArgs(args: PageArgs): void {
  const { first, last } = args;
  if ((first === undefined || first === null) && (last === undefined || last === null)) {
    throw new EmulatorError("you must provide one of first or last", "BAD_REQUEST");
  }
  for (const [name, value] of [
    ["first", first],
    ["last", last],
  ] as const) {
    if (value === undefined || value === null) continue;
    if (value < 0) throw new EmulatorError(`The '${name}' argument must be a non-negative number.`, "BAD_REQUEST");
    if (value > MAX_PAGE_SIZE) {
      throw new EmulatorError(
        `The '${name}' argument of ${value} exceeds the maximum page size of ${MAX_PAGE_SIZE}; page through the connection instead.`,
        "BAD_REQUEST",
      );
    }
  }
}

export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify({ last_id: key[1], last_value: key[0] })).toString("base64");
}

function decodeCursor(cursor: string, argName: string): SortKey {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as { last_id?: unknown; last_value?: unknown };
    if (typeof parsed.last_id === "number" && (typeof parsed.last_value === "number" || typeof parsed.last_value === "string")) {
      return [parsed.last_value, parsed.last_id];
    }
  } catch {
    // fall through
  }
  throw new EmulatorError(`Invalid cursor for '${argName}' argument.`, "BAD_REQUEST");
}

function compareKeys(a: SortKey, b: SortKey): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] - b[1];
}

/** Records sorted ascending by key, with the keys alongside so cursors can be found by bisection. */
export interface SortedIndex<T> {
  records: readonly T[];
  keys: readonly SortKey[];
}

export function sortIndex<T>(records: readonly T[], keyOf: (record: T) => SortKey): SortedIndex<T> {
  const pairs = records.map((record) => ({ record, key: keyOf(record) }));
  pairs.sort((a, b) => compareKeys(a.key, b.key));
  return { records: pairs.map((p) => p.record), keys: pairs.map((p) => p.key) };
}

function bound(keys: readonly SortKey[], key: SortKey, strict: boolean): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareKeys(keys[mid], key);
    if (c < 0 || (strict && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One page of `index`, keeping only records `matches` accepts. Works in the sort's logical order
 * (descending when `reverse`), scanning only as far as the page needs.
 */
export function paginate<T>(index: SortedIndex<T>, args: PageArgs, matches: ((record: T) => boolean) | null): Connection<T> {
  const n = index.records.length;
  const reverse = args.reverse === true;
  const at = (j: number) => (reverse ? n - 1 - j : j);
  const ok = (j: number) => matches === null || matches(index.records[at(j)]);

  let start = 0;
  let end = n;
  if (args.after) {
    const key = decodeCursor(args.after, "after");
    start = reverse ? n - bound(index.keys, key, false) : bound(index.keys, key, true);
  }
  if (args.before) {
    const key = decodeCursor(args.before, "before");
    end = reverse ? n - bound(index.keys, key, true) : bound(index.keys, key, false);
  }
  end = Math.max(start, end);

  const anyMatch = (from: number, to: number, step: 1 | -1) => {
    for (let j = from; step > 0 ? j < to : j > to; j += step) if (ok(j)) return true;
    return false;
  };

  let picked: number[] = [];
  let hasNextPage = false;
  let hasPreviousPage = false;
  if (typeof args.first === "number") {
    for (let j = start; j < end && picked.length <= args.first; j++) if (ok(j)) picked.push(j);
    hasNextPage = picked.length > args.first;
    picked = picked.slice(0, args.first);
    hasPreviousPage = anyMatch(start - 1, -1, -1);
    if (typeof args.last === "number" && picked.length > args.last) {
      picked = picked.slice(picked.length - args.last);
      hasPreviousPage = true;
    }
  } else if (typeof args.last === "number") {
    for (let j = end - 1; j >= start && picked.length <= args.last; j--) if (ok(j)) picked.push(j);
    hasPreviousPage = picked.length > args.last;
    picked = picked.slice(0, args.last).reverse();
    hasNextPage = anyMatch(end, n, 1);
  }

  const edges = picked.map((j) => new Edge(index.records[at(j)], index.keys[at(j)]));
  return { edges, nodes: edges.map((e) => e.node), pageInfo: new PageInfo(edges, hasNextPage, hasPreviousPage) };
}

class PageInfo<T> {
  constructor(
    private readonly edges: readonly Edge<T>[],
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
  ) {}
  get startCursor(): string | null {
    return this.edges[0]?.cursor ?? null;
  }
  get endCursor(): string | null {
    return this.edges[this.edges.length - 1]?.cursor ?? null;
  }
}

/** Encodes its cursor only if asked: most queries select `nodes` and `pageInfo` alone. */
class Edge<T> {
  constructor(
    readonly node: T,
    private readonly key: SortKey,
  ) {}
  get cursor(): string {
    return encodeCursor(this.key);
  }
}
