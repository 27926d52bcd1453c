/**
 * A demo Online Store for the emulator: serves pages that render the theme app extension,
 * its assets, and forwards /apps/support/* to the emulator's App Proxy, as Shopify's
 * storefront does for a real shop.
 */
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { escapeHtml, renderStorefrontPage, type AppMetafields } from "./render";

export interface StartStorefrontOptions {
  port?: number;
  host?: string;
  /** The shop's myshopify domain, e.g. "demo.myshopify.com". */
  shop: string;
  shopName: string;
  emulatorUrl: string;
  /** Called for every page, so pages show what the app last published. */
  appMetafields: () => AppMetafields;
  extensionDir?: string;
}

export interface Storefront {
  url: string;
  close(): Promise<void>;
}

export const STOREFRONT_LOCALES = ["en", "sw", "et", "ta", "ro", "tr"];

const DEFAULT_EXTENSION_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../extensions/support-desk-help");

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
};

/** Headers the shopper's browser sends that the app may care about; cookies stay on the storefront. */
const FORWARDED_HEADERS = ["content-type", "accept", "accept-language", "user-agent"];

const PROXY_PATH = new RegExp(`^(?:/(?:${STOREFRONT_LOCALES.join("|")}))?/apps/support(/.*)?$`);
const PAGE_PATH = new RegExp(`^/(?:(${STOREFRONT_LOCALES.join("|")})/?)?$`);
const ASSET_PATH = /^\/extension-assets\/([^/]+)$/;
const SAFE_ASSET_NAME = /^[\w-][\w.-]*$/;

export async function startStorefront(opts: StartStorefrontOptions): Promise<Storefront> {
  const extensionDir = opts.extensionDir ?? DEFAULT_EXTENSION_DIR;
  const shopHandle = opts.shop.replace(/\.myshopify\.com$/, "");
  const emulatorUrl = opts.emulatorUrl.replace(/\/+$/, "");
  let origin = "";

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://storefront.local");
    const method = req.method ?? "GET";

    const proxyMatch = PROXY_PATH.exec(url.pathname);
    if (proxyMatch) return forward(req, res, proxyMatch[1] ?? "", url.search);

    if (method !== "GET" && method !== "HEAD") return send(res, 405, "text/plain; charset=utf-8", "Method not allowed", { Allow: "GET, HEAD" });

    const assetMatch = ASSET_PATH.exec(url.pathname);
    if (assetMatch) return asset(res, decodeURIComponent(assetMatch[1]), method);

    const pageMatch = PAGE_PATH.exec(url.pathname);
    if (!pageMatch) return send(res, 404, "text/html; charset=utf-8", notFoundPage(opts.shopName), {}, method);
    const html = await renderStorefrontPage({
      extensionDir,
      locale: pageMatch[1] ?? "en",
      shopName: opts.shopName,
      appMetafields: opts.appMetafields(),
      locales: STOREFRONT_LOCALES,
      origin,
    });
    return send(res, 200, "text/html; charset=utf-8", html, { "Cache-Control": "no-store" }, method);
  }

  async function asset(res: ServerResponse, name: string, method: string) {
    // One plain file name inside assets/, nothing that could climb out of it.
    if (!SAFE_ASSET_NAME.test(name) || name.includes("..")) return send(res, 404, "text/plain; charset=utf-8", "Not found");
    const type = CONTENT_TYPES[path.extname(name).toLowerCase()] ?? "application/octet-stream";
    let body: Buffer;
    try {
      body = await readFile(path.join(extensionDir, "assets", name));
    } catch {
      return send(res, 404, "text/plain; charset=utf-8", "Not found");
    }
    return send(res, 200, type, body, { "Cache-Control": "no-cache" }, method);
  }

  async function forward(req: IncomingMessage, res: ServerResponse, rest: string, search: string) {
    const method = req.method ?? "GET";
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_HEADERS) {
      const value = req.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    // Shopify knows who is logged in to the storefront; the emulator signs it as logged_in_customer_id.
    const customerId = cookie(req, "sd_customer");
    if (customerId) headers["x-emulator-customer-id"] = customerId;
    if (req.socket.remoteAddress) headers["x-emulator-client-ip"] = req.socket.remoteAddress;
    const body = method === "GET" || method === "HEAD" ? undefined : new Uint8Array(await readBody(req));
    const target = `${emulatorUrl}/storefront/${encodeURIComponent(shopHandle)}/apps/support${rest}${search}`;
    let upstream: Response;
    try {
      upstream = await fetch(target, { method, headers, body, redirect: "manual" });
    } catch (error) {
      return send(res, 502, "application/json; charset=utf-8", JSON.stringify({ error: "bad_gateway", message: String(error) }));
    }
    const extra: Record<string, string> = {};
    const retryAfter = upstream.headers.get("retry-after");
    if (retryAfter) extra["Retry-After"] = retryAfter;
    const payload = Buffer.from(await upstream.arrayBuffer());
    return send(res, upstream.status, upstream.headers.get("content-type") ?? "application/octet-stream", payload, extra, method);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, "text/plain; charset=utf-8", `Storefront error: ${error instanceof Error ? error.stack : String(error)}`);
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  origin = url;

  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}, method = "GET") {
  const payload = typeof body === "string" ? Buffer.from(body) : body;
  res.writeHead(status, { "Content-Type": type, "Content-Length": String(payload.length), ...headers });
  res.end(method === "HEAD" ? undefined : payload);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("=")) || undefined;
  }
  return undefined;
}

function notFoundPage(shopName: string): string {
  const name = escapeHtml(shopName);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Page not found – ${name}</title></head>
<body style="font-family: system-ui, sans-serif; text-align: center; padding: 64px 16px;">
  <h1>Page not found</h1>
  <p>The page you were looking for does not exist.</p>
  <p><a href="/">Continue shopping at ${name}</a></p>
</body>
</html>
`;
}
