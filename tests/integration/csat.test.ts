import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SHOP } from "../emulator/index";
import { DEV_APP } from "../support/processes";
import { startCapturingSmtp, type CapturingSmtp } from "../support/smtp";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA, waitFor } from "../support/wait";

/**
 * Satisfaction surveys end to end: a solved ticket emails the shopper one survey in their
 * language, with five signed one-click links through the App Proxy; a rating and a change of
 * mind are stored, a comment too; forged, expired and other-shop links are refused; a ticket
 * solved again sends no second survey; the setting turns surveys off.
 */

const OTHER_SHOP = "other-csat.myshopify.com";
let stack: Stack;
let smtp: CapturingSmtp;
const mail = () => smtp.received;
const storefront = (shop: string) => `${stack.emulator.url}/storefront/${shop.replace(/\.myshopify\.com$/, "")}`;

async function adminPost(path: string, fields: Record<string, string>, shop = DEFAULT_SHOP) {
  return fetch(`${stack.app.url}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${stack.emulator.sessionToken(shop)}`, "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
}

async function askQuestion(email: string, locale: string): Promise<string> {
  const response = await fetch(`${storefront(DEFAULT_SHOP)}/apps/support/contact`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Emulator-Client-Ip": `10.7.0.${mail().length + 1}` },
    body: JSON.stringify({ email, name: "Deniz Yılmaz", message: "Beden değişimi yapabilir miyim?", locale }),
  });
  expect(response.status).toBe(200);
  const { ticketNumber } = await response.json();
  return stack.query<{ id: string }>(`SELECT id FROM "Ticket" WHERE shop = ? AND number = ?`, DEFAULT_SHOP, ticketNumber)[0].id;
}

const surveyMail = (to: string) => mail().filter((m) => JSON.stringify(m.to).includes(to) && (m.text ?? "").includes("/apps/support/csat?s="));
/** Every email the shop queued has been handed to SMTP (or given up on): what was to be sent has been. */
const outboxDrained = () =>
  waitFor(() => stack.query(`SELECT 1 FROM "OutboundEmail" WHERE shop = ? AND status = 'queued'`, DEFAULT_SHOP), (rows) => rows.length === 0, 20_000, "the shop's queued emails sent");
const surveyRow = (ticketId: string) => stack.query<{ id: string; rating: number | null; comment: string | null }>(`SELECT id, rating, comment FROM "SatisfactionSurvey" WHERE ticketId = ?`, ticketId)[0];

beforeAll(async () => {
  smtp = await startCapturingSmtp();
  stack = await startStack({ shops: [DEFAULT_SHOP, OTHER_SHOP], appEnv: { SMTP_URL: smtp.url } });
  // Survey links go to the emulated storefront, whose App Proxy signs and forwards them.
  await stack.restartApp({ env: { SMTP_URL: smtp.url, STOREFRONT_URL: storefront(DEFAULT_SHOP) } });
  for (const shop of [DEFAULT_SHOP, OTHER_SHOP]) {
    const opened = await fetch(`${stack.app.url}/app`, { headers: { Authorization: `Bearer ${stack.emulator.sessionToken(shop)}`, "User-Agent": BROWSER_UA } });
    expect(opened.status).toBe(200);
  }
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  await smtp?.stop();
});

