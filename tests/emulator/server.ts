/**
 * The emulator's HTTP face: one node:http server on one origin that plays the shop's
 * admin (token exchange, Admin GraphQL), the admin UI that frames the app, Shopify's CDN
 * (App Bridge), the storefront's App Proxy, and a small control API for tests and the CLI.
 */
import { createReadStream } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import type { AppConfig } from "./app-config";
import type { Auth, StaffMember } from "./auth";
import { adminBasePath, renderAdminPage, renderIndexPage, renderNotFoundPage, shopDomain, shopHandle, STAFF_PARAM } from "./admin-frame";
import { forwardToAppProxy } from "./app-proxy";
import { WebhookDeliveryError, type DeliverWebhookInput, type DeliveryResult } from "./webhooks";

export interface AdminGraphqlHandler {
  handle(shop: string, bucketKey: string, body: unknown): Promise<{ status: number; body: unknown }>;
}

export interface ServerContext {
  apiKey: string;
  apiSecret: string;
  appUrl: string;
  config: AppConfig;
  auth: Auth;
  graphql: AdminGraphqlHandler;
  /** Who is logged in to an admin page that does not choose (`?staff=<id>`). */
  staff: StaffMember;
  /** Everyone who can open an admin page, the default staff member first. */
  staffMembers: readonly StaffMember[];
  /** Admin API versions the emulator has a schema for. */
  apiVersions: string[];
  appBridgeScript: string;
  shopDomains(): string[];
  shopName(shop: string): string | undefined;
  deliverWebhook(input: DeliverWebhookInput): Promise<DeliveryResult>;
  /** A finished bulk operation's JSONL file, by the unguessable token in its URL. */
  bulkResultFile(token: string): { path: string; size: number } | undefined;
}

const MAX_BODY_BYTES = 20 * 1024 * 1024;
const INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)";

