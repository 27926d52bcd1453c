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
import { randomBytes } from "node:crypto";
import { STOREFRONT_PRODUCTS, escapeHtml, renderStorefrontPage, type AppMetafields } from "./render";

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
const CART_PATH = new RegExp(`^(?:/(?:${STOREFRONT_LOCALES.join("|")}))?/cart(\\.js|/add\\.js|/add)$`);
const SAFE_ASSET_NAME = /^[\w-][\w.-]*$/;

export async function startStorefront(opts: StartStorefrontOptions): Promise<Storefront> {
  const extensionDir = opts.extensionDir ?? DEFAULT_EXTENSION_DIR;
  const shopHandle = opts.shop.replace(/\.myshopify\.com$/, "");
  const emulatorUrl = opts.emulatorUrl.replace(/\/+$/, "");
  let origin = "";
  // Shopify's cart, as its Ajax API shows it: one per browser (the `cart` cookie), in this process only.
  const carts = new Map<string, Map<number, number>>();

  function cartOf(req: IncomingMessage): { token: string; lines: Map<number, number>; isNew: boolean } {
    const token = cookie(req, "cart");
    const lines = token ? carts.get(token) : undefined;
    if (token && lines) return { token, lines, isNew: false };
    const fresh = randomBytes(12).toString("hex");
    const created = new Map<number, number>();
    carts.set(fresh, created);
    return { token: fresh, lines: created, isNew: true };
  }

  function cartJson(lines: Map<number, number>) {
    const items = [...lines].flatMap(([variantId, quantity]) => {
      const product = STOREFRONT_PRODUCTS.find((p) => p.variantId === variantId);
      if (!product) return [];
      const line = product.priceMinor * quantity;
      return [
        {
          id: variantId,
          variant_id: variantId,
          quantity,
          title: product.variant ? `${product.title} - ${product.variant}` : product.title,
          product_title: product.title,
          variant_title: product.variant,
          price: product.priceMinor,
          line_price: line,
          final_line_price: line,
          url: `/products/${product.handle}?variant=${variantId}`,
          handle: product.handle,
        },
      ];
    });
    const total = items.reduce((sum, item) => sum + item.final_line_price, 0);
    return {
      item_count: items.reduce((n, item) => n + item.quantity, 0),
      items,
      total_price: total,
      items_subtotal_price: total,
      currency: "EUR",
      requires_shipping: items.length > 0,
    };
  }

  async function cart(req: IncomingMessage, res: ServerResponse, action: string, method: string) {
    const { token, lines, isNew } = cartOf(req);
    const headers: Record<string, string> = { "Cache-Control": "no-store", ...(isNew ? { "Set-Cookie": `cart=${token}; Path=/; SameSite=Lax; HttpOnly` } : {}) };
    if (action === ".js") {
      if (method !== "GET") return send(res, 405, "text/plain; charset=utf-8", "Method not allowed", { Allow: "GET", ...headers });
      return send(res, 200, "application/json; charset=utf-8", JSON.stringify(cartJson(lines)), headers);
    }
    if (method !== "POST") return send(res, 405, "text/plain; charset=utf-8", "Method not allowed", { Allow: "POST", ...headers });
    const text = (await readBody(req)).toString("utf8");
    let wanted: { id: number; quantity: number }[] = [];
    try {
      const body = (req.headers["content-type"] ?? "").includes("json") ? JSON.parse(text) : Object.fromEntries(new URLSearchParams(text));
      const list = Array.isArray(body.items) ? body.items : [body];
      wanted = list.map((item: { id?: unknown; quantity?: unknown }) => ({ id: Number(item.id), quantity: item.quantity === undefined ? 1 : Number(item.quantity) }));
    } catch {
      return send(res, 400, "application/json; charset=utf-8", JSON.stringify({ status: 400, message: "Bad request", description: "Not JSON." }), headers);
    }
    const unknown = wanted.find((w) => !STOREFRONT_PRODUCTS.some((p) => p.variantId === w.id) || !Number.isInteger(w.quantity) || w.quantity < 1);
    if (unknown || wanted.length === 0) {
      return send(res, 422, "application/json; charset=utf-8", JSON.stringify({ status: 422, message: "Cart Error", description: "Cannot find variant" }), headers);
    }
    for (const w of wanted) lines.set(w.id, (lines.get(w.id) ?? 0) + w.quantity);
    if (action === "/add") {
      // Back to the page the form was on, as a theme's product form does.
      const referer = req.headers.referer ? new URL(req.headers.referer, "http://storefront.local") : null;
      return send(res, 303, "text/plain; charset=utf-8", "", { Location: referer ? referer.pathname : "/", ...headers });
    }
    const added = cartJson(lines).items.filter((item) => wanted.some((w) => w.id === item.id));
    return send(res, 200, "application/json; charset=utf-8", JSON.stringify(added.length === 1 ? added[0] : { items: added }), headers);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://storefront.local");
    const method = req.method ?? "GET";

    const proxyMatch = PROXY_PATH.exec(url.pathname);
    if (proxyMatch) return forward(req, res, proxyMatch[1] ?? "", url.search);

    const cartMatch = CART_PATH.exec(url.pathname);
    if (cartMatch) return cart(req, res, cartMatch[1], method);

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
      cartCount: cartJson(carts.get(cookie(req, "cart") ?? "") ?? new Map()).item_count,
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
