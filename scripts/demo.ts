/**
 * `npm run demo`: the whole product on one machine. Migrates the database, starts
 * the local Shopify emulator with a seeded store and the app pointed at it, and
 * prints where to look. Ctrl-C stops both.
 */
import { startEmulator, DEFAULT_SHOP } from "../tests/emulator/index";
import { DEV_APP, ensureBuild, migrateDatabase, startAppServer } from "../tests/support/processes";
import { startStorefront } from "../tests/emulator/storefront/server";
import { forgetDemoEmulator, recordDemoEmulator } from "./demo-state";

const APP_PORT = Number(process.env.PORT ?? 3000);
const EMULATOR_PORT = Number(process.env.EMULATOR_PORT ?? 8787);
const STOREFRONT_PORT = Number(process.env.STOREFRONT_PORT ?? 8788);
const DATABASE_URL = process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite";

async function main() {
  const log = (line: string) => console.log(`[demo] ${line}`);
  await ensureBuild(log);
  log(`applying migrations to ${DATABASE_URL}`);
  await migrateDatabase(DATABASE_URL);

  const appUrl = `http://127.0.0.1:${APP_PORT}`;
  const emulator = await startEmulator({
    port: EMULATOR_PORT,
    apiKey: DEV_APP.apiKey,
    apiSecret: DEV_APP.apiSecret,
    appUrl,
  });
  log(`Shopify emulator on ${emulator.url}`);
  // `npm run emulator -- trigger …` in another terminal finds this emulator here.
  recordDemoEmulator(emulator.url);
  const app = await startAppServer({
    port: APP_PORT,
    databaseUrl: DATABASE_URL,
    adminOrigin: emulator.url,
    appBridgeUrl: `${emulator.url}/cdn/app-bridge.js`,
    scopes: emulator.config.scopes,
    // Survey links in emails point at the demo storefront, whose App Proxy reaches the app.
    // The storefront's chat opens its socket to the app from these pages (the demo storefront and the emulator's).
    env: { LOG_REQUESTS: "1", STOREFRONT_URL: `http://127.0.0.1:${STOREFRONT_PORT}`, STOREFRONT_ORIGINS: `http://127.0.0.1:${STOREFRONT_PORT},${new URL(emulator.url).origin}` },
    echo: true,
  });
  log(`app on ${app.url}`);
  void seedWhenSynced(DEFAULT_SHOP, log);

  const shop = DEFAULT_SHOP;
  // The shop's Online Store: the theme extension's own Liquid, its proxy signed by the emulator.
  const storefront = await startStorefront({
    port: STOREFRONT_PORT,
    shop,
    shopName: emulator.store.shop(shop)?.info.name ?? "Demo store",
    emulatorUrl: emulator.url,
    appMetafields: () => emulator.appMetafields(shop),
  });
  log(`storefront on ${storefront.url}`);
  console.log(`
  Support Desk is running against the local Shopify emulator.

    Shopify admin (emulated), with the app embedded:
      ${emulator.adminUrl(shop)}

    The first open syncs the store's customers and orders (Home shows the counts, Customers lists them);
    then six shoppers write in, one per language: work them in the Inbox (replies wait in Email: no mail server),
    and the FAQ gets seven answers in six languages (edit them under FAQ).

    The shop's storefront, with the help button (app embed) and the FAQ section (app block),
    once the admin above has been opened (that installs the app and publishes the FAQ):
      ${storefront.url}/        English; ${storefront.url}/tr, /ta, /sw, /et, /ro for the other languages
    Search the FAQ, track an order (a number and email from Customers), or send a question: it lands in the Inbox.

    Chat: while the admin above is open you are online (Inbox: "Your chat status"), so inside the shop's business
    hours (Settings) the storefront's help panel offers "Chat with us": write there, answer from the chat's ticket
    in the Inbox, and both sides update as you type. Outside the hours, or set Away, it takes a message instead.

    Send a webhook, as Shopify CLI's "app webhook trigger" does:
      npm run emulator -- trigger app/scopes_update
      npm run emulator -- trigger customers/data_request
      npm run emulator -- trigger orders/updated --order '#1001'
    (the CLI finds this emulator, ${emulator.url}, through .demo/emulator.json)

    A carrier reports a delay (or --status failure / attempted_delivery): the shopper's notice, in their
    language, lands in Email and on the order's ticket in the Inbox; Delay notices lists it:
      npm run emulator -- trigger fulfillment_events/create
      npm run emulator -- trigger fulfillment_orders/placed_on_hold

  Ctrl-C to stop.
`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log("stopping…");
    forgetDemoEmulator(emulator.url);
    await storefront.close();
    await app.stop();
    await emulator.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

/** Once the first open has synced the store, the desk gets its first shopper questions. */
async function seedWhenSynced(shop: string, log: (line: string) => void) {
  Object.assign(process.env, { DATABASE_URL, SHOPIFY_API_KEY: DEV_APP.apiKey, SHOPIFY_API_SECRET: DEV_APP.apiSecret, SHOPIFY_APP_URL: `http://127.0.0.1:${APP_PORT}` });
  const prisma = (await import("../app/db.server")).default;
  const { seedDemoDesk } = await import("./demo-seed");
  for (;;) {
    const synced = await prisma.syncState.findUnique({ where: { shop } }).catch(() => null);
    if (synced?.lastFullSyncAt) break;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  try {
    const seeded = await seedDemoDesk(shop);
    if (seeded.historyTickets > 0) log(`the desk has two months of history (${seeded.historyTickets} past tickets) for the dashboard`);
    if (seeded.questions > 0) log(`the inbox has ${seeded.questions} shopper questions to answer`);
    if (seeded.cannedReplies > 0) log(`${seeded.cannedReplies} canned replies are ready to insert`);
  } catch (error) {
    log(`could not add the demo tickets: ${error instanceof Error ? error.message : String(error)}`);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
