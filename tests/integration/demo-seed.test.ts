import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SHOP } from "../emulator/index";
import { DEV_APP } from "../support/processes";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA, waitFor } from "../support/wait";
import { placeholderError } from "../../app/utils/placeholders";

/**
 * What `npm run demo` seeds, on an empty database synced from the emulator, against what the
 * README's demo section promises: six shoppers' questions (one per language) open in the Inbox,
 * three canned replies written in the shoppers' languages (the Swahili ticket gets Swahili),
 * two months of history for the dashboard in the shoppers' own languages,
 * delay notices with the emails that went out, no placeholder text; and seeding again, in any
 * order, writes nothing twice.
 */

const OTHER_SHOP = "second-demo.myshopify.com";
const LANGUAGES = ["en", "sw", "et", "ta", "ro", "tr"];
let stack: Stack;
type Seed = typeof import("../../scripts/demo-seed");
type History = typeof import("../../scripts/demo-history");
let seed: Seed;
let history: History;
let prisma: (typeof import("../../app/db.server"))["default"];

async function openAndSync(shop: string) {
  const response = await fetch(`${stack.app.url}/app`, { headers: { Authorization: `Bearer ${stack.emulator.sessionToken(shop)}`, "User-Agent": BROWSER_UA } });
  expect(response.status).toBe(200);
  await waitFor(
    () => stack.query<{ status: string }>(`SELECT status FROM "SyncRun" WHERE shop = ? AND kind = 'bulk'`, shop)[0],
    (run) => run?.status === "succeeded" || run?.status === "failed",
    60_000,
    `${shop} synced`,
  );
  expect(stack.query<{ status: string }>(`SELECT status FROM "SyncRun" WHERE shop = ? AND kind = 'bulk'`, shop)[0].status).toBe("succeeded");
}

beforeAll(async () => {
  stack = await startStack({ shops: [DEFAULT_SHOP, OTHER_SHOP] });
  await openAndSync(DEFAULT_SHOP);
  await openAndSync(OTHER_SHOP);
  // The seeding runs in this process, as the demo script runs it, on the app's database.
  Object.assign(process.env, { DATABASE_URL: stack.databaseUrl, SHOPIFY_API_KEY: DEV_APP.apiKey, SHOPIFY_API_SECRET: DEV_APP.apiSecret, SHOPIFY_APP_URL: stack.app.url });
  seed = await import("../../scripts/demo-seed");
  history = await import("../../scripts/demo-history");
  prisma = (await import("../../app/db.server")).default;
});

afterAll(async () => {
  await prisma?.$disconnect();
  await stack?.stop();
});

const TABLES = ["Ticket", "TicketMessage", "OutboundEmail", "CannedReply", "DelayNotice", "HelpVisit", "SatisfactionSurvey", "FaqArticle", "FaqSearch"];
const counts = (shop: string) => Object.fromEntries(TABLES.map((t) => [t, stack.query<{ n: number }>(`SELECT COUNT(*) AS n FROM "${t}" WHERE shop = ?`, shop)[0].n]));