/** A response the handlers can throw from anywhere: bad input is the client's problem, never a crash. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface RequestInfo {
  method: string;
  url: URL;
  req: IncomingMessage;
  res: ServerResponse;
  body(): Promise<Buffer>;
}

type Handler = (info: RequestInfo, params: string[]) => Promise<void> | void;

interface Route {
  methods: string[];
  pattern: RegExp;
  handler: Handler;
}

export function createEmulatorServer(ctx: ServerContext): Server {
  const routes: Route[] = [
    route(["GET"], /^\/$/, indexPage),
    route(["GET"], /^\/favicon\.ico$/, ({ res }) => void res.writeHead(204).end()),
    route(["GET"], /^\/emulator\/health$/, health),
    route(["POST"], /^\/emulator\/webhooks$/, triggerWebhook),
    route(["GET", "HEAD"], /^\/emulator\/bulk-results\/([0-9a-f]+)\.jsonl$/, bulkResult),
    route(["GET", "HEAD"], /^\/cdn\/app-bridge\.js$/, appBridgeScript),
    route(["POST"], /^\/admin\/oauth\/access_token$/, accessToken),
    route(["POST"], /^\/admin\/api\/([^/]+)\/graphql\.json$/, adminGraphql),
    route(["GET"], /^\/store\/([^/]+)\/apps\/([^/]+)(\/.*)?$/, adminPage),
    route(["POST"], /^\/store\/([^/]+)\/session-token$/, sessionToken),
    route(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"], /^\/storefront\/([^/]+)\/([^/]+)\/([^/]+)(\/.*)?$/, appProxy),
  ];

  const server = createServer((req, res) => {
    void dispatch(req, res);
  });

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://emulator.invalid");
    } catch {
      return sendJson(res, 400, { error: "Malformed request URL" });
    }
    let bodyPromise: Promise<Buffer> | undefined;
    const info: RequestInfo = { method, url, req, res, body: () => (bodyPromise ??= readBody(req)) };
    try {
      const matching = routes.filter((r) => r.pattern.test(url.pathname));
      if (matching.length === 0) throw new HttpError(404, `No emulator route for ${method} ${url.pathname}`);
      const found = matching.find((r) => r.methods.includes(method));
      if (!found) {
        res.setHeader("Allow", [...new Set(matching.flatMap((r) => r.methods))].join(", "));
        throw new HttpError(405, `${method} is not allowed on ${url.pathname}`);
      }
      const params = (found.pattern.exec(url.pathname) ?? []).slice(1).map((p) => (p === undefined ? "" : safeDecode(p)));
      await found.handler(info, params);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
      } else if (error instanceof HttpError) {
        sendJson(res, error.status, { error: error.message });
      } else {
        console.error("Shopify emulator: unexpected error on", method, url.pathname, error);
        sendJson(res, 500, { error: `Emulator error: ${(error as Error).message}` });
      }
    }
  }

  // ---------------------------------------------------------------- control

  function indexPage({ res }: RequestInfo) {
    const shops = ctx.shopDomains().map((domain) => ({
      domain,
      name: ctx.shopName(domain) ?? domain,
      adminPath: adminBasePath(domain, ctx.apiKey),
    }));
    sendHtml(res, 200, renderIndexPage(shops, ctx.config.name));
  }

  function health({ res }: RequestInfo) {
    sendJson(res, 200, { ok: true, appUrl: ctx.appUrl, apiKey: ctx.apiKey, shops: ctx.shopDomains(), apiVersions: ctx.apiVersions });
  }

  async function triggerWebhook(info: RequestInfo) {
    const input = objectBody(await jsonBody(info));
    const topic = optionalString(input, "topic");
    if (!topic) throw new HttpError(400, "Body needs a topic, e.g. {\"topic\":\"app/uninstalled\"}");
    const shop = optionalString(input, "shop") ?? ctx.shopDomains()[0];
    let result: DeliveryResult;
    try {
      result = await ctx.deliverWebhook({
        topic,
        shop: normalizeShop(shop),
        payload: input.payload,
        customer: optionalString(input, "customer"),
        order: optionalString(input, "order"),
        fulfillment: optionalString(input, "fulfillment"),
        fulfillmentOrder: optionalString(input, "fulfillmentOrder"),
        eventStatus: optionalString(input, "status"),
        eventId: optionalString(input, "eventId"),
        webhookId: optionalString(input, "webhookId"),
        apiVersion: optionalString(input, "apiVersion"),
        forgeSignature: input.forgeSignature === true,
      });
    } catch (error) {
      if (error instanceof WebhookDeliveryError) throw new HttpError(error.status, error.message);
      throw error;
    }
    sendJson(info.res, 200, result);
  }

  /** Like Shopify's signed storage URLs: no credentials, the token is the secret. */
  async function bulkResult({ res, method }: RequestInfo, [token]: string[]) {
    const file = ctx.bulkResultFile(token);
    if (!file) throw new HttpError(404, "No bulk operation result at this URL (it may have been cleaned up)");
    res.writeHead(200, { "Content-Type": "application/jsonl", "Content-Length": file.size, "Cache-Control": "no-store" });
    if (method === "HEAD") return void res.end();
    await pipeline(createReadStream(file.path), res);
  }

  function appBridgeScript({ res, method }: RequestInfo) {
    res.writeHead(200, {
      "Content-Type": "application/javascript; charset=utf-8",
      "Access-Control-Allow-Origin": "*",
      "Cache-Control": "no-cache",
    });
    res.end(method === "HEAD" ? undefined : ctx.appBridgeScript);
  }

  // ------------------------------------------------------------ admin API

  async function accessToken(info: RequestInfo) {
    const shop = addressedShop(info.req);
    const raw = await info.body();
    let body: Record<string, unknown>;
    if (String(info.req.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded")) {
      body = Object.fromEntries(new URLSearchParams(raw.toString("utf8")));
    } else {
      body = objectBody(parseJson(raw));
    }
    const result = ctx.auth.handleAccessTokenRequest(shop, body);
    sendJson(info.res, result.status, result.body);
  }

  async function adminGraphql(info: RequestInfo, [version]: string[]) {
    const { req, res } = info;
    const shop = addressedShop(req);
    if (!ctx.shopDomains().includes(shop)) return sendJson(res, 404, { errors: "Not Found" });
    if (!ctx.apiVersions.includes(version)) {
      return sendJson(res, 404, { errors: `Not Found: the emulator serves Admin API ${ctx.apiVersions.join(", ")}, not ${version}` });
    }
    const token = headerValue(req, "x-shopify-access-token");
    if (!ctx.auth.isValidAccessToken(shop, token)) return sendJson(res, 401, { errors: INVALID_TOKEN });

    const raw = await info.body();
    let body: unknown;
    try {
      body = String(req.headers["content-type"] ?? "").includes("application/graphql") ? { query: raw.toString("utf8") } : parseJson(raw);
    } catch (error) {
      // The Admin API reports problems under `errors`, never `error`.
      if (error instanceof HttpError) return sendJson(res, error.status, { errors: error.message });
      throw error;
    }
    const result = await ctx.graphql.handle(shop, token as string, body);
    sendJson(res, result.status, result.body, { "X-Shopify-API-Version": version });
  }

  /** The app names the shop in X-Shopify-Shop-Domain (its admin-origin seam); a myshopify Host works too. */
  function addressedShop(req: IncomingMessage): string {
    const named = headerValue(req, "x-shopify-shop-domain") ?? hostShop(req);
    if (!named) throw new HttpError(400, "Name the shop with an X-Shopify-Shop-Domain header: one emulator serves every shop");
    return normalizeShop(named);
  }

  // -------------------------------------------------------------- admin UI

  function adminPage({ res, url }: RequestInfo, [handle, apiKey, appPath]: string[]) {
    const shop = shopDomain(handle);
    const shopName = ctx.shopName(shop);
    if (!shopName) return sendHtml(res, 404, renderNotFoundPage(`There is no shop ${shop} in this emulator.`));
    if (apiKey !== ctx.apiKey) return sendHtml(res, 404, renderNotFoundPage(`No app with API key ${apiKey} is installed on ${shop}.`));
    const chosen = url.searchParams.get(STAFF_PARAM);
    const staff = chosen === null ? ctx.staff : staffById(chosen);
    if (!staff) return sendHtml(res, 404, renderNotFoundPage(`There is no staff member ${chosen} in this emulator (${knownStaffText()}).`));
    const html = renderAdminPage({
      appUrl: ctx.appUrl,
      shop,
      apiSecret: ctx.apiSecret,
      apiKey: ctx.apiKey,
      appName: ctx.config.name,
      shopName,
      staff,
      staffChosen: chosen !== null,
      idToken: ctx.auth.sessionToken(shop, { userId: staff.id }),
      locale: staff.locale,
      appPath: encodePath(appPath.replace(/\/+$/, "")),
      query: url.searchParams,
    });
    sendHtml(res, 200, html);
  }

  /** The admin page's App Bridge asks here; a page opened as another staff member names them (`?staff=<id>`). */
  function sessionToken({ req, res, url }: RequestInfo, [handle]: string[]) {
    const origin = headerValue(req, "origin");
    if (origin && origin !== `http://${req.headers.host}`) throw new HttpError(403, "Session tokens are only handed to the emulated admin page");
    const shop = shopDomain(handle);
    if (!ctx.shopName(shop)) throw new HttpError(404, `There is no shop ${shop} in this emulator`);
    const chosen = url.searchParams.get(STAFF_PARAM);
    const staff = chosen === null ? ctx.staff : staffById(chosen);
    if (!staff) throw new HttpError(404, `There is no staff member ${chosen} in this emulator (${knownStaffText()})`);
    sendJson(res, 200, { token: ctx.auth.sessionToken(shop, { userId: staff.id }) }, { "Cache-Control": "no-store" });
  }

  function staffById(id: string): StaffMember | undefined {
    return /^\d+$/.test(id) ? ctx.staffMembers.find((m) => m.id === Number(id)) : undefined;
  }

  function knownStaffText(): string {
    return ctx.staffMembers.map((m) => `${m.id} ${m.firstName} ${m.lastName}`).join(", ");
  }

  // ------------------------------------------------------------- storefront

  async function appProxy(info: RequestInfo, [handle, prefix, subpath, rest]: string[]) {
    const { req, res, url, method } = info;
    const proxy = ctx.config.appProxy;
    if (!proxy || prefix !== proxy.prefix || subpath !== proxy.subpath) {
      throw new HttpError(404, `No app proxy at /${prefix}/${subpath} (shopify.app.toml declares ${proxy ? `/${proxy.prefix}/${proxy.subpath}` : "none"})`);
    }
    const shop = shopDomain(handle);
    if (!ctx.shopName(shop)) throw new HttpError(404, `There is no shop ${shop} in this emulator`);
    // The storefront page may be served from another local origin than the emulator.
    res.setHeader("Access-Control-Allow-Origin", "*");
    if (method === "OPTIONS") {
      res.writeHead(204, {
        "Access-Control-Allow-Methods": "GET, HEAD, POST, PUT, PATCH, DELETE",
        "Access-Control-Allow-Headers": "Content-Type, Accept, X-Requested-With, X-Emulator-Customer-Id",
        "Access-Control-Max-Age": "600",
      });
      return void res.end();
    }
    const forwarded = await forwardToAppProxy({
      proxy,
      secret: ctx.apiSecret,
      shop,
      method,
      subPath: encodePath(rest),
      search: url.searchParams,
      // As Shopify's proxy does: whatever X-Forwarded-For the shopper sent, then the address it was reached from
      // appended (X-Emulator-Client-Ip plays that address, so tests can be several shoppers from one socket).
      headers: { ...req.headers, "x-forwarded-for": appendForwardedFor(headerValue(req, "x-forwarded-for"), headerValue(req, "x-emulator-client-ip") ?? req.socket.remoteAddress) },
      body: await info.body(),
      loggedInCustomerId: headerValue(req, "x-emulator-customer-id"),
    });
    res.writeHead(forwarded.status, forwarded.headers);
    res.end(method === "HEAD" ? undefined : forwarded.body);
  }

  // ---------------------------------------------------------------- helpers

  async function jsonBody(info: RequestInfo): Promise<unknown> {
    return parseJson(await info.body());
  }

  return server;
}

