/**
 * The inbox list loader with 100,000 tickets in one shop on SQLite (`inbox`) or 1,000,000 on
 * PostgreSQL (`inbox-postgres`), each with the shopper's first message: the built app answering
 * the inbox's data requests (views, a filter, a search, a later page) through Shopify's real
 * authenticate.admin path, timed against the same requests for a shop with 100 tickets, in
 * the same run. A search case types words of the six languages in other case and without
 * their accents ("beden" for "Beden", "sifre" for "Şifre") and reports what each finds; hard
 * searches (matches everywhere, only in old tickets, common trigrams) are paged forward and back.
 */
import crypto from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import { searchTextOf } from "../../app/utils/search-text";
import { createStore } from "../emulator/store/index";
import type { TestDatabase } from "../support/database";
import { startStack } from "../support/stack";
import { BROWSER_UA, waitFor } from "../support/wait";
import { fmt, summarize } from "./stats";

const BIG = "bench-inbox.myshopify.com";
const SMALL = "bench-inbox-small.myshopify.com";
const STATUSES = ["open", "open", "pending", "solved", "closed"];
const CHANNELS = ["storefront", "email", "delay_notice", "staff"];
const TAGS = ["", "", "shipping", "returns", "shipping,vip", "sizing"];
const TAG_NAMES = [...new Set(TAGS.flatMap((t) => t.split(",")).filter(Boolean))];
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

/** Searches whose matches are everywhere, only in old tickets, or share every ticket's trigrams. */
const HARD_SEARCHES = ["question", "question 12", "shopper123", "order #1012"];

const TICKET_COLUMNS = [
  "id",
  "shop",
  "number",
  "subject",
  "status",
  "channel",
  "assigneeId",
  "assigneeName",
  "tags",
  "customerEmail",
  "customerName",
  "replyToken",
  "createdAt",
  "updatedAt",
  "lastMessageAt",
  "unread",
  "firstResponseAt",
  "slaDueAt",
  "searchText",
] as const;
const MESSAGE_COLUMNS = ["id", "shop", "ticketId", "kind", "authorName", "authorEmail", "body", "createdAt"] as const;
/** PostgreSQL's type of each column, for the arrays a batch is sent as. */
const PG_TYPES: Record<string, string> = { number: "int", createdAt: "timestamp", updatedAt: "timestamp", lastMessageAt: "timestamp", firstResponseAt: "timestamp", slaDueAt: "timestamp", unread: "boolean" };

/** Ticket n of a shop and the shopper's message that opened it, as rows of the columns above. */
function ticketRows(shop: string, n: number, start: number): { ticket: unknown[]; message: unknown[] } {
  const at = new Date(start + n * 60_000).toISOString();
  const status = STATUSES[n % STATUSES.length];
  const assigned = n % 3 === 0;
  const subject = subjectFor(n);
  const email = `shopper${n % 20000}@example.com`;
  const name = `Shopper ${n % 20000}`;
  const id = crypto.randomUUID();
  const ticket = [
    id,
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
    n % 7 === 0,
    status === "open" && n % 2 === 0 ? null : at,
    new Date(start + n * 60_000 + 86_400_000).toISOString(),
    // What the app writes with every ticket (app/models/ticket.server.ts ticketSearchText).
    searchTextOf([subject, name, email, null]),
  ];
  const body = `Hello, ${subject.toLowerCase()}. I ordered two weeks ago and have not heard anything since. Thanks, ${name}`;
  return { ticket, message: [crypto.randomUUID(), shop, id, "customer", name, email, body, at] };
}