describe("satisfaction survey", () => {
  let ticketId: string;
  let links: string[];

  it("a solved ticket sends one survey in the shopper's language with five one-click links", async () => {
    ticketId = await askQuestion("deniz@example.com.tr", "tr");
    expect((await adminPost(`/app/inbox/${ticketId}`, { intent: "status", status: "solved" })).status).toBe(200);
    const [survey] = await waitFor(() => surveyMail("deniz@example.com.tr"), (m) => m.length === 1, 20_000, "the survey email");
    expect(survey.subject).toBe("Nasıl yardımcı olduk? Beden değişimi yapabilir miyim?");
    expect(survey.text).toContain("Merhaba Deniz,");
    links = [...(survey.text ?? "").matchAll(/(http:\/\/\S+\/apps\/support\/csat\?s=\S+&r=\d)/g)].map((m) => m[1]);
    expect(links).toHaveLength(5);
    expect(survey.text).toContain("5 – Mükemmel");
    // Shown on the ticket's timeline.
    expect(stack.query(`SELECT 1 FROM "TicketMessage" WHERE ticketId = ? AND event = 'survey_sent'`, ticketId)).toHaveLength(1);
  });

  it("stores a rating, a change of mind, and a comment", async () => {
    const four = await fetch(links[3]);
    expect(four.status).toBe(200);
    const html = await four.text();
    expect(html).toContain('lang="tr"');
    expect(html).toContain("Bize 5 üzerinden 4 puan verdiniz.");
    expect(surveyRow(ticketId).rating).toBe(4);
    expect((await fetch(links[1])).status).toBe(200);
    expect(surveyRow(ticketId).rating).toBe(2);
    const comment = await fetch(links[1], { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ comment: "Yanıt <b>geç</b> geldi" }) });
    expect(comment.status).toBe(200);
    const page = await comment.text();
    expect(page).toContain("Teşekkürler, okuduk.");
    expect(page).not.toContain("<b>geç</b>");
    expect(surveyRow(ticketId).comment).toBe("Yanıt <b>geç</b> geldi");
    const tooLong = await fetch(links[1], { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ comment: "x".repeat(2001) }) });
    expect(tooLong.status).toBe(422);
  });

  it("refuses forged, expired and other-shop links, and a bad rating, changing nothing", async () => {
    const url = new URL(links[4]);
    const token = url.searchParams.get("s")!;
    const [surveyId, expires, mac] = token.split(".");
    const forged = new URL(url);
    forged.searchParams.set("s", `${surveyId}.${Number(expires) + 999}.${mac}`);
    expect((await fetch(forged)).status).toBe(403);
    const staleExpiry = Math.floor(Date.now() / 1000) - 60;
    const staleMac = createHmac("sha256", DEV_APP.apiSecret).update(`csat|${DEFAULT_SHOP}|${surveyId}|${staleExpiry}`).digest("base64url").slice(0, 32);
    const stale = new URL(url);
    stale.searchParams.set("s", `${surveyId}.${staleExpiry}.${staleMac}`);
    const expired = await fetch(stale);
    expect(expired.status).toBe(410);
    const elsewhere = `${storefront(OTHER_SHOP)}/apps/support/csat?s=${encodeURIComponent(token)}&r=5`;
    expect((await fetch(elsewhere)).status).toBe(403);
    const badRating = new URL(url);
    badRating.searchParams.set("r", "9");
    expect((await fetch(badRating)).status).toBe(400);
    expect((await fetch(`${storefront(DEFAULT_SHOP)}/apps/support/csat?s=garbage&r=5`)).status).toBe(400);
    expect(surveyRow(ticketId).rating).toBe(2);
    // Straight to the app without Shopify's signature: 401.
    expect((await fetch(`${stack.app.url}/proxy/csat?s=${encodeURIComponent(token)}&r=5`)).status).toBe(401);
  });

  it("a ticket solved again sends no second survey; surveys can be turned off", async () => {
    await adminPost(`/app/inbox/${ticketId}`, { intent: "status", status: "open" });
    await adminPost(`/app/inbox/${ticketId}`, { intent: "status", status: "solved" });
    // A survey is written (with its email) before the action answers: once no email of the shop waits, nothing more will be sent.
    await outboxDrained();
    expect(surveyMail("deniz@example.com.tr")).toHaveLength(1);
    expect(stack.query(`SELECT 1 FROM "SatisfactionSurvey" WHERE ticketId = ?`, ticketId)).toHaveLength(1);

    stack.execute(`INSERT INTO "SupportSettings" (shop, csatEnabled, updatedAt) VALUES (?, false, CURRENT_TIMESTAMP) ON CONFLICT(shop) DO UPDATE SET csatEnabled = false`, DEFAULT_SHOP);
    const quiet = await askQuestion("ayse@example.com.tr", "tr");
    expect((await adminPost(`/app/inbox/${quiet}`, { intent: "status", status: "solved" })).status).toBe(200);
    await outboxDrained();
    expect(surveyMail("ayse@example.com.tr")).toHaveLength(0);
    expect(stack.query(`SELECT 1 FROM "SatisfactionSurvey" WHERE ticketId = ?`, quiet)).toHaveLength(0);
  });
});
