import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SHOP, startEmulator, type Emulator } from "../emulator/index";
import { DEV_APP } from "../support/processes";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA, waitFor } from "../support/wait";

/**
 * The storefront's FAQ lives in Shopify, as an app-data metafield the theme extension's Liquid
 * reads. When Shopify no longer holds it (a store started afresh, as a second `npm run demo`
 * does with its emulator, or an installation that lost its metafields), opening the app
 * publishes it again; when Shopify holds the current copy, opening the app writes nothing.
 */

let stack: Stack;
let emulator: Emulator;
let prisma: (typeof import("../../app/db.server"))["default"];

const SHOP = DEFAULT_SHOP;

async function openApp() {
  const response = await fetch(`${stack.app.url}/app`, { headers: { Authorization: `Bearer ${emulator.sessionToken(SHOP)}`, "User-Agent": BROWSER_UA } });
  expect(response.status).toBe(200);
}

const storefrontCopy = (on: Emulator) => on.appMetafields(SHOP).support_desk?.storefront as { type: string; value: { version: number; locales: Record<string, { categories: { articles: { question: string }[] }[] }> } } | undefined;

const checks = () => stack.query<{ status: string }>(`SELECT status FROM "Job" WHERE shop = ? AND kind = 'storefront.publish' AND key LIKE 'check:%'`, SHOP);

beforeAll(async () => {
  stack = await startStack();
  emulator = stack.emulator;
  Object.assign(process.env, { DATABASE_URL: stack.databaseUrl, SHOPIFY_API_KEY: DEV_APP.apiKey, SHOPIFY_API_SECRET: DEV_APP.apiSecret, SHOPIFY_APP_URL: stack.app.url });
  prisma = (await import("../../app/db.server")).default;
});

afterAll(async () => {
  await prisma?.$disconnect();
  await emulator?.close();
  await stack?.stop();
});

describe("the storefront copy in Shopify", () => {
  it("is left alone when Shopify holds the current version, and published again when Shopify has lost it", async () => {
    await openApp();
    // The merchant's FAQ (the demo's), published through the app's own job.
    const { seedDemoFaq } = await import("../../scripts/demo-faq");
    expect(await seedDemoFaq(SHOP)).toBe(7);
    const published = await waitFor(() => storefrontCopy(emulator), Boolean, 20_000, "the first publish");
    const state = await prisma.faqState.findUniqueOrThrow({ where: { shop: SHOP } });
    expect(published!.value.version).toBe(state.version);
    const before = JSON.stringify(emulator.appMetafields(SHOP));

    // Opened again with the copy in place: the app looks, and writes nothing.
    await openApp();
    await waitFor(checks, (rows) => rows.length === 1 && rows[0].status === "succeeded", 20_000, "the check");
    expect(JSON.stringify(emulator.appMetafields(SHOP))).toBe(before);

    // Shopify starts afresh (a new emulator on the same port, as a second `npm run demo` does)
    // and the app is started again on the same database.
    const port = Number(new URL(emulator.url).port);
    await emulator.close();
    emulator = await startEmulator({ port, apiKey: DEV_APP.apiKey, apiSecret: DEV_APP.apiSecret, appUrl: stack.app.url });
    expect(storefrontCopy(emulator)).toBeUndefined();
    await stack.restartApp();

    await openApp();
    const again = await waitFor(() => storefrontCopy(emulator), Boolean, 20_000, "the copy published again");
    expect(again!.value.version).toBe(state.version);
    expect(again!.value.locales.tr.categories.flatMap((c) => c.articles.map((a) => a.question))).toContain("Teslimat ne kadar sürer?");
    await waitFor(checks, (rows) => rows.length === 2 && rows.every((r) => r.status === "succeeded"), 20_000, "both checks done");
    expect((await prisma.faqState.findUniqueOrThrow({ where: { shop: SHOP } })).publishError).toBeNull();
  });
});
