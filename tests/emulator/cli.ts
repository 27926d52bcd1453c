/**
 * npm run emulator -- start [--port 8787] [--app-url http://localhost:3000]
 * npm run emulator -- trigger <topic> [--shop <domain>] [--customer <id|email>] [--order <id|#name>] [--payload <file.json>] …
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEMO_STATE_FILE, readDemoEmulator } from "../../scripts/demo-state";

const DEFAULT_PORT = 8787;
/** EMULATOR_PORT, as `npm run demo` reads it, else 8787. */
const envPort = () => process.env.EMULATOR_PORT?.trim() || undefined;
const DEV_API_KEY = "support-desk-local-client-id";
const DEV_API_SECRET = "support-desk-local-secret";

const USAGE = `Local Shopify emulator

Usage:
  npm run emulator -- start [options]
      Start a standalone emulator (Admin API, emulated admin, webhooks, App Proxy).
      --port <n>          port to listen on (default $EMULATOR_PORT or ${DEFAULT_PORT})
      --host <address>    address to bind (default 127.0.0.1)
      --app-url <url>     where the app runs (default $SHOPIFY_APP_URL or http://localhost:3000)
      --shop <domain>     a shop to seed; repeat for several (default support-desk-demo.myshopify.com)
      --config <file>     the app's toml (default shopify.app.toml)
      --customers <n>     customers seeded per shop (default 60; 50000 is fine)
      --orders <n>        orders seeded per shop (default 150; 100000 is fine)
      --bulk-delay-ms <n> pause before each batch of 250 objects a bulk query exports (default 0)
      Credentials come from SHOPIFY_API_KEY / SHOPIFY_API_SECRET (dev defaults otherwise).

  npm run emulator -- trigger <topic> [options]
      Ask a running emulator to deliver a webhook to the app, like \`shopify app webhook trigger\`.
      --shop <domain>     the shop the event happened in (default: the emulator's first shop)
      --customer <id|email>  for customers/* topics (default: the first seeded customer)
      --order <id|#name>  for orders/* topics (default: the first order with a fulfillment;
                          for orders/cancelled the first cancelled order)
      --fulfillment <id>  for fulfillments/* topics (default: the --order's or the first shipped order's)
      --fulfillment-order <id>  for fulfillment_orders/* topics (default: the --order's, or the
                          first in a fitting state, e.g. on hold for placed_on_hold)
      --status <status>   for fulfillment_events/create: delayed (default), failure, attempted_delivery, …
      --payload <file>    JSON body to send instead of the default for the topic
      --event-id <id>     reuse an event id (emulates a duplicate delivery)
      --api-version <v>   X-Shopify-API-Version (default: the toml's webhooks api_version)
      --forge-signature   sign with a wrong key, as a forged request would be
      --emulator <url>    the running emulator. Default: $SHOPIFY_EMULATOR_URL, else
                          http://127.0.0.1:$EMULATOR_PORT, else the running \`npm run demo\`'s
                          (it writes .demo/emulator.json), else http://127.0.0.1:${DEFAULT_PORT}

Examples:
  npm run emulator -- start --port 8787 --app-url http://127.0.0.1:3000
  npm run emulator -- trigger customers/redact --customer ana@example.com
  npm run emulator -- start --customers 50000 --orders 100000
  npm run emulator -- trigger orders/updated --order '#1001'
`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "start":
      return start(rest);
    case "trigger":
      return trigger(rest);
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`Unknown command "${command}"`);
  }
}

