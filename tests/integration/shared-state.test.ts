import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SHOP } from "../emulator/index";
import { DEV_APP, freePort, startAppServer, type AppServer } from "../support/processes";
import { startStack, type Stack } from "../support/stack";
import { waitFor } from "../support/wait";
import { adminRequest, invalidContact, storefrontSearch } from "../support/app-requests";

/**
 * Two app processes on one database, as behind a load balancer: what must agree between them lives
 * in the database. An FAQ edit made through one is what a search through the other finds, at once;
 * a shopper's rate limit spent on one counts on the other; the check of the storefront copy in
 * Shopify is made once for both.
 */

const SHOP = DEFAULT_SHOP;
const CONTACT_CAPACITY = 5;

let stack: Stack;
/** The second process: the same build and database, its own port, no job worker. */
let second: AppServer;
let prisma: typeof import("../../app/db.server")["default"];

const admin = (app: AppServer, path: string, fields?: Record<string, string>) => adminRequest(stack.emulator, app, SHOP, path, fields);
/** A storefront search as Shopify's App Proxy forwards it (signed; the shopper's address appended last). */
const search = (app: AppServer, q: string) => storefrontSearch(stack.emulator, app, SHOP, q, "10.80.0.1");
/** An invalid contact form (422, nothing stored) from one shopper's address. */
const contact = (app: AppServer, address: string) => invalidContact(stack.emulator, app, SHOP, address);

beforeAll(async () => {
  stack = await startStack();
  const port = await freePort();
  second = await startAppServer({
    port,
    databaseUrl: stack.databaseUrl,
    adminOrigin: stack.emulator.url,
    appBridgeUrl: `${stack.emulator.url}/cdn/app-bridge.js`,
    scopes: stack.emulator.config.scopes,
    env: { JOB_WORKER: "off" },
  });
  Object.assign(process.env, {
    DATABASE_URL: stack.databaseUrl,
    SHOPIFY_API_KEY: DEV_APP.apiKey,
    SHOPIFY_API_SECRET: DEV_APP.apiSecret,
    SHOPIFY_APP_URL: stack.app.url,
  });
  prisma = (await import("../../app/db.server")).default;
  expect((await admin(stack.app, "/app")).status).toBe(200);
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await second?.stop();
  await stack?.stop();
});

describe("two app processes on one database", () => {
  let article: number;

  it("search through one finds an FAQ edit made through the other, at once", async () => {
    // The second process has built and cached its index before the edit.
    expect(await search(second, "zanzibar")).toEqual([]);
    const created = await admin(stack.app, "/app/faq/new", {
      published: "on",
      question_en: "Do you ship to Zanzibar?",
      answer_en: "Yes, by sea freight.",
    });
    expect(created.status).toBe(302);
    article = Number(/\/app\/faq\/(\d+)/.exec(created.headers.get("location") ?? "")![1]);
    expect(await search(second, "zanzibar")).toEqual(["Do you ship to Zanzibar?"]);

    // Unpublished through the first: gone from the second's next search.
    expect((await admin(stack.app, "/app/faq?index", { intent: "unpublish", ids: String(article) })).status).toBe(200);
    expect(await search(second, "zanzibar")).toEqual([]);
    // And the other way round: published through the second, found through the first.
    expect(await search(stack.app, "zanzibar")).toEqual([]);
    expect((await admin(second, "/app/faq?index", { intent: "publish", ids: String(article) })).status).toBe(200);
    expect(await search(stack.app, "zanzibar")).toEqual(["Do you ship to Zanzibar?"]);
  });

  it("a shopper's rate limit spent on one process counts on the other", async () => {
    const statuses: number[] = [];
    // Five requests spread over both processes use up the shopper's burst of five…
    for (let i = 0; i < CONTACT_CAPACITY; i++)
      statuses.push(await contact(i % 2 === 0 ? stack.app : second, "10.81.0.1"));
    expect(statuses).toEqual(Array(CONTACT_CAPACITY).fill(422));
    // …so the sixth is refused by either.
    expect(await contact(second, "10.81.0.1")).toBe(429);
    expect(await contact(stack.app, "10.81.0.1")).toBe(429);
    // Another shopper is served by both.
    expect(await contact(second, "10.81.0.2")).toBe(422);
    expect(await contact(stack.app, "10.81.0.2")).toBe(422);
  });

  it("checks the storefront copy in Shopify once for both processes", async () => {
    // The FAQ is published (by the first process's worker) once the edits above have settled.
    await waitFor(
      () => prisma.faqState.findUnique({ where: { shop: SHOP } }),
      (s) => Boolean(s?.publishedAt) && s!.publishedVersion === s!.version,
      20_000,
      "the FAQ published"
    );
    const checks = () =>
      prisma.job.findMany({ where: { shop: SHOP, kind: "storefront.publish", key: { startsWith: "check:" } } });
    expect(await checks()).toHaveLength(0);
    expect((await admin(stack.app, "/app")).status).toBe(200);
    expect((await admin(second, "/app")).status).toBe(200);
    expect((await admin(second, "/app")).status).toBe(200);
    expect(await checks()).toHaveLength(1);
  });
});
