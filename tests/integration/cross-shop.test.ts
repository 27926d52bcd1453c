import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SHOP } from "../emulator/index";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA } from "../support/wait";

/**
 * Another shop's ids are not found: every admin loader and action that takes ids answers 404
 * when shop B sends shop A's ids (or ids that do not exist), and a bulk action with one foreign
 * id among its own answers 404 and changes nothing, not even B's own rows.
 */

const A = DEFAULT_SHOP;
const B = "second-desk.myshopify.com";
let stack: Stack;

const auth = (shop: string) => ({ Authorization: `Bearer ${stack.emulator.sessionToken(shop)}`, "User-Agent": BROWSER_UA });
const post = (shop: string, path: string, fields: Record<string, string>) =>
  fetch(`${stack.app.url}${path}`, { method: "POST", redirect: "manual", headers: { ...auth(shop), "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) });
const get = (shop: string, path: string) => fetch(`${stack.app.url}${path}`, { redirect: "manual", headers: auth(shop) });

/** Every row of a shop in the tables admin actions change. */
function rowsOf(shop: string) {
  const tables = ["Ticket", "TicketMessage", "TicketTag", "FaqArticle", "FaqTranslation", "FaqCategory", "FaqState", "CannedReply", "CannedReplyVariant", "Job"];
  const sorted = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();
  return Object.fromEntries(tables.map((t) => [t, sorted(stack.query(`SELECT * FROM "${t}" WHERE shop = ?`, shop))]));
}

interface Ids {
  ticket: string;
  article: number;
  category: number;
  canned: string;
  job: string;
}
const ids: Record<string, Ids> = {};

async function seed(shop: string): Promise<Ids> {
  expect((await get(shop, "/app")).status).toBe(200);
  const ticket = await post(shop, "/app/inbox/new", { subject: `Parcel for ${shop}`, body: "Where is it?", customerEmail: "shopper@example.com" });
  expect(ticket.status).toBe(302);
  const article = await post(shop, "/app/faq/new", { published: "on", question_en: `Shipping at ${shop}?`, answer_en: "Two days." });
  expect(article.status).toBe(302);
  expect((await post(shop, "/app/faq?index", { intent: "save_category", id: "", title_en: "Shipping", handle: "shipping" })).status).toBe(200);
  expect((await post(shop, "/app/canned-replies", { intent: "create", title: "Thanks", body_en: "Thank you!" })).status).toBe(200);
  const [job] = stack.query<{ id: string }>(`SELECT id FROM "Job" WHERE shop = ? ORDER BY createdAt LIMIT 1`, shop);
  return {
    ticket: /\/app\/inbox\/([^/?]+)/.exec(ticket.headers.get("location") ?? "")![1],
    article: Number(/\/app\/faq\/(\d+)/.exec(article.headers.get("location") ?? "")![1]),
    category: stack.query<{ id: number }>(`SELECT id FROM "FaqCategory" WHERE shop = ?`, shop)[0].id,
    canned: stack.query<{ id: string }>(`SELECT id FROM "CannedReply" WHERE shop = ?`, shop)[0].id,
    job: job.id,
  };
}

beforeAll(async () => {
  // No worker: nothing but these requests changes the rows compared.
  stack = await startStack({ shops: [A, B], appEnv: { JOB_WORKER: "off" } });
  ids[A] = await seed(A);
  ids[B] = await seed(B);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe("shop B with shop A's ids", () => {
  const actions = (): [string, string, Record<string, string>][] => {
    const a = ids[A];
    const b = ids[B];
    return [
      ["bulk solve", "/app/inbox?index", { intent: "solve", ids: a.ticket }],
      ["bulk solve, one foreign id among B's", "/app/inbox?index", { intent: "solve", ids: `${b.ticket},${a.ticket}` }],
      ["bulk assign to me", "/app/inbox?index", { intent: "assign_me", ids: `${b.ticket},${a.ticket}` }],
      ["bulk tag", "/app/inbox?index", { intent: "tag", tag: "vip", ids: `${b.ticket},${a.ticket}` }],
      ["bulk unknown id", "/app/inbox?index", { intent: "solve", ids: `${b.ticket},no-such-ticket` }],
      ["ticket reply", `/app/inbox/${a.ticket}`, { intent: "reply", body: "Hello from B" }],
      ["ticket note", `/app/inbox/${a.ticket}`, { intent: "note", body: "B's note" }],
      ["ticket status", `/app/inbox/${a.ticket}`, { intent: "status", status: "solved" }],
      ["ticket priority", `/app/inbox/${a.ticket}`, { intent: "priority", priority: "urgent" }],
      ["ticket assign", `/app/inbox/${a.ticket}`, { intent: "assign", assignee: "none" }],
      ["ticket tags", `/app/inbox/${a.ticket}`, { intent: "tags", tags: "stolen" }],
      ["FAQ bulk publish", "/app/faq?index", { intent: "publish", ids: String(a.article) }],
      ["FAQ bulk unpublish", "/app/faq?index", { intent: "unpublish", ids: String(a.article) }],
      ["FAQ bulk unpublish, one foreign id among B's", "/app/faq?index", { intent: "unpublish", ids: `${b.article},${a.article}` }],
      ["FAQ bulk unpublish, an unknown id", "/app/faq?index", { intent: "unpublish", ids: `${b.article},2147483647` }],
      ["FAQ move", "/app/faq?index", { intent: "move", id: String(a.article), direction: "up" }],
      ["FAQ delete article", "/app/faq?index", { intent: "delete_article", id: String(a.article) }],
      ["FAQ save category", "/app/faq?index", { intent: "save_category", id: String(a.category), title_en: "Taken", handle: "taken" }],
      ["FAQ delete category", "/app/faq?index", { intent: "delete_category", id: String(a.category) }],
      ["FAQ article save", `/app/faq/${a.article}`, { question_en: "Taken?", answer_en: "Yes.", published: "on" }],
      ["FAQ article delete", `/app/faq/${a.article}`, { intent: "delete" }],
      ["canned reply update", "/app/canned-replies", { intent: "update", id: a.canned, title: "Taken", body_en: "Taken" }],
      ["canned reply update, invalid too", "/app/canned-replies", { intent: "update", id: a.canned, title: "", body_en: "{{nope}}" }],
      ["canned reply delete", "/app/canned-replies", { intent: "delete", id: a.canned }],
      ["health retry", "/app/health", { intent: "retry", jobId: a.job }],
    ];
  };

  it("every id-taking action answers 404 and changes neither shop's rows", async () => {
    const answers: Record<string, number> = {};
    for (const [name, path, fields] of actions()) {
      const before = { a: rowsOf(A), b: rowsOf(B) };
      const response = await post(B, path, fields);
      await response.arrayBuffer();
      answers[name] = response.status;
      expect({ a: rowsOf(A), b: rowsOf(B) }, `${name} changed rows`).toEqual(before);
    }
    expect(answers).toEqual(Object.fromEntries(actions().map(([name]) => [name, 404])));
  });

  it("every id-taking page answers 404", async () => {
    const a = ids[A];
    for (const path of [`/app/inbox/${a.ticket}`, `/app/faq/${a.article}`, `/app/faq/2147483648`, `/app/privacy/nope/export`, `/app/customers/nope`, `/app/outbox/nope`]) {
      const response = await get(B, path);
      await response.arrayBuffer();
      expect(response.status, path).toBe(404);
    }
  });

  it("the same actions work on the shop's own ids", async () => {
    const b = ids[B];
    expect((await post(B, "/app/faq?index", { intent: "unpublish", ids: String(b.article) })).status).toBe(200);
    expect(stack.query(`SELECT published FROM "FaqArticle" WHERE id = ?`, b.article)).toEqual([{ published: 0 }]);
    expect((await post(B, "/app/inbox?index", { intent: "solve", ids: b.ticket })).status).toBe(200);
    expect(stack.query(`SELECT status FROM "Ticket" WHERE id = ?`, b.ticket)).toEqual([{ status: "solved" }]);
  });
});
