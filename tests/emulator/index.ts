/**
 * The local Shopify emulator: start one, point the app's SHOPIFY_ADMIN_ORIGIN and
 * APP_BRIDGE_URL at it, and it plays Shopify for the tests and the demo.
 */
import { readdirSync, readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadAppConfig, webhookUriFor, type AppConfig } from "./app-config";
import { createAuth, DEFAULT_STAFF, knownStaff, STAFF_MEMBERS, type SessionTokenOptions, type StaffMember } from "./auth";
import { adminBasePath, STAFF_PARAM } from "./admin-frame";
import { pathPrefixFor, signProxyQuery as signQuery } from "./app-proxy";
import {
  bulkFinishPayload,
  createAdminGraphql,
  type BulkOperationErrorCode,
  type BulkOperationRecord,
  type BulkOperationSnapshot,
  type GraphqlStats,
} from "./graphql/index";
import { appMetafieldList } from "./graphql/metafields";
import { createEmulatorServer } from "./server";
import { createStore, type EmulatorStore } from "./store/index";
import { createWebhookSender, type DeliverWebhookInput, type DeliveryResult } from "./webhooks";

export type { AppConfig } from "./app-config";
export type { StaffMember } from "./auth";
export type { DeliverWebhookInput, DeliveryResult } from "./webhooks";
export type { BulkOperationErrorCode, BulkOperationRecord, BulkOperationSnapshot, BulkOperationStatus, GraphqlStats } from "./graphql/index";
export { bulkFinishPayload, MAX_RUNNING_BULK_QUERIES } from "./graphql/index";
export { verifyJwt, DEFAULT_STAFF, SECOND_STAFF, THIRD_STAFF, STAFF_MEMBERS, staffName } from "./auth";
export { proxySignature, verifyProxyQuery } from "./app-proxy";
export { webhookHmac } from "./webhooks";
export { launchHmac, hostParam } from "./admin-frame";

const EMULATOR_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(EMULATOR_DIR, "../..");
export const DEFAULT_SHOP = "support-desk-demo.myshopify.com";

export interface EmulatorOptions {
  /** 0 = a random free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The app's client id. */
  apiKey: string;
  /** The app's client secret: signs webhooks, session tokens and proxy requests. */
  apiSecret: string;
  /** Where the app runs, e.g. http://127.0.0.1:3000. */
  appUrl: string;
  /** Default <repo>/shopify.app.toml. */
  appConfigPath?: string;
  /** Default ["support-desk-demo.myshopify.com"]. */
  shops?: string[];
  /** Default createStore({ shops }). */
  store?: EmulatorStore;
  /** Passed to the Admin GraphQL throttle. */
  bucketSize?: number;
  restoreRate?: number;
  /** The staff member who is "logged in" to the emulated admin (default DEFAULT_STAFF). */
  staff?: StaffMember;
  /**
   * The others who can open an admin page, each chosen with `adminUrl(shop, path, { staff })` (`?staff=<id>`):
   * session tokens name them and the online token exchange returns them. Default STAFF_MEMBERS.
   */
  staffMembers?: readonly StaffMember[];
  /**
   * Pause before each batch of 250 top-level objects a bulk query exports (default 0), so a test
   * or demo can watch an operation RUNNING with a growing objectCount.
   */
  bulkDelayMs?: number;
}

/** Test controls for bulk operations. */
export interface EmulatorBulkControls {
  /** The shop's next bulk operation fails: status FAILED with this errorCode, no url, no partial data. */
  failNext(shop: string, errorCode?: BulkOperationErrorCode): void;
  /** The shop's operations, oldest first (copies). */
  operations(shop: string): BulkOperationSnapshot[];
  /** The shop's operations stay RUNNING (before their next batch) until the returned function is called. */
  hold(shop: string): () => void;
  /** Resolves when no operation runs and every bulk_operations/finish webhook has been answered. */
  idle(): Promise<void>;
}

export interface Emulator {
  /** http://127.0.0.1:<port> */
  url: string;
  store: EmulatorStore;
  config: AppConfig;
  /**
   * The emulated admin page that frames the app; `path` is below the app's home (/app). With `staff`, the
   * page is that staff member's (one of `staff` below): its session tokens and online token name them.
   */
  adminUrl(shop: string, path?: string, options?: AdminUrlOptions): string;
  /** Everyone who can open an admin page, the default staff member first. */
  staff: readonly StaffMember[];
  sessionToken(shop: string, opts?: SessionTokenOptions): string;
  accessTokenFor(shop: string): string;
  deliverWebhook(input: DeliverWebhookInput): Promise<DeliveryResult>;
  bulk: EmulatorBulkControls;
  /** Admin GraphQL documents a shop has sent: executed, and refused as THROTTLED. */
  graphqlStats(shop: string): GraphqlStats;
  /** The app-data metafields the app has set on its installation, as Liquid's `app.metafields` sees them. */
  appMetafields(shop: string): Record<string, Record<string, { type: string; value: unknown }>>;
  /** The query Shopify's App Proxy would send the app for this storefront query. */
  signProxyQuery(shop: string, query: Record<string, string | string[]>, loggedInCustomerId?: string): URLSearchParams;
  close(): Promise<void>;
}

export interface AdminUrlOptions {
  /** A staff member the emulator knows, or their id; default the emulator's logged-in one. */
  staff?: StaffMember | number;
}

