/**
 * FAQ search through the App Proxy route with 5,000 published articles in one shop: signed
 * storefront requests (as Shopify's proxy sends them) to the built app, timed against the same
 * requests for a shop with 50 articles, in the same run. Also: the first search after an edit
 * (the index is rebuilt) and the storefront weight of the help button.
 */
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import Database from "better-sqlite3";
import { createStore } from "../emulator/store/index";
import { startStack } from "../support/stack";
import { BROWSER_UA } from "../support/wait";
import { fmt, summarize } from "./stats";

const BIG = "bench-faq.myshopify.com";
const SMALL = "bench-faq-small.myshopify.com";

const TOPICS = ["shipping", "delivery", "return", "refund", "exchange", "size", "colour", "payment", "invoice", "discount", "gift", "warranty", "repair", "customs", "tracking", "parcel", "address", "account", "password", "subscription"];
const WORDS = ["order", "days", "within", "free", "express", "standard", "europe", "label", "package", "courier", "store", "pickup", "damaged", "missing", "late", "change", "cancel", "card", "paypal", "voucher", "code", "fabric", "cotton", "wash", "care", "guide", "fit", "stock", "restock", "preorder"];

function words(seed: number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = (seed * 7919 + i * 104729) % 100_003;
    // Some invented words, so the vocabulary is large like a real FAQ's.
    out.push(k % 5 === 0 ? `${WORDS[k % WORDS.length]}${k % 97}` : WORDS[k % WORDS.length]);
  }
  return out.join(" ");
}

export function fillFaq(dbFile: string, shop: string, count: number) {
  const db = new Database(dbFile);
  db.pragma("journal_mode = WAL");
  const now = new Date().toISOString();
  const article = db.prepare(`INSERT INTO "FaqArticle" (shop, categoryId, position, published, views, createdAt, updatedAt) VALUES (?, NULL, ?, 1, 0, ?, ?)`);
  const translation = db.prepare(`INSERT INTO "FaqTranslation" (shop, articleId, locale, question, answer, answerHtml, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  db.transaction(() => {
    for (let n = 1; n <= count; n++) {
      const id = Number(article.run(shop, n, now, now).lastInsertRowid);
      const topic = TOPICS[n % TOPICS.length];
      const question = `How does ${topic} work for ${words(n, 4)}?`;
      const answer = `${words(n + 1, 40)} ${topic} ${words(n + 2, 40)}`;
      translation.run(shop, id, "en", question, answer, `<p>${answer}</p>`, now);
      if (n % 2 === 0) translation.run(shop, id, "tr", `${topic} nasıl işler ${n}?`, `${answer} kargo iade`, `<p>${answer}</p>`, now);
    }
  })();
  db.prepare(`INSERT INTO "FaqState" (shop, version, publishedVersion, publishedBytes) VALUES (?, 1, 1, 0) ON CONFLICT(shop) DO UPDATE SET version = version + 1`).run(shop);
  db.close();
}

/** What a page loads before the panel opens (the launcher), and what its first opening adds (in Tamil, the largest text). */
export function storefrontWeight() {
  const assets = path.resolve("extensions/support-desk-help/assets");
  const measure = (files: string[]) => {
    const sizes = files.map((f) => {
      const raw = fs.readFileSync(path.join(assets, f));
      return { file: f, raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length };
    });
    return { sizes, totalGzip: sizes.reduce((s, f) => s + f.gzip, 0) };
  };
  return { launcher: measure(["help.js", "help.css"]), opened: measure(["panel.js", "panel.css", "chat.js", "strings-ta.js"]) };
}

const sizesText = (w: ReturnType<typeof storefrontWeight>["launcher"]) =>
  `${w.sizes.map((s) => `${s.file} ${s.raw} B raw, ${s.gzip} B gzip`).join("; ")}; total ${(w.totalGzip / 1024).toFixed(2)} KB gzip`;

export async function benchFaqSearch(opts: { articles: number; rounds: number }) {
  const store = createStore({ shops: [BIG, SMALL], customersPerShop: 2, ordersPerShop: 2 });
  const stack = await startStack({ shops: [BIG, SMALL], store, appEnv: { LOG_REQUESTS: "0" } });
  try {
    for (const shop of [BIG, SMALL]) {
      const opened = await fetch(`${stack.app.url}/app`, { headers: { Authorization: `Bearer ${stack.emulator.sessionToken(shop)}`, "User-Agent": BROWSER_UA } });
      if (opened.status !== 200) throw new Error(`opening the app for ${shop} answered ${opened.status}`);
    }
    fillFaq(stack.databaseUrl.replace(/^file:/, ""), BIG, opts.articles);
    fillFaq(stack.databaseUrl.replace(/^file:/, ""), SMALL, 50);
    let client = 0;
    const search = async (shop: string, q: string, locale = "en") => {
      const query = stack.emulator.signProxyQuery(shop, { q, locale });
      const started = performance.now();
      // Each request from another shopper, as on a busy storefront (the per-shopper limit is not measured here).
      const response = await fetch(`${stack.app.url}/proxy/faq/search?${query}`, { headers: { "X-Forwarded-For": `10.1.${(client >> 8) & 255}.${client++ & 255}` } });
      const body = (await response.json()) as { results: unknown[] };
      if (response.status !== 200) throw new Error(`search answered ${response.status}: ${JSON.stringify(body)}`);
      return { ms: performance.now() - started, hits: body.results.length };
    };
    const cold = await search(BIG, "shipping");
    await search(BIG, "shipping", "tr");
    await search(SMALL, "shipping");
    await search(SMALL, "shipping", "tr");

    const queries = ["shipping", "ship", "how does refund work", "courier damaged", "express europe", "wash care guide", "kargo", "password", "order34", "nothing like this exists", "retur", "gift voucher code"];
    const times: Record<string, number[]> = { [BIG]: [], [SMALL]: [] };
    let hits = 0;
    for (let round = 0; round < opts.rounds; round++) {
      for (const q of queries) {
        for (const shop of [BIG, SMALL]) {
          const r = await search(shop, q, q === "kargo" ? "tr" : "en");
          times[shop].push(r.ms);
          if (shop === BIG) hits += r.hits;
        }
      }
    }
    const big = summarize(times[BIG]);
    const small = summarize(times[SMALL]);
    const weight = storefrontWeight();
    return {
      report: () =>
        [
          `FAQ search through the App Proxy route (${opts.articles.toLocaleString("en")} articles; ${queries.length} queries × ${opts.rounds} rounds; signature check, rate limit and the shop's FAQ version read included)`,
          `  ${opts.articles.toLocaleString("en")} articles: p50 ${fmt(big.p50)}, p95 ${fmt(big.p95)}, p99 ${fmt(big.p99)} (target p95 ≤ 30 ms); ${(hits / (queries.length * opts.rounds)).toFixed(1)} results a query`,
          `  50 articles (baseline, same run): p50 ${fmt(small.p50)}, p95 ${fmt(small.p95)}; ratio p95 ${(big.p95 / small.p95).toFixed(2)}×`,
          `  first search after an edit (index built from the database): ${fmt(cold.ms)}`,
          `storefront weight (every page, before the panel opens): ${sizesText(weight.launcher)} (budget 10 KB)`,
          `  on first opening, with chat (Tamil text): ${sizesText(weight.opened)}`,
        ].join("\n"),
    };
  } finally {
    await stack.stop();
  }
}
