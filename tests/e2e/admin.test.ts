import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Frame, Page } from "playwright-core";
import { DEFAULT_SHOP } from "../emulator/index";
import { appFrame, launchChromium, newPage } from "../support/browser";
import { startStack, type Stack } from "../support/stack";
import { waitFor } from "../support/wait";

let stack: Stack;
let browser: Browser;
/** A shop of its own for the first-open sync, so no other test has opened it first. */
const FIRST_OPEN_SHOP = "first-open.myshopify.com";

beforeAll(async () => {
  // Each bulk export pauses a second, so the first sync runs long enough to be watched.
  stack = await startStack({ shops: [DEFAULT_SHOP, FIRST_OPEN_SHOP], bulkDelayMs: 1000 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("the embedded admin in Chromium, through the emulated Shopify admin", () => {
  it("authenticates with a session token, exchanges it for an access token and renders the home page", async () => {
    const page = await newPage(browser);
    const failed: string[] = [];
    page.on("requestfailed", (request) => failed.push(`${request.url()} ${request.failure()?.errorText}`));
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP));
    const frame = await appFrame(page);

    // The shop's name comes from the Admin API (emulator) via token exchange → afterAuth.
    const shopName = stack.emulator.store.shop(DEFAULT_SHOP)!.info.name;
    await frame.getByRole("heading", { name: shopName }).waitFor({ timeout: 20_000 });
    await expect(frame.getByText("Admin API version").isVisible()).resolves.toBe(true);
    await expect(frame.getByText("2026-10").first().isVisible()).resolves.toBe(true);

    // Token exchange stored an offline session holding the emulator's access token.
    const sessions = stack.query<{ shop: string; accessToken: string; isOnline: number }>(
      'SELECT shop, accessToken, isOnline FROM "Session"',
    );
    expect(sessions).toEqual([{ shop: DEFAULT_SHOP, accessToken: stack.emulator.accessTokenFor(DEFAULT_SHOP), isOnline: 0 }]);
    const shops = stack.query<{ shop: string; name: string }>('SELECT shop, name FROM "Shop"');
    expect(shops).toEqual([{ shop: DEFAULT_SHOP, name: shopName }]);
    expect(failed.filter((f) => !f.includes("cdn.shopify.com"))).toEqual([]);
    await page.close();
  });

  it("follows the sync the first open started, from starting to the counts, without a reload", async () => {
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(FIRST_OPEN_SHOP));
    const frame = await appFrame(page);
    // The first render already knows the sync is on its way (afterAuth starts it beside this page's request).
    await frame.getByText(/Starting the sync with Shopify…|Syncing customers…|Syncing orders…/).first().waitFor({ timeout: 20_000 });
    await frame.evaluate(() => ((window as unknown as { firstDocument: boolean }).firstDocument = true));

    const data = stack.emulator.store.shop(FIRST_OPEN_SHOP)!;
    await frame.getByText(`${data.customers.length} customers · ${data.orders.length} orders`).waitFor({ timeout: 30_000 });
    await frame.getByText(/Last full sync/).waitFor({ timeout: 10_000 });
    expect(await frame.getByRole("button", { name: "Sync now" }).isEnabled()).toBe(true);
    // The same document all along: the card followed the sync, nobody reloaded.
    expect(await frame.evaluate(() => (window as unknown as { firstDocument?: boolean }).firstDocument)).toBe(true);
    const run = stack.query<{ status: string }>(`SELECT status FROM "SyncRun" WHERE shop = ? AND kind = 'bulk'`, FIRST_OPEN_SHOP);
    expect(run).toEqual([{ status: "succeeded" }]);
    await page.close();
  });

  it("fills the admin navigation from App Bridge's NavMenu and navigates inside the app", async () => {
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP));
    const frame = await appFrame(page);
    await frame.getByText("Admin API version").waitFor({ timeout: 20_000 });

    const nav = page.getByRole("link", { name: "System health" });
    await nav.waitFor({ timeout: 10_000 });
    await nav.click();
    // The app's client-side navigation, authenticated by App Bridge's fetch with a bearer session token.
    await frame.getByText("Background work").waitFor({ timeout: 10_000 });
    expect(frame.url()).toContain("/app/health");
    // App Bridge's title bar is drawn by the admin, outside the iframe.
    await page.getByText("System health", { exact: true }).first().waitFor();
    await page.close();
  });

  it("shows failed background work on System health and retries it by hand", async () => {
    // Not Shopify's shape (no customer): every attempt to process it fails.
    const delivery = await stack.emulator.deliverWebhook({
      shop: DEFAULT_SHOP,
      topic: "customers/redact",
      payload: { shop_domain: DEFAULT_SHOP, orders_to_redact: [] },
    });
    expect(delivery.status).toBe(200);
    const deadJob = () =>
      stack.query<{ id: string; attempts: number }>(`SELECT id, attempts FROM "Job" WHERE status = 'dead' AND kind = 'webhook.compliance'`)[0];
    const job = (await waitFor(deadJob, Boolean, 20_000, "the privacy request's job dead"))!;

    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, "/health"));
    const frame = await appFrame(page);
    await frame.getByText("Privacy request", { exact: true }).waitFor({ timeout: 20_000 });
    await frame.getByText(/customers\/redact payload is not in Shopify's shape/).first().waitFor();
    await frame.getByText("customers/redact").first().waitFor();

    await frame.getByRole("button", { name: "Retry now" }).click();
    await waitFor(
      () => stack.query<{ attempts: number }>('SELECT attempts FROM "Job" WHERE id = ?', job.id)[0].attempts,
      (attempts) => attempts > job.attempts,
      20_000,
      "the retried job's next attempt",
    );
    await page.close();
  });

  it("lists a customer's data request with its export to download", async () => {
    const customer = stack.emulator.store.shop(DEFAULT_SHOP)!.customers[7];
    const delivery = await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "customers/data_request", customer: customer.email! });
    expect(delivery.status).toBe(200);
    const ready = () => stack.query(`SELECT 1 FROM "DataRequest" WHERE email = ? AND status = 'ready'`, customer.email).length > 0;
    await waitFor(ready, Boolean, 20_000, "the data request's export");
    const page = await newPage(browser);
    await page.goto(stack.emulator.adminUrl(DEFAULT_SHOP, "/privacy"));
    const frame = await appFrame(page);
    await frame.getByText(customer.email!).waitFor({ timeout: 20_000 });
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      frame.getByRole("button", { name: "Download JSON" }).first().click(),
    ]);
    const file = await download.path();
    const exported = JSON.parse(await import("node:fs").then((fs) => fs.readFileSync(file!, "utf8")));
    expect(exported.customer.email).toBe(customer.email);
    await page.close();
  });

  it("refuses to render the app outside Shopify's admin without a valid session token", async () => {
    const response = await fetch(`${stack.app.url}/app?embedded=1&shop=${DEFAULT_SHOP}&host=YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvc3VwcG9ydC1kZXNrLWRlbW8&id_token=forged.token.value`, { redirect: "manual" });
    expect(response.status).not.toBe(200);
    const body = await response.text();
    expect(body).not.toContain("Admin API version");
  });
});