async function start(args: string[]): Promise<number> {
  const { values } = parse(args, {
    port: { type: "string" },
    host: { type: "string" },
    "app-url": { type: "string" },
    shop: { type: "string", multiple: true },
    config: { type: "string" },
    customers: { type: "string" },
    orders: { type: "string" },
    "bulk-delay-ms": { type: "string" },
  });
  const count = (name: string, value: unknown) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number, not "${String(value)}"`);
    return n;
  };
  const customersPerShop = count("customers", values.customers);
  const ordersPerShop = count("orders", values.orders);
  const bulkDelayMs = count("bulk-delay-ms", values["bulk-delay-ms"]);
  const portText = (values.port as string | undefined) ?? envPort();
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(values.port === undefined ? `EMULATOR_PORT must be a port number, not "${portText}"` : `--port must be a port number, not "${values.port}"`);
  }
  const appUrl = (values["app-url"] as string | undefined) ?? process.env.SHOPIFY_APP_URL ?? "http://localhost:3000";
  try {
    new URL(appUrl);
  } catch {
    throw new UsageError(`--app-url must be a URL, not "${appUrl}"`);
  }

  // Imported here so `trigger` stays quick and does not load the schema.
  const { startEmulator } = await import("./index");
  const { createStore } = await import("./store/index");
  const shops = values.shop as string[] | undefined;
  const seeding = Date.now();
  const store = customersPerShop !== undefined || ordersPerShop !== undefined ? createStore({ shops, customersPerShop, ordersPerShop }) : undefined;
  const seededMs = Date.now() - seeding;
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator({
      port,
      host: values.host as string | undefined,
      apiKey: process.env.SHOPIFY_API_KEY || DEV_API_KEY,
      apiSecret: process.env.SHOPIFY_API_SECRET || DEV_API_SECRET,
      appUrl,
      appConfigPath: values.config as string | undefined,
      shops,
      store,
      bulkDelayMs,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      process.stderr.write(`Port ${port} is already in use (another emulator?); pick one with --port\n`);
      return 1;
    }
    throw error;
  }
  const lines = [
    `Local Shopify emulator listening on ${emulator.url}`,
    `  app:            ${appUrl}`,
    `  admin API:      ${emulator.url}/admin/api/<version>/graphql.json (header X-Shopify-Shop-Domain)`,
    `  App Bridge:     ${emulator.url}/cdn/app-bridge.js`,
    ...emulator.store.shopDomains().map((shop) => `  admin for ${shop}: ${emulator.adminUrl(shop)}`),
    `  staff:          ${emulator.staff.map((m, i) => `${m.firstName} ${m.lastName} (${m.id}${i === 0 ? ", logged in" : ""})`).join(", ")}`,
    `                  another's admin page: add ?staff=<id> to the admin URL, e.g. ${emulator.adminUrl(emulator.store.shopDomains()[0], "", { staff: emulator.staff[1] ?? emulator.staff[0] })}`,
    ...(store ? [`  store:          ${customersPerShop ?? 60} customers and ${ordersPerShop ?? 150} orders per shop, seeded in ${seededMs} ms`] : []),
    `Set SHOPIFY_ADMIN_ORIGIN=${emulator.url} and APP_BRIDGE_URL=${emulator.url}/cdn/app-bridge.js for the app.`,
    "Ctrl-C stops it.",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void emulator.close().finally(resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  return 0;
}

async function trigger(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      shop: { type: "string" },
      customer: { type: "string" },
      order: { type: "string" },
      fulfillment: { type: "string" },
      "fulfillment-order": { type: "string" },
      status: { type: "string" },
      payload: { type: "string" },
      "event-id": { type: "string" },
      "api-version": { type: "string" },
      "forge-signature": { type: "boolean" },
      emulator: { type: "string" },
    },
    true,
  );
  const [topic, ...extra] = positionals;
  if (!topic) throw new UsageError("trigger needs a topic, e.g. app/uninstalled");
  if (extra.length > 0) throw new UsageError(`Unexpected arguments: ${extra.join(" ")}`);

  let payload: unknown;
  if (values.payload) {
    const file = values.payload as string;
    try {
      payload = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      throw new UsageError(`--payload ${file}: ${(error as Error).message}`);
    }
  }

  const target = emulatorTarget(values.emulator as string | undefined);
  const emulatorUrl = target.url;
  let response: Response;
  try {
    response = await fetch(`${emulatorUrl}/emulator/webhooks`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        topic,
        shop: values.shop,
        customer: values.customer,
        order: values.order,
        fulfillment: values.fulfillment,
        fulfillmentOrder: values["fulfillment-order"],
        status: values.status,
        payload,
        eventId: values["event-id"],
        apiVersion: values["api-version"],
        forgeSignature: values["forge-signature"] === true,
      }),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    process.stderr.write(
      `No emulator answered at ${emulatorUrl} (${cause}; the URL came from ${target.from}).\n` +
        `Is \`npm run demo\` or \`npm run emulator -- start\` running? If it is, point at it with --emulator <url> or EMULATOR_PORT=<port>.\n`,
    );
    return 1;
  }

  const text = await response.text();
  let result: Record<string, unknown>;
  try {
    result = JSON.parse(text);
  } catch {
    process.stderr.write(`The emulator answered HTTP ${response.status} with something other than JSON:\n${text}\n`);
    return 1;
  }
  if (!response.ok) {
    process.stderr.write(`The emulator could not deliver ${topic}: ${String(result.error ?? text)}\n`);
    return 1;
  }
  const status = Number(result.status);
  const ok = status >= 200 && status < 300;
  const lines = [
    `${ok ? "Delivered" : "Delivery failed:"} ${topic} to ${String(result.uri)}`,
    `  status:   ${status}`,
    `  event id: ${String(result.eventId)}`,
    `  webhook:  ${String(result.webhookId)}`,
  ];
  if (!ok && result.body) lines.push(`  body:     ${String(result.body).slice(0, 2000)}`);
  (ok ? process.stdout : process.stderr).write(`${lines.join("\n")}\n`);
  return ok ? 0 : 1;
}

/** Which emulator `trigger` talks to, and why (said when nothing answers there). */
function emulatorTarget(flag: string | undefined): { url: string; from: string } {
  const clean = (url: string) => url.trim().replace(/\/+$/, "");
  const check = (url: string, from: string) => {
    try {
      new URL(url);
    } catch {
      throw new UsageError(`${from} must be a URL, not "${url}"`);
    }
    return { url: clean(url), from };
  };
  if (flag !== undefined) return check(flag, "--emulator");
  if (process.env.SHOPIFY_EMULATOR_URL?.trim()) return check(process.env.SHOPIFY_EMULATOR_URL, "SHOPIFY_EMULATOR_URL");
  const port = envPort();
  if (port !== undefined) {
    const n = Number(port);
    if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new UsageError(`EMULATOR_PORT must be a port number, not "${port}"`);
    return { url: `http://127.0.0.1:${n}`, from: "EMULATOR_PORT" };
  }
  const demo = readDemoEmulator();
  if (demo) return check(demo.url, `the running demo (${DEMO_STATE_FILE})`);
  return { url: `http://127.0.0.1:${DEFAULT_PORT}`, from: `the default port ${DEFAULT_PORT}` };
}

type OptionSpec = Record<string, { type: "string" | "boolean"; multiple?: boolean }>;

function parse(args: string[], options: OptionSpec, allowPositionals = false) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
