/**
 * FAQ search in memory: a shop's published articles in one language, tokenized once into a
 * sorted vocabulary with postings, so a query is a few binary searches, not a scan. Folding
 * makes "kargo", "KARGO" and "kârgo" the same word, and the dotless ı of Turkish an i, while
 * Tamil's vowel signs (combining marks too) are kept.
 */

export interface SearchDocument {
  id: number;
  question: string;
  answerText: string;
  category: string | null;
}

export interface SearchHit {
  id: number;
  question: string;
  snippet: string;
  category: string | null;
  score: number;
}

const LATIN_DIACRITICS = /[\u0300-\u036f]/g;

const ASCII = /^[\x00-\x7f]*$/;

export function foldText(text: string): string {
  // Most FAQ text in Latin languages is plain ASCII: skip the Unicode normalization then.
  if (ASCII.test(text)) return text.toLowerCase();
  return text.toLowerCase().replace(/ı/g, "i").normalize("NFD").replace(LATIN_DIACRITICS, "").normalize("NFC");
}

export function tokenize(text: string): string[] {
  return foldText(text)
    .split(/[^\p{L}\p{N}\p{M}]+/u)
    .filter((t) => t.length > 0);
}

/** The query as it is counted in "what shoppers look for": folded words, single-spaced. */
export function normalizeQuery(query: string): string {
  return tokenize(query).join(" ").slice(0, 200);
}

const QUESTION_WEIGHT = 3;
const CATEGORY_WEIGHT = 1.5;
const ANSWER_WEIGHT = 1;
/** A prefix or stem stands for at most this many words. */
const MAX_EXPANSIONS = 200;

interface Postings {
  docs: Int32Array;
  weights: Float32Array;
}

export class FaqIndex {
  private readonly vocabulary: string[];
  private readonly postings = new Map<string, Postings>();
  private readonly foldedAnswers: string[];

  constructor(private readonly docs: SearchDocument[]) {
    const building = new Map<string, Map<number, number>>();
    const add = (doc: number, text: string, weight: number) => {
      for (const token of new Set(tokenize(text))) {
        let list = building.get(token);
        if (!list) building.set(token, (list = new Map()));
        const had = list.get(doc);
        if (had === undefined || had < weight) list.set(doc, weight);
      }
    };
    docs.forEach((doc, i) => {
      add(i, doc.question, QUESTION_WEIGHT);
      if (doc.category) add(i, doc.category, CATEGORY_WEIGHT);
      add(i, doc.answerText, ANSWER_WEIGHT);
    });
    // Frozen into typed arrays: a query walks them without hashing.
    for (const [token, list] of building) {
      const ids = new Int32Array(list.size);
      const weights = new Float32Array(list.size);
      let k = 0;
      for (const [doc, weight] of list) {
        ids[k] = doc;
        weights[k++] = weight;
      }
      this.postings.set(token, { docs: ids, weights });
    }
    this.vocabulary = [...this.postings.keys()].sort();
    this.foldedAnswers = docs.map((d) => foldText(d.answerText));
  }

  get size() {
    return this.docs.length;
  }

  /** Vocabulary words beginning with a prefix (binary search on the sorted vocabulary). */
  private withPrefix(prefix: string, into: Set<string>) {
    let lo = 0;
    let hi = this.vocabulary.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.vocabulary[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.vocabulary.length && this.vocabulary[i].startsWith(prefix) && into.size < MAX_EXPANSIONS; i++) into.add(this.vocabulary[i]);
  }

  /**
   * Vocabulary words a query word stands for: words it begins (the shopper is still typing),
   * words sharing its stem ("deliveries" → "delivery"), and shorter whole words that begin it
   * ("shipping" → "ship").
   */
  private expand(word: string): Set<string> {
    const found = new Set<string>();
    if (this.postings.has(word)) found.add(word);
    this.withPrefix(word, found);
    if (word.length >= 6) this.withPrefix(word.slice(0, Math.max(4, word.length - 3)), found);
    for (let len = word.length - 1; len >= 4; len--) if (this.postings.has(word.slice(0, len))) found.add(word.slice(0, len));
    return found;
  }

  search(query: string, limit = 8): SearchHit[] {
    const words = [...new Set(tokenize(query))].slice(0, 12);
    const n = this.docs.length;
    if (words.length === 0 || n === 0) return [];
    const scores = new Float64Array(n);
    const matched = new Uint8Array(n);
    const best = new Float64Array(n);
    const touched: number[] = [];
    for (const word of words) {
      // One-letter words match only whole words; they are too common as prefixes.
      const terms = word.length === 1 ? (this.postings.has(word) ? [word] : []) : this.expand(word);
      touched.length = 0;
      for (const term of terms) {
        const list = this.postings.get(term)!;
        // Rarer words count more; an exact word more than a completed prefix or a stem.
        const weight = Math.log(1 + n / list.docs.length) * (term === word ? 1 : 0.8);
        for (let k = 0; k < list.docs.length; k++) {
          const doc = list.docs[k];
          const score = list.weights[k] * weight;
          if (best[doc] === 0) touched.push(doc);
          if (score > best[doc]) best[doc] = score;
        }
      }
      for (const doc of touched) {
        scores[doc] += best[doc];
        matched[doc] += 1;
        best[doc] = 0;
      }
    }
    // At least half of the words must be found, so "when will my order arrive" does not list every "order".
    const needed = Math.ceil(words.length / 2);
    // The best `limit` documents, kept sorted as they are found (no sort of every candidate).
    const top: { doc: number; score: number }[] = [];
    for (let doc = 0; doc < n; doc++) {
      if (matched[doc] < needed) continue;
      const score = scores[doc] * (matched[doc] / words.length);
      if (top.length === limit && score <= top[top.length - 1].score) continue;
      let at = top.length;
      while (at > 0 && top[at - 1].score < score) at--;
      top.splice(at, 0, { doc, score });
      if (top.length > limit) top.pop();
    }
    return top.map(({ doc, score }) => {
      const d = this.docs[doc];
      return { id: d.id, question: d.question, category: d.category, snippet: snippet(d.answerText, this.foldedAnswers[doc], words), score: Math.round(score * 1000) / 1000 };
    });
  }
}

const SNIPPET_LENGTH = 160;

/** A window of the answer around the first query word it contains, cut at word boundaries. */
function snippet(text: string, folded: string, words: string[]): string {
  if (text.length <= SNIPPET_LENGTH) return text;
  // Folding can change lengths (rarely); then the start of the answer is as good a window as any.
  const positions = folded.length === text.length ? words.map((w) => folded.indexOf(w)).filter((i) => i >= 0) : [];
  const at = positions.length > 0 ? Math.min(...positions) : 0;
  let start = Math.max(0, at - 40);
  if (start > 0) {
    const space = text.indexOf(" ", start);
    start = space >= 0 && space < at ? space + 1 : start;
  }
  let end = Math.min(text.length, start + SNIPPET_LENGTH);
  if (end < text.length) {
    const space = text.lastIndexOf(" ", end);
    end = space > start + 40 ? space : end;
  }
  return `${start > 0 ? "…" : ""}${text.slice(start, end).trim()}${end < text.length ? "…" : ""}`;
}