/** Fills one shop's inbox with `count` tickets (each with its first message) on SQLite. */
export function fill(dbFile: string, shop: string, count: number) {
  const db = new Database(dbFile);
  db.pragma("journal_mode = WAL");
  const insertTicket = db.prepare(`INSERT INTO "Ticket" (${TICKET_COLUMNS.map((c) => `"${c}"`)}, priority) VALUES (${TICKET_COLUMNS.map(() => "?")}, 'normal')`);
  const insertMessage = db.prepare(`INSERT INTO "TicketMessage" (${MESSAGE_COLUMNS.map((c) => `"${c}"`)}) VALUES (${MESSAGE_COLUMNS.map(() => "?")})`);
  const start = Date.now() - count * 60_000;
  const sqliteValue = (v: unknown) => (typeof v === "boolean" ? Number(v) : v);
  db.transaction(() => {
    for (let n = 1; n <= count; n++) {
      const { ticket, message } = ticketRows(shop, n, start);
      insertTicket.run(...ticket.map(sqliteValue));
      insertMessage.run(...message);
    }
  })();
  const tag = db.prepare(`INSERT OR IGNORE INTO "TicketTag" (shop, name) VALUES (?, ?)`);
  for (const name of TAG_NAMES) tag.run(shop, name);
  db.close();
}

/**
 * The same on PostgreSQL, shops at once: batches of 5,000 rows as one array per column
 * (`INSERT … SELECT FROM unnest(…)`). The two tables' indexes are dropped for the fill and built
 * again after it (a million rows through a trigram index one by one would take the bench's time),
 * then the tables analysed, as a database restored from a dump would be.
 */
