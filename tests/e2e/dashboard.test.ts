import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Frame, Page } from "playwright-core";
import { DEFAULT_SHOP } from "../emulator/index";
import { appFrame, launchChromium, newPage } from "../support/browser";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA, waitFor } from "../support/wait";

/** The dashboard on the admin home, in Chromium: a new shop's first steps, then real figures and charts, and the CSV. */

const EMPTY_SHOP = "empty-desk.myshopify.com";
let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack({ shops: [DEFAULT_SHOP, EMPTY_SHOP] });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

function seedTickets() {
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const insert = (...params: unknown[]) => stack.execute(
    `INSERT INTO "Ticket" (id, shop, number, subject, status, priority, channel, replyToken, createdAt, updatedAt, lastMessageAt, unread, firstResponseAt, solvedAt)
     VALUES (?, ?, ?, ?, ?, 'normal', ?, ?, ?, ?, ?, false, ?, ?)`,
    ...params,
  );
  const rows: [string, string, number, number | null, number | null][] = [
    // channel, status, created (days ago), first response (hours after), solved (hours after)
    ["storefront", "solved", 3, 2, 20],
    ["email", "solved", 5, 1, 30],
    ["storefront", "open", 2, null, null],
    ["delay_notice", "pending", 1, 3, null],
    ["email", "solved", 40, 5, 50],
  ];
  rows.forEach(([channel, status, daysAgo, frtHours, solvedHours], i) => {
    const created = now - daysAgo * 86_400_000;
    insert(`dash-${i}`, DEFAULT_SHOP, 900 + i, `Question ${i}`, status, channel, `dash-token-${i}`, iso(created), iso(created), iso(created), frtHours === null ? null : iso(created + frtHours * 3_600_000), solvedHours === null ? null : iso(created + solvedHours * 3_600_000));
  });
  stack.execute(`INSERT INTO "SatisfactionSurvey" (id, shop, ticketId, sentAt, rating, ratedAt) VALUES ('s1', ?, 'dash-0', ?, 5, ?), ('s2', ?, 'dash-1', ?, NULL, NULL)`,
    DEFAULT_SHOP, iso(now - 2 * 86_400_000), iso(now - 2 * 86_400_000), DEFAULT_SHOP, iso(now - 4 * 86_400_000),
  );
}

describe("dashboard", () => {
  it("tells a new merchant what to do first", async () => {
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(EMPTY_SHOP));
    const frame = await appFrame(page);
    await frame.getByText("Your support desk is ready").waitFor({ timeout: 20_000 });
    await frame.getByRole("link", { name: "FAQ" }).first().waitFor();
    await frame.getByText("delay notice rules").waitFor();
    await page.close();
  });

  it("shows the period's figures with charts, switches periods, and exports CSV", async () => {
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP));
    await waitFor(() => stack.query(`SELECT 1 FROM "Shop" WHERE shop = ?`, DEFAULT_SHOP), (rows) => rows.length === 1, 20_000);
    seedTickets();
    await page.reload();
    const frame = await appFrame(page);
    const created = frame.locator('[data-figure="Tickets created"]');
    await created.waitFor({ timeout: 20_000 });
    // Four tickets in the last 30 days (the 40-day-old one is in the previous period).
    expect(await created.textContent()).toContain("4");
    expect(await created.textContent()).toContain("1 in the previous period");
    const satisfaction = frame.locator('[data-figure="Satisfaction (CSAT)"]');
    expect(await satisfaction.textContent()).toContain("100%");
    expect(await satisfaction.textContent()).toContain("50% of 2 surveys answered");
    // The charts draw in the browser.
    await frame.locator('[aria-label="Tickets created and solved per day"] svg').first().waitFor({ timeout: 10_000 });
    await frame.locator('[aria-label="Tickets by channel"] svg').first().waitFor();

    await frame.getByLabel("Period").selectOption("7");
    await frame.getByText("compared with").waitFor();
    await waitFor(async () => (await frame.locator('[data-figure="Tickets solved"]').textContent()) ?? "", (t) => t.includes("2"), 10_000);

    const csv = await fetch(`${stack.app.url}/app/dashboard.csv?days=30`, { headers: { Authorization: `Bearer ${stack.emulator.sessionToken(DEFAULT_SHOP)}`, "User-Agent": BROWSER_UA } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const text = await csv.text();
    expect(text.split("\n")).toContain("tickets created,4,1");
    // Another shop's CSV has none of these tickets.
    const other = await fetch(`${stack.app.url}/app/dashboard.csv?days=30`, { headers: { Authorization: `Bearer ${stack.emulator.sessionToken(EMPTY_SHOP)}`, "User-Agent": BROWSER_UA } });
    expect((await other.text()).split("\n")).toContain("tickets created,0,0");

    // The rating shows on its ticket.
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, "/inbox/dash-0"));
    const ticketFrame = await appFrame(page);
    await ticketFrame.getByText("Rated 5/5").waitFor({ timeout: 20_000 });
    await ticketFrame.getByText("Satisfied").waitFor();
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, "/inbox/dash-1"));
    await (await appFrame(page)).getByText(/no answer yet/).waitFor({ timeout: 20_000 });
    await page.close();
  }, 60_000);
});