function route(methods: string[], pattern: RegExp, handler: Handler): Route {
  return { methods, pattern, handler };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, `Request body over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", (error) => reject(new HttpError(400, `Could not read the request body: ${error.message}`)));
  });
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) throw new HttpError(400, "Request body is empty; expected JSON");
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch (error) {
    throw new HttpError(400, `Request body is not valid JSON: ${(error as Error).message}`);
  }
}

function objectBody(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new HttpError(400, "Request body must be a JSON object");
  return value as Record<string, unknown>;
}

function optionalString(source: Record<string, unknown>, key: string): string | undefined {
  const value = source[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number") return String(value);
  if (typeof value !== "string") throw new HttpError(400, `${key} must be a string`);
  return value;
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first && first.trim() ? first.trim() : undefined;
}

function hostShop(req: IncomingMessage): string | undefined {
  const host = (req.headers.host ?? "").replace(/:\d+$/, "");
  return /\.myshopify\.com$/i.test(host) ? host : undefined;
}

/** "support-desk-demo" and "support-desk-demo.myshopify.com" both name the same shop. */
function normalizeShop(shop: string): string {
  const trimmed = shop.trim().toLowerCase();
  return trimmed.includes(".") ? trimmed : shopDomain(shopHandle(trimmed));
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HttpError(400, `Malformed path segment ${part}`);
  }
}

function encodePath(path: string): string {
  return path
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
  res.end(html);
}

function appendForwardedFor(incoming: string | undefined, address: string | undefined): string | undefined {
  return [incoming, address].filter(Boolean).join(", ") || undefined;
}