export async function fillPostgres(url: string, shops: { shop: string; count: number }[]) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: indexes } = await client.query<{ name: string; definition: string }>(
      `SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE tablename IN ('Ticket', 'TicketMessage') AND indexname NOT LIKE '%_pkey'`,
    );
    for (const index of indexes) await client.query(`DROP INDEX "${index.name}"`);
    const insert = (table: string, columns: readonly string[], rows: unknown[][]) =>
      client.query(
        `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`)}${table === "Ticket" ? `, "priority"` : ""})
         SELECT *${table === "Ticket" ? `, 'normal'` : ""} FROM unnest(${columns.map((c, i) => `$${i + 1}::${PG_TYPES[c] ?? "text"}[]`)})`,
        columns.map((_, i) => rows.map((row) => row[i])),
      );
    for (const { shop, count } of shops) {
      const start = Date.now() - count * 60_000;
      for (let from = 1; from <= count; from += 5_000) {
        const tickets: unknown[][] = [];
        const messages: unknown[][] = [];
        for (let n = from; n < Math.min(from + 5_000, count + 1); n++) {
          const rows = ticketRows(shop, n, start);
          tickets.push(rows.ticket);
          messages.push(rows.message);
        }
        await insert("Ticket", TICKET_COLUMNS, tickets);
        await insert("TicketMessage", MESSAGE_COLUMNS, messages);
      }
      for (const name of TAG_NAMES) {
        await client.query(`INSERT INTO "TicketTag" ("shop", "name") VALUES ($1, $2) ON CONFLICT DO NOTHING`, [shop, name]);
      }
    }
    await client.query("SET maintenance_work_mem = '256MB'");
    for (const index of indexes) await client.query(index.definition);
    await client.query(`ANALYZE "Ticket", "TicketMessage"`);
  } finally {
    await client.end();
  }
}

export async function benchInbox(opts: { tickets: number; rounds: number; postgres?: boolean }) {
  let database: TestDatabase | undefined;
  if (opts.postgres) {
    const { BENCH_POSTGRES_URL, benchPostgresDatabase } = await import("./postgres");
    if (!BENCH_POSTGRES_URL) return { report: () => "inbox-postgres: skipped (set BENCH_POSTGRES_URL to a PostgreSQL server)" };
    database = await benchPostgresDatabase("inbox");
  }
  const store = createStore({ shops: [BIG, SMALL], customersPerShop: 2, ordersPerShop: 2 });
  const stack = await startStack({ shops: [BIG, SMALL], store, database, appEnv: { LOG_REQUESTS: "0" } });
  try {
    const filling = performance.now();
    if (stack.database.engine === "postgresql") {
      await fillPostgres(stack.databaseUrl, [
        { shop: BIG, count: opts.tickets },
        { shop: SMALL, count: 100 },
      ]);
    } else {
      fill(stack.databaseUrl.replace(/^file:/, ""), BIG, opts.tickets);
      fill(stack.databaseUrl.replace(/^file:/, ""), SMALL, 100);
    }
    const fillSeconds = (performance.now() - filling) / 1000;
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
    // Searches the planner finds hard at scale, each page forward and back: a word in every ticket,
    // one only the oldest tickets hold ("question 12": tickets 12, 120–129, … 120,000–129,999), a
    // part of an address whose trigrams every ticket has, an order name.
    const pageTimes: number[] = [];
    const perSearch: Record<string, number[]> = {};
    for (let round = 0; round < opts.rounds; round++) {
      for (const search of HARD_SEARCHES) {
        const q = `view=all&q=${encodeURIComponent(search)}`;
        const first = await request(BIG, q);
        const firstIds = (JSON.parse(first.body) as { tickets: { id: string }[] }).tickets.map((t) => t.id);
        const next = await request(BIG, `${q}&after=${firstIds.at(-1)}`);
        const nextIds = (JSON.parse(next.body) as { tickets: { id: string }[] }).tickets.map((t) => t.id);
        const back = await request(BIG, `${q}&before=${nextIds[0]}`);
        const backIds = (JSON.parse(back.body) as { tickets: { id: string }[] }).tickets.map((t) => t.id);
        if (JSON.stringify(backIds) !== JSON.stringify(firstIds)) throw new Error(`"${search}": the page back is not the first page`);
        for (const { ms } of [first, next, back]) {
          pageTimes.push(ms);
          (perSearch[search] ??= []).push(ms);
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
          `inbox list loader on ${stack.database.engine === "postgresql" ? "PostgreSQL" : "SQLite"} (${opts.tickets.toLocaleString("en")} tickets, each with a message, filled in ${fillSeconds.toFixed(0)} s; ${queries.length} kinds of request × ${opts.rounds} rounds: views, filters, search, sort, next page; authenticate.admin included)`,
          `  ${opts.tickets.toLocaleString("en")} tickets: p50 ${fmt(big.p50)}, p95 ${fmt(big.p95)}, p99 ${fmt(big.p99)} (target p95 ≤ 50 ms)`,
          `  100 tickets (baseline, same run): p50 ${fmt(small.p50)}, p95 ${fmt(small.p95)}; ratio p95 ${(big.p95 / small.p95).toFixed(2)}×`,
          `  p95 by request: ${Object.entries(perQuery)
            .map(([q, ms]) => `${q.startsWith("after=") ? "next page" : q} ${summarize(ms).p95.toFixed(0)}`)
            .join(", ")} (ms)`,
          `  search (${SEARCHES.length} queries × open and all views × ${opts.rounds} rounds): p50 ${fmt(bigSearch.p50)}, p95 ${fmt(bigSearch.p95)}, p99 ${fmt(bigSearch.p99)}; ` +
            `100 tickets: p95 ${fmt(smallSearch.p95)}; ratio p95 ${(bigSearch.p95 / smallSearch.p95).toFixed(2)}×`,
          `  hard searches, first page, next and back (${HARD_SEARCHES.length} × 3 × ${opts.rounds} rounds): p50 ${fmt(summarize(pageTimes).p50)}, p95 ${fmt(summarize(pageTimes).p95)}, max ${fmt(Math.max(...pageTimes))}; ` +
            `p95 by search: ${Object.entries(perSearch)
              .map(([q, ms]) => `"${q}" ${summarize(ms).p95.toFixed(0)}`)
              .join(", ")} (ms)`,
          `  found in all tickets (first page, at most 50): ${Object.entries(found)
            .map(([q, n]) => `${q} ${n}`)
            .join(", ")}`,
        ].join("\n"),
    };
  } finally {
    await stack.stop();
  }
}
