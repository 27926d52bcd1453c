import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SHOP } from "../emulator/index";
import { TEST_ENGINE } from "../support/database";
import { freePort, startAppServer, type AppServer } from "../support/processes";
import { startStack, type Stack } from "../support/stack";
import { waitFor } from "../support/wait";
import { adminRequest, invalidContact, storefrontSearch } from "../support/app-requests";

/**
 * A deployment as a public app runs one on PostgreSQL: two web processes behind a load balancer
 * (no jobs in them, JOB_WORKER=off) and two workers (`npm run worker`), all on one database.
 * Webhooks spread over both web processes, each event also redelivered to the other, have one
 * effect each; the workers poll only once a minute, so a job queued by a web process starts at
 * once only through the database's wake-ups (LISTEN/NOTIFY); a shopper's rate limit and an FAQ edit
 * hold across both web processes. SQLite is one process by design: this runs on PostgreSQL only.
 */
const SHOP = DEFAULT_SHOP;
/** Workers poll this seldom: anything faster is a wake-up from another process. */
const WORKER_POLL_MS = "60000";

let stack: Stack;
let web: AppServer[] = [];
let workers: AppServer[] = [];

beforeAll(async () => {
  if (TEST_ENGINE !== "postgresql") return;
  stack = await startStack({ appEnv: { JOB_WORKER: "off" } });
  const launch = async (script: "server.mjs" | "worker.mjs", env: Record<string, string>) =>
    startAppServer({
      port: await freePort(),
      databaseUrl: stack.databaseUrl,
      adminOrigin: stack.emulator.url,
      appBridgeUrl: `${stack.emulator.url}/cdn/app-bridge.js`,
      scopes: stack.emulator.config.scopes,
      script,
      env,
    });
  const second = await launch("server.mjs", { JOB_WORKER: "off" });
  web = [stack.app, second];
  workers = await Promise.all([0, 1].map(() => launch("worker.mjs", { JOB_POLL_INTERVAL_MS: WORKER_POLL_MS, JOB_CONCURRENCY: "4" })));
  // Both workers have run their start-up poll (and its search backfill) before the tests queue anything.
  await waitFor(
    () => stack.query<{ n: number }>(`SELECT COUNT(*) AS n FROM "Job" WHERE status IN ('queued', 'running') AND runAt <= CURRENT_TIMESTAMP`),
    (rows) => rows[0].n === 0,
    20_000,
    "the workers' start-up work",
  );
}, 120_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  if (web[1]) await web[1].stop();
  await stack?.stop();
});

const admin = (app: AppServer, path: string, fields?: Record<string, string>) => adminRequest(stack.emulator, app, SHOP, path, fields);
const contact = (app: AppServer, address: string) => invalidContact(stack.emulator, app, SHOP, address);
const search = (app: AppServer, q: string) => storefrontSearch(stack.emulator, app, SHOP, q, "10.90.1.1");

describe.runIf(TEST_ENGINE === "postgresql")("two web processes and two workers on one PostgreSQL", () => {
  it("webhooks spread over both web processes, each also redelivered to the other, have one effect each", async () => {
    const customers = stack.emulator.store.shop(SHOP)!.customers.filter((c) => c.email);
    expect(customers.length).toBeGreaterThanOrEqual(40);
    expect(stack.query(`SELECT id FROM "Customer" WHERE shop = ?`, SHOP)).toEqual([]);
    // Each customer's update goes to one process, and the same event again to the other, at once.
    const deliveries = await Promise.all(
      customers.map(async (customer, i) => {
        const first = await stack.emulator.deliverWebhook({ shop: SHOP, topic: "customers/update", customer: customer.id, appOrigin: web[i % 2].url });
        const again = await stack.emulator.deliverWebhook({
          shop: SHOP,
          topic: "customers/update",
          customer: customer.id,
          eventId: first.eventId,
          appOrigin: web[(i + 1) % 2].url,
        });
        return [first, again];
      }),
    );
    expect(deliveries.flat().map((d) => d.status)).toEqual(Array(customers.length * 2).fill(200));

    // Within the 20 s below only a wake-up can start them: the workers' next poll is a minute away.
    const events = await waitFor(
      () => stack.query<{ eventId: string; status: string }>(`SELECT eventId, status FROM "WebhookEvent" WHERE shop = ? AND topic = 'customers/update'`, SHOP),
      (rows) => rows.length === customers.length && rows.every((r) => r.status === "processed"),
      20_000,
      "every delivery processed",
    );
    expect(new Set(events.map((e) => e.eventId))).toEqual(new Set(deliveries.map(([first]) => first.eventId)));
    // One job per event, run once.
    const jobs = stack.query<{ status: string; attempts: number }>(`SELECT status, attempts FROM "Job" WHERE shop = ? AND kind = 'webhook.process'`, SHOP);
    expect(jobs).toHaveLength(customers.length);
    expect(jobs.every((j) => j.status === "succeeded" && j.attempts === 1)).toBe(true);
    // And its effect: each customer synced once, as Shopify sent them.
    const synced = stack.query<{ shopifyId: string; email: string }>(`SELECT shopifyId, email FROM "Customer" WHERE shop = ? ORDER BY shopifyId`, SHOP);
    expect(synced.map((c) => c.shopifyId).sort()).toEqual(customers.map((c) => c.id).sort());
    expect(new Set(synced.map((c) => c.email))).toEqual(new Set(customers.map((c) => c.email!.toLowerCase())));
  });

  it("a job queued by either web process starts on a worker at once, not at the next poll", async () => {
    for (const app of web) {
      const customer = stack.emulator.store.shop(SHOP)!.customers[0];
      const delivered = await stack.emulator.deliverWebhook({ shop: SHOP, topic: "customers/update", customer: customer.id, appOrigin: app.url });
      expect(delivered.status).toBe(200);
      await waitFor(
        () => stack.query<{ status: string }>(`SELECT status FROM "WebhookEvent" WHERE shop = ? AND eventId = ?`, SHOP, delivered.eventId),
        (rows) => rows[0]?.status === "processed",
        20_000,
        `the delivery to ${app.url} processed`,
      );
    }
  });

  it("a shopper's rate limit spent on one web process counts on the other", async () => {
    expect((await admin(web[1], "/app")).status).toBe(200); // the shop is installed: the storefront is served
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push(await contact(web[i % 2], "10.90.0.1"));
    expect(statuses).toEqual(Array(5).fill(422));
    expect(await contact(web[1], "10.90.0.1")).toBe(429);
    expect(await contact(web[0], "10.90.0.1")).toBe(429);
    expect(await contact(web[1], "10.90.0.2")).toBe(422);
  });

  it("an FAQ edit made on one web process is what a search on the other finds, at once", async () => {
    expect((await admin(web[0], "/app")).status).toBe(200);
    expect(await search(web[1], "tallinn")).toEqual([]);
    const created = await admin(web[0], "/app/faq/new", { published: "on", question_en: "Do you deliver to Tallinn?", answer_en: "Yes, in two days." });
    expect(created.status).toBe(302);
    expect(await search(web[1], "tallinn")).toEqual(["Do you deliver to Tallinn?"]);
    const id = /\/app\/faq\/(\d+)/.exec(created.headers.get("location") ?? "")![1];
    expect((await admin(web[1], "/app/faq?index", { intent: "unpublish", ids: id })).status).toBe(200);
    expect(await search(web[0], "tallinn")).toEqual([]);
  });
});