export async function startEmulator(opts: EmulatorOptions): Promise<Emulator> {
  if (!opts.apiKey || !opts.apiSecret) throw new Error("startEmulator needs the app's apiKey and apiSecret");
  const appUrl = opts.appUrl.replace(/\/+$/, "");
  const config = loadAppConfig(opts.appConfigPath ?? path.join(REPO_ROOT, "shopify.app.toml"), appUrl);
  const shops = opts.shops ?? [DEFAULT_SHOP];
  const store = opts.store ?? createStore({ shops });
  // Only the default staff member owns the store unless told otherwise.
  const staffMembers = knownStaff(opts.staff ?? DEFAULT_STAFF, opts.staffMembers ?? STAFF_MEMBERS).map((m, i) => ({ ...m, accountOwner: m.accountOwner ?? i === 0 }));
  const staff = staffMembers[0];
  const hasShop = (shop: string) => store.shop(shop) !== undefined;

  const auth = createAuth({ apiKey: opts.apiKey, apiSecret: opts.apiSecret, scopes: config.scopes, staff, staffMembers, hasShop });
  let url = ""; // known once the server listens
  const deliverWebhook = createWebhookSender({
    config,
    apiSecret: opts.apiSecret,
    hasShop,
    payloadContext: (shop, select) => ({
      shop,
      data: store.shop(shop)!,
      ...select,
      scopes: config.scopes,
      now: new Date(),
      latestBulkOperation: graphql.bulk?.list(shop)[0],
    }),
  });
  const graphql = createAdminGraphql({
    store,
    bucketSize: opts.bucketSize,
    restoreRate: opts.restoreRate,
    bulk: {
      resultUrl: (token) => `${url}/emulator/bulk-results/${token}.jsonl`,
      onFinish: (shop, operation) => sendBulkFinish(shop, operation),
      delayMs: opts.bulkDelayMs,
    },
  });
  const bulk = graphql.bulk!;
  let closing: Promise<void> | undefined;

  /** Shopify sends bulk_operations/finish to apps that subscribe; a failed delivery is only noted. */
  async function sendBulkFinish(shop: string, operation: BulkOperationRecord): Promise<string> {
    const topic = "bulk_operations/finish";
    if (!webhookUriFor(config, topic)) return "not subscribed";
    try {
      const result = await deliverWebhook({ shop, topic, payload: bulkFinishPayload(operation) });
      return `delivered: HTTP ${result.status}`;
    } catch (error) {
      return `not delivered: ${(error as Error).message}`;
    }
  }

  const server = createEmulatorServer({
    apiKey: opts.apiKey,
    apiSecret: opts.apiSecret,
    appUrl,
    config,
    auth,
    graphql,
    staff,
    staffMembers,
    apiVersions: schemaVersions(),
    appBridgeScript: readFileSync(path.join(EMULATOR_DIR, "assets", "app-bridge.js"), "utf8"),
    shopDomains: () => store.shopDomains(),
    shopName: (shop) => store.shop(shop)?.info.name,
    deliverWebhook,
    bulkResultFile: (token) => bulk.resultFile(token),
  });

  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  return {
    url,
    store,
    config,
    adminUrl(shop, appPath = "", urlOptions = {}) {
      const suffix = appPath && !appPath.startsWith("/") ? `/${appPath}` : appPath;
      const page = `${url}${adminBasePath(shop, opts.apiKey)}${suffix}`;
      if (urlOptions.staff === undefined) return page;
      const id = typeof urlOptions.staff === "number" ? urlOptions.staff : urlOptions.staff.id;
      if (!staffMembers.some((m) => m.id === id)) {
        throw new Error(`No staff member ${id} in this emulator: ${staffMembers.map((m) => `${m.id} ${m.firstName} ${m.lastName}`).join(", ")}`);
      }
      const at = page.includes("#") ? page.indexOf("#") : page.length;
      const [beforeHash, hash] = [page.slice(0, at), page.slice(at)];
      return `${beforeHash}${beforeHash.includes("?") ? "&" : "?"}${STAFF_PARAM}=${id}${hash}`;
    },
    staff: staffMembers,
    sessionToken: (shop, tokenOpts) => auth.sessionToken(shop, tokenOpts),
    accessTokenFor: (shop) => auth.accessTokenFor(shop),
    deliverWebhook,
    graphqlStats: (shop) => graphql.stats(shop),
    bulk: {
      failNext: (shop, errorCode) => bulk.failNext(shop, errorCode),
      operations: (shop) => bulk.operations(shop),
      hold: (shop) => bulk.hold(shop),
      idle: () => bulk.idle(),
    },
    appMetafields(shop) {
      const data = store.shop(shop);
      const result: Record<string, Record<string, { type: string; value: unknown }>> = {};
      for (const field of data ? appMetafieldList(data) : []) {
        let value: unknown = field.value;
        if (field.type === "json") value = JSON.parse(field.value);
        (result[field.namespace] ??= {})[field.key] = { type: field.type, value };
      }
      return result;
    },
    signProxyQuery(shop, query, loggedInCustomerId) {
      if (!config.appProxy) throw new Error("shopify.app.toml declares no [app_proxy]");
      return signQuery({ secret: opts.apiSecret, shop, pathPrefix: pathPrefixFor(config.appProxy), query, loggedInCustomerId });
    },
    close() {
      // Idempotent, so a test that closes early and an afterAll hook can both call it.
      closing ??= (async () => {
        // Running exports stop at their next batch; their files go with the temp directory.
        await bulk.close();
        await new Promise<void>((resolve, reject) => {
          server.close((error) => (error ? reject(error) : resolve()));
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}

/** The Admin API versions there is a schema for: tests/emulator/schema/admin_<version>.json.gz. */
function schemaVersions(): string[] {
  const versions = readdirSync(path.join(EMULATOR_DIR, "schema"))
    .map((file) => /^admin_(.+)\.json\.gz$/.exec(file)?.[1])
    .filter((v): v is string => Boolean(v));
  if (versions.length === 0) throw new Error("No Admin API schema in tests/emulator/schema");
  return versions;
}
