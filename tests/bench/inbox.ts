/**
 * The inbox list loader with 100,000 tickets in one shop: the built app answering the inbox's
 * data requests (views, a filter, a search, a later page) through Shopify's real
 * authenticate.admin path, timed against the same requests for a shop with 100 tickets, in
 * the same run. A search case types words of the six languages in other case and without
 * their accents ("beden" for "Beden", "sifre" for "Şifre") and reports what each finds.
 */
import crypto from "node:crypto";
import Database from "better-sqlite3";
import { searchTextOf } from "../../app/utils/search-text";
import { createStore } from "../emulator/store/index";
import { startStack } from "../support/stack";
import { BROWSER_UA, waitFor } from "../support/wait";
import { fmt, summarize } from "./stats";

const BIG = "bench-inbox.myshopify.com";
const SMALL = "bench-inbox-small.myshopify.com";
const STATUSES = ["open", "open", "pending", "solved", "closed"];
const CHANNELS = ["storefront", "email", "delay_notice", "staff"];
const TAGS = ["", "", "shipping", "returns", "shipping,vip", "sizing"];
/** Shoppers' subjects in the six languages, each on every nth ticket (14 "Beden" tickets in 100,000). */
const RARE_SUBJECTS: [number, string][] = [
  [7_000, "Beden değişimi istiyorum"],
  [9_000, "Şifre sıfırlama bağlantısı gelmedi"],
  [11_000, "Ștefan: comanda nu a sosit"],
  [13_000, "பணம் திரும்ப வேண்டும்"],
  [8_000, "Tellimus pole kohale jõudnud"],
  [6_000, "Agizo langu halijafika"],
];
const subjectFor = (n: number) => RARE_SUBJECTS.find(([every]) => n % every === 0)?.[1] ?? `Question ${n} about order #${1000 + (n % 5000)}`;
/** Searches as staff type them: other case, no accents, Tamil as written, nothing found. */
const SEARCHES = ["q=Beden", "q=beden", "q=BEDEN", "q=sifre", "q=%C5%9Fifre", "q=stefan", "q=joudnud", "q=HALIJAFIKA", `q=${encodeURIComponent("திரும்ப")}`, "q=nothing-like-this"];