describe("the demo's seeding", () => {
  it("gives an empty desk what the README promises", async () => {
    const result = await seed.seedDemoDesk(DEFAULT_SHOP);
    expect(result).toMatchObject({ faqArticles: 7, questions: 6, cannedReplies: 3 });
    expect(result.historyTickets).toBeGreaterThan(100);

    // Six shoppers, one per language, open in the Inbox with what they wrote.
    const messagesOf = async <T extends { id: string }>(tickets: T[]) => {
      const rows = await prisma.ticketMessage.findMany({ where: { shop: DEFAULT_SHOP, ticketId: { in: tickets.map((t) => t.id) } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
      return tickets.map((t) => ({ ...t, messages: rows.filter((m) => m.ticketId === t.id) }));
    };
    const open = await messagesOf(await prisma.ticket.findMany({ where: { shop: DEFAULT_SHOP, status: "open" } }));
    expect(open.map((t) => t.locale).sort()).toEqual([...LANGUAGES].sort());
    for (const ticket of open) {
      const question = seed.QUESTIONS[ticket.locale!];
      expect(ticket).toMatchObject({ subject: question.subject, channel: "storefront" });
      expect(ticket.messages.find((m) => m.kind === "customer")?.body).toBe(question.body);
      expect(ticket.orderName).toMatch(/^#\d+$/);
    }
    // Three canned replies to insert, written in the shoppers' languages, every placeholder one the desk fills.
    const canned = await prisma.cannedReply.findMany({ where: { shop: DEFAULT_SHOP }, include: { variants: true }, orderBy: { title: "asc" } });
    expect(canned.map((r) => [r.title, r.variants.map((v) => v.locale).sort()])).toEqual([
      ["Change before shipping", ["en", "et", "ro", "sw", "tr"]],
      ["Damaged item", [...LANGUAGES].sort()],
      ["Where is my order", [...LANGUAGES].sort()],
    ]);
    for (const variant of canned.flatMap((r) => r.variants)) {
      expect(variant.shop).toBe(DEFAULT_SHOP);
      expect(placeholderError(variant.body, "canned"), variant.body).toBeNull();
      expect(variant.body).toMatch(/\{\{order_name\}\}/);
    }
    // No two languages say the same thing word for word: each is its own text.
    for (const reply of canned) expect(new Set(reply.variants.map((v) => v.body)).size).toBe(reply.variants.length);
    // The Swahili shopper's ticket gets the Swahili text, filled; the Tamil one gets English where there is no Tamil.
    const { cannedRepliesForTicket } = await import("../../app/services/tickets/canned.server");
    const swahili = open.find((t) => t.locale === "sw")!;
    const shopper = await prisma.customer.findFirst({ where: { shop: DEFAULT_SHOP, shopifyId: swahili.customerShopifyId! } });
    const forSwahili = await cannedRepliesForTicket(DEFAULT_SHOP, swahili.id);
    const whereIs = forSwahili.replies.find((r) => r.title === "Where is my order")!;
    expect(whereIs.chosen).toBe("sw");
    const swText = whereIs.variants.find((v) => v.locale === "sw")!.text;
    expect(swText.startsWith(`Habari ${shopper!.firstName},\n\nAsante kwa subira yako. Agizo lako ${swahili.orderName} liko njiani.`)).toBe(true);
    expect(swText).not.toContain("{{");
    const tamil = open.find((t) => t.locale === "ta")!;
    const forTamil = await cannedRepliesForTicket(DEFAULT_SHOP, tamil.id);
    expect(forTamil.replies.find((r) => r.title === "Change before shipping")?.chosen).toBe("en");
    expect(forTamil.replies.find((r) => r.title === "Damaged item")?.chosen).toBe("ta");

    // The dashboard's history: tickets over the past two months, answered and solved, rated, in every language.
    const past = await messagesOf(await prisma.ticket.findMany({ where: { shop: DEFAULT_SHOP, createdAt: { lt: new Date(Date.now() - 86_400_000) } } }));
    expect(past.length).toBe(result.historyTickets);
    const oldest = Math.min(...past.map((t) => t.createdAt.getTime()));
    expect(Date.now() - oldest).toBeGreaterThan(50 * 86_400_000);
    expect(past.filter((t) => t.status === "solved").length).toBeGreaterThan(past.length / 2);
    expect(await prisma.satisfactionSurvey.count({ where: { shop: DEFAULT_SHOP, rating: { not: null } } })).toBeGreaterThan(10);
    const questions = past.filter((t) => t.channel !== "delay_notice");
    expect(new Set(questions.map((t) => t.locale))).toEqual(new Set(LANGUAGES));
    for (const ticket of questions) {
      // The shopper writes in their own language; the answer is an email in the same thread.
      const [asked, answered] = ticket.messages;
      expect(history.CONVERSATIONS[ticket.locale as keyof typeof history.CONVERSATIONS].map((c) => c.body)).toContain(asked.body);
      expect(answered.kind).toBe("reply");
      expect(answered.emailId).toBeTruthy();
    }
    // Real conversations, not one line repeated.
    expect(new Set(questions.map((t) => t.messages[0].body)).size).toBeGreaterThan(15);
    expect(new Set(questions.map((t) => t.messages[1].body)).size).toBeGreaterThan(15);

    // Every notice marked sent has the email that went out, to its shopper, on its ticket.
    const notices = await prisma.delayNotice.findMany({ where: { shop: DEFAULT_SHOP } });
    expect(notices.length).toBeGreaterThan(3);
    for (const notice of notices.filter((n) => n.status === "sent")) {
      expect(notice.emailId).toBeTruthy();
      const email = await prisma.outboundEmail.findFirst({ where: { shop: DEFAULT_SHOP, id: notice.emailId! } });
      expect(email).toMatchObject({ ticketId: notice.ticketId, purpose: "notice", status: "sent" });
      expect(email!.text).toContain(notice.orderName);
      const message = await prisma.ticketMessage.findFirst({ where: { shop: DEFAULT_SHOP, ticketId: notice.ticketId!, kind: "notice" } });
      expect(message?.emailId).toBe(notice.emailId);
    }

    // No placeholder text anywhere a merchant or shopper reads.
    const placeholder = /demo's history|placeholder|lorem|\(from the demo|\{\{|\{first_name\}/i;
    const texts = [
      ...(await prisma.ticketMessage.findMany({ where: { shop: DEFAULT_SHOP }, select: { body: true } })).map((m) => m.body),
      ...(await prisma.ticket.findMany({ where: { shop: DEFAULT_SHOP }, select: { subject: true } })).map((t) => t.subject),
      ...(await prisma.outboundEmail.findMany({ where: { shop: DEFAULT_SHOP }, select: { subject: true, text: true } })).flatMap((e) => [e.subject, e.text]),
    ];
    expect(texts.filter((t) => placeholder.test(t))).toEqual([]);
    expect(await prisma.ticketMessage.count({ where: { shop: DEFAULT_SHOP, kind: { in: ["customer", "reply", "notice"] }, body: "" } })).toBe(0);

    // The FAQ reaches the storefront (the app's worker publishes it to the emulator).
    await waitFor(() => stack.emulator.appMetafields(DEFAULT_SHOP).support_desk?.storefront, Boolean, 20_000, "the storefront copy");
  });

  it("writes nothing twice when run again", async () => {
    const before = counts(DEFAULT_SHOP);
    expect(await seed.seedDemoDesk(DEFAULT_SHOP)).toEqual({ faqArticles: 0, historyTickets: 0, questions: 0, cannedReplies: 0 });
    expect(counts(DEFAULT_SHOP)).toEqual(before);
  });

  it("adds each part that is missing, whatever ran first", async () => {
    // Today's questions and the canned replies first (as the demo once did): the history still comes.
    expect(await seed.seedDemoQuestions(OTHER_SHOP)).toBe(6);
    expect(await seed.seedCannedReplies(OTHER_SHOP)).toBe(3);
    const result = await seed.seedDemoDesk(OTHER_SHOP);
    expect(result).toMatchObject({ faqArticles: 7, questions: 0, cannedReplies: 0 });
    expect(result.historyTickets).toBeGreaterThan(100);
    expect(await prisma.ticket.count({ where: { shop: OTHER_SHOP, status: "open" } })).toBe(6);
    const before = counts(OTHER_SHOP);
    await seed.seedDemoDesk(OTHER_SHOP);
    expect(counts(OTHER_SHOP)).toEqual(before);
    // Each shop's own: the first shop's desk is untouched by the second's.
    expect(await prisma.cannedReply.count({ where: { shop: DEFAULT_SHOP } })).toBe(3);
  });
});