export function fill(dbFile: string, shop: string, count: number) {
  const db = new Database(dbFile);
  db.pragma("journal_mode = WAL");
  const insert = db.prepare(
    `INSERT INTO "Ticket" (id, shop, number, subject, status, priority, channel, assigneeId, assigneeName, tags, customerEmail, customerName, replyToken, createdAt, updatedAt, lastMessageAt, unread, firstResponseAt, slaDueAt, searchText)
     VALUES (?, ?, ?, ?, ?, 'normal', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const start = Date.now() - count * 60_000;
  db.transaction(() => {
    for (let n = 1; n <= count; n++) {
      const at = new Date(start + n * 60_000).toISOString();
      const status = STATUSES[n % STATUSES.length];
      const assigned = n % 3 === 0;
      const subject = subjectFor(n);
      const email = `shopper${n % 20000}@example.com`;
      const name = `Shopper ${n % 20000}`;
      insert.run(
        crypto.randomUUID(),
        shop,
        n,
        subject,
        status,
        CHANNELS[n % CHANNELS.length],
        assigned ? "70001" : null,
        assigned ? "Alex Moreau" : null,
        TAGS[n % TAGS.length],
        email,
        name,
        crypto.randomBytes(9).toString("base64url"),
        at,
        at,
        at,
        n % 7 === 0 ? 1 : 0,
        status === "open" && n % 2 === 0 ? null : at,
        new Date(start + n * 60_000 + 86_400_000).toISOString(),
        // What the app writes with every ticket (app/models/ticket.server.ts ticketSearchText).
        searchTextOf([subject, name, email, null]),
      );
    }
  })();
  const tag = db.prepare(`INSERT OR IGNORE INTO "TicketTag" (shop, name) VALUES (?, ?)`);
  for (const name of new Set(TAGS.flatMap((t) => t.split(",")).filter(Boolean))) tag.run(shop, name);
  db.close();
}

export async function benchInbox(opts: { tickets: number; rounds: number }) {
  const store = createStore({ shops: [BIG, SMALL], customersPerShop: 2, ordersPerShop: 2 });
  const stack = await startStack({ shops: [BIG, SMALL], store, appEnv: { LOG_REQUESTS: "0" } });
  try {
    fill(stack.databaseUrl.replace(/^file:/, ""), BIG, opts.tickets);
    fill(stack.databaseUrl.replace(/^file:/, ""), SMALL, 100);
    const request = async (shop: string, query: string) => {
      const started = performance.now();
      const response = await fetch(`${stack.app.url}/app/inbox?${query}${query ? "&" : ""}_data=routes%2Fapp.inbox._index`, {
        headers: { Authorization: `Bearer ${stack.emulator.sessionToken(shop)}`, "User-Agent": BROWSER_UA },
      });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`inbox answered ${response.status}: ${body.slice(0, 200)}`);
      return { ms: performance.now() - started, body };
    };
    // Install both shops (token exchange, first sync) and let the sync finish before measuring.
    for (const shop of [BIG, SMALL]) await request(shop, "");
    await waitFor(
      () => stack.query<{ shop: string }>(`SELECT DISTINCT shop FROM "SyncRun" WHERE kind = 'bulk' AND status = 'succeeded'`),
      (rows) => rows.length === 2,
      120_000,
      "the first sync of both shops",
    );

    const first = JSON.parse((await request(BIG, "")).body) as { tickets: { id: string }[] };
    const cursor = first.tickets[first.tickets.length - 1].id;
    const queries = ["", "view=mine", "view=unassigned", "view=overdue", "view=solved", "channel=email", "tag=shipping", "q=shopper123", "sort=due", `after=${cursor}`];
    const times: Record<string, number[]> = { [BIG]: [], [SMALL]: [] };
    const perQuery: Record<string, number[]> = {};
    for (let round = 0; round < opts.rounds; round++) {
      for (const query of queries) {
        for (const shop of [BIG, SMALL]) {
          const { ms } = await request(shop, query);
          times[shop].push(ms);
          if (shop === BIG) (perQuery[query || "open"] ??= []).push(ms);
        }
      }
    }
    // Search: the open view (the default) and all tickets, each query's count of tickets found kept.
    const searchTimes: Record<string, number[]> = { [BIG]: [], [SMALL]: [] };
    const found: Record<string, number> = {};
    for (let round = 0; round < opts.rounds; round++) {
      for (const search of SEARCHES) {
        for (const view of ["", "view=all&"]) {
          for (const shop of [BIG, SMALL]) {
            const { ms, body } = await request(shop, `${view}${search}`);
            searchTimes[shop].push(ms);
            if (shop === BIG && view) found[decodeURIComponent(search.slice(2))] = (JSON.parse(body) as { tickets: unknown[] }).tickets.length;
          }
        }
      }
    }
    const big = summarize(times[BIG]);
    const small = summarize(times[SMALL]);
    const bigSearch = summarize(searchTimes[BIG]);
    const smallSearch = summarize(searchTimes[SMALL]);
    return {
      report: () =>
        [
          `inbox list loader (${opts.tickets.toLocaleString("en")} tickets; ${queries.length} kinds of request × ${opts.rounds} rounds: views, filters, search, sort, next page; authenticate.admin included)`,
          `  ${opts.tickets.toLocaleString("en")} tickets: p50 ${fmt(big.p50)}, p95 ${fmt(big.p95)}, p99 ${fmt(big.p99)} (target p95 ≤ 50 ms)`,
          `  100 tickets (baseline, same run): p50 ${fmt(small.p50)}, p95 ${fmt(small.p95)}; ratio p95 ${(big.p95 / small.p95).toFixed(2)}×`,
          `  p95 by request: ${Object.entries(perQuery)
            .map(([q, ms]) => `${q.startsWith("after=") ? "next page" : q} ${summarize(ms).p95.toFixed(0)}`)
            .join(", ")} (ms)`,
          `  search (${SEARCHES.length} queries × open and all views × ${opts.rounds} rounds): p50 ${fmt(bigSearch.p50)}, p95 ${fmt(bigSearch.p95)}, p99 ${fmt(bigSearch.p99)}; ` +
            `100 tickets: p95 ${fmt(smallSearch.p95)}; ratio p95 ${(bigSearch.p95 / smallSearch.p95).toFixed(2)}×`,
          `  found in all tickets (first page, at most 50): ${Object.entries(found)
            .map(([q, n]) => `${q} ${n}`)
            .join(", ")}`,
        ].join("\n"),
    };
  } finally {
    await stack.stop();
  }
}
