/**
 * A stand-in for Shopify's theme renderer: renders the theme app extension's own block files
 * with liquidjs, inside a small demo theme page, the way an Online Store page would show them.
 * Only the Liquid objects and filters the extension uses are provided.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Liquid, TagToken, type TopLevelToken } from "liquidjs";

export type AppMetafields = Record<string, Record<string, { type: string; value: unknown }>>;

export interface RenderStorefrontPageOptions {
  extensionDir: string;
  locale: string;
  shopName: string;
  appMetafields: AppMetafields;
  embedSettings?: Record<string, unknown>;
  faqSettings?: Record<string, unknown>;
  /** Locales the switcher links to; the first one lives at "/". */
  locales: string[];
  /** What `request.origin` returns; defaults to a local address. */
  origin?: string;
  /** Items in the shopper's cart, for the header's cart link. */
  cartCount?: number;
}

interface SettingSchema {
  id?: string;
  type: string;
  default?: unknown;
}

export interface BlockSchema {
  name: string;
  target?: string;
  javascript?: string;
  stylesheet?: string;
  settings?: SettingSchema[];
}

export interface ExtensionBlock {
  /** The block's Liquid with the `{% schema %}` tag removed. */
  source: string;
  schema: BlockSchema;
}

const SCHEMA_TAG = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/;

const LANGUAGE_NAMES: Record<string, string> = {
  en: "English",
  sw: "Kiswahili",
  et: "Eesti",
  ta: "தமிழ்",
  ro: "Română",
  tr: "Türkçe",
};

export async function readBlock(extensionDir: string, name: string): Promise<ExtensionBlock> {
  const raw = await readFile(path.join(extensionDir, "blocks", `${name}.liquid`), "utf8");
  const match = SCHEMA_TAG.exec(raw);
  if (!match) throw new Error(`blocks/${name}.liquid has no {% schema %}`);
  return { source: raw.replace(SCHEMA_TAG, ""), schema: JSON.parse(match[1]) as BlockSchema };
}

/** Setting values as the theme editor would save them: schema defaults, then the merchant's choices. */
export function blockSettings(schema: BlockSchema, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const setting of schema.settings ?? []) {
    if (!setting.id) continue;
    settings[setting.id] = setting.default ?? (setting.type === "checkbox" ? false : null);
  }
  return { ...settings, ...overrides };
}

type Translations = Record<string, unknown>;

async function readJson(file: string): Promise<Translations | null> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as Translations;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** The storefront locale file for `locale`, then the default one, as Shopify falls back. */
async function loadTranslations(extensionDir: string, locale: string): Promise<Translations[]> {
  const dir = path.join(extensionDir, "locales");
  const fallback = (await readJson(path.join(dir, "en.default.json"))) ?? {};
  const own = locale === "en" ? null : await readJson(path.join(dir, `${locale}.json`));
  return own ? [own, fallback] : [fallback];
}

function lookup(tree: Translations, key: string): unknown {
  let node: unknown = tree;
  for (const part of key.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

/** Shopify's `json` filter: safe inside a <script> tag because <, > and & are escaped. */
export function shopifyJson(value: unknown): string {
  return (JSON.stringify(value ?? null) ?? "null")
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function metafieldValue({ type, value }: { type: string; value: unknown }): unknown {
  // Shopify hands Liquid a parsed object for json metafields, whichever form the app wrote.
  if (type === "json" && typeof value === "string") {
    try {
      return JSON.parse(value);
    } catch {
      return null;
    }
  }
  return value;
}

function liquidMetafields(metafields: AppMetafields) {
  const out: Record<string, Record<string, { type: string; value: unknown }>> = {};
  for (const [namespace, entries] of Object.entries(metafields)) {
    out[namespace] = {};
    for (const [key, field] of Object.entries(entries)) out[namespace][key] = { type: field.type, value: metafieldValue(field) };
  }
  return out;
}

export async function createExtensionEngine(extensionDir: string, locale: string): Promise<Liquid> {
  const engine = new Liquid({
    partials: path.join(extensionDir, "snippets"),
    extname: ".liquid",
    strictFilters: true,
    ownPropertyOnly: true,
  });
  const translations = await loadTranslations(extensionDir, locale);

  // LiquidDoc is documentation for theme-check; Shopify renders nothing for it.
  engine.registerTag("doc", {
    parse(_token: TagToken, remaining: TopLevelToken[]) {
      while (remaining.length > 0) {
        const token = remaining.shift();
        if (token instanceof TagToken && token.name === "enddoc") return;
      }
      throw new Error("{% doc %} is not closed");
    },
    render() {},
  });

  engine.registerFilter("t", (key: string, ...args: unknown[]) => {
    const named = Object.fromEntries(args.filter(Array.isArray) as [string, unknown][]);
    let value: unknown;
    for (const tree of translations) {
      value = lookup(tree, key);
      if (value !== undefined) break;
    }
    if (value && typeof value === "object" && "count" in named) {
      const forms = value as Record<string, string>;
      value = Number(named.count) === 1 ? (forms.one ?? forms.other) : forms.other;
    }
    if (typeof value !== "string") return `translation missing: ${locale}.${key}`;
    const text = value.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(named[name] ?? ""));
    // Shopify escapes translations unless the key says it holds HTML.
    return key.endsWith("_html") || key.endsWith(".html") ? text : escapeHtml(text);
  });
  engine.registerFilter("asset_url", (name: string) => `/extension-assets/${encodeURIComponent(name)}`);
  engine.registerFilter("json", shopifyJson);
  return engine;
}

interface RenderBlockInput {
  engine: Liquid;
  block: ExtensionBlock;
  id: string;
  settings: Record<string, unknown>;
  globals: Record<string, unknown>;
}

async function renderBlock({ engine, block, id, settings, globals }: RenderBlockInput): Promise<string> {
  return engine.parseAndRender(block.source, {}, { globals: { ...globals, block: { id, settings } } });
}

function languageSwitcher(locales: string[], current: string): string {
  const links = locales.map((locale, index) => {
    const href = index === 0 ? "/" : `/${locale}`;
    const name = LANGUAGE_NAMES[locale] ?? locale;
    const currentAttr = locale === current ? ' aria-current="true"' : "";
    return `<li><a href="${href}" hreflang="${locale}" lang="${locale}"${currentAttr}>${escapeHtml(name)}</a></li>`;
  });
  return `<nav class="theme-languages" aria-label="Language"><ul>${links.join("")}</ul></nav>`;
}

const THEME_CSS = `
  *, *::before, *::after { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans Tamil", sans-serif; color: #1c1d1f; background: #fbfaf7; }
  a { color: inherit; }
  .theme-header { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 12px; padding: 16px 32px; background: #fff; border-bottom: 1px solid #e3e1dc; }
  .theme-logo { font-size: 1.35rem; font-weight: 700; letter-spacing: .02em; text-decoration: none; }
  .theme-languages ul { display: flex; flex-wrap: wrap; gap: 4px; margin: 0; padding: 0; list-style: none; }
  .theme-languages a { display: block; padding: 4px 10px; border-radius: 999px; text-decoration: none; font-size: .9rem; }
  .theme-languages a[aria-current] { background: #1c1d1f; color: #fff; }
  .theme-hero { padding: 56px 32px; text-align: center; background: linear-gradient(135deg, #f3ede2, #e5efe9); }
  .theme-hero h1 { margin: 0 0 8px; font-size: 2.2rem; }
  .theme-hero p { margin: 0; color: #5c5f62; }
  .theme-section { max-width: 1100px; margin: 0 auto; padding: 40px 32px; }
  .theme-products { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 24px; margin: 0; padding: 0; list-style: none; }
  .theme-product { background: #fff; border: 1px solid #e3e1dc; border-radius: 12px; overflow: hidden; }
  .theme-product__image { aspect-ratio: 4 / 3; }
  .theme-product__body { padding: 14px 16px; }
  .theme-product__body h3 { margin: 0 0 4px; font-size: 1rem; }
  .theme-product__body p { margin: 0; color: #5c5f62; }
  .theme-add { margin-top: 10px; padding: 8px 14px; border: 1px solid #1f5f4f; border-radius: 8px; background: #fff; color: #1f5f4f; font: inherit; cursor: pointer; }
  .theme-cart { margin-left: 16px; color: inherit; }
  .theme-footer { padding: 32px; text-align: center; color: #5c5f62; border-top: 1px solid #e3e1dc; }
`;

/** The demo shop's products: what the grid shows and the cart sells (prices in cents, as Shopify's Ajax API gives them). */
export const STOREFRONT_PRODUCTS = [
  { variantId: 44012301, handle: "linen-overshirt", title: "Linen overshirt", variant: "M / Sand", priceMinor: 6800, colors: ["#d8c8ad", "#b79f7c"] },
  { variantId: 44012302, handle: "merino-beanie", title: "Merino beanie", variant: "Sage", priceMinor: 2900, colors: ["#9fb7a8", "#5f7f6d"] },
  { variantId: 44012303, handle: "canvas-tote", title: "Canvas tote", variant: null, priceMinor: 3500, colors: ["#e7d9c1", "#c7a978"] },
  { variantId: 44012304, handle: "wool-socks", title: "Wool socks, 2 pairs", variant: "39–42", priceMinor: 1800, colors: ["#c9a7a0", "#9b6b61"] },
];

const euros = (minor: number) => `€${(minor / 100).toFixed(2)}`;

function productGrid(): string {
  const items = STOREFRONT_PRODUCTS.map(
    (product) => `<li class="theme-product">
        <div class="theme-product__image" role="img" aria-label="${escapeHtml(product.title)}" style="background: linear-gradient(140deg, ${product.colors[0]}, ${product.colors[1]})"></div>
        <div class="theme-product__body"><h3>${escapeHtml(product.title)}</h3><p>${euros(product.priceMinor)}</p>
          <form method="post" action="/cart/add"><input type="hidden" name="id" value="${product.variantId}"><button type="submit" class="theme-add" aria-label="Add ${escapeHtml(product.title)} to cart">Add to cart</button></form>
        </div>
      </li>`,
  );
  return `<ul class="theme-products">${items.join("")}</ul>`;
}

/** A whole storefront page with the FAQ app block in a section and the help button embed. */
export async function renderStorefrontPage(opts: RenderStorefrontPageOptions): Promise<string> {
  const engine = await createExtensionEngine(opts.extensionDir, opts.locale);
  const [embed, faq] = await Promise.all([readBlock(opts.extensionDir, "help-button"), readBlock(opts.extensionDir, "faq")]);
  const rootUrl = opts.locale === opts.locales[0] ? "/" : `/${opts.locale}`;
  const globals = {
    request: { locale: { iso_code: opts.locale }, origin: opts.origin ?? "http://127.0.0.1" },
    routes: { root_url: rootUrl },
    shop: { name: opts.shopName },
    app: { metafields: liquidMetafields(opts.appMetafields) },
  };
  const [embedHtml, faqHtml] = await Promise.all([
    renderBlock({ engine, block: embed, id: "AYnVzZWxwX2J1dHRvbg__help_button", settings: blockSettings(embed.schema, opts.embedSettings), globals }),
    renderBlock({ engine, block: faq, id: "AZmFxX2Jsb2Nr__faq", settings: blockSettings(faq.schema, opts.faqSettings), globals }),
  ]);

  // Shopify loads each asset a block's schema names once per page: CSS in <head>, JS deferred.
  const blocks = [embed, faq];
  const stylesheets = [...new Set(blocks.map((b) => b.schema.stylesheet).filter((n): n is string => !!n))];
  const scripts = [...new Set(blocks.map((b) => b.schema.javascript).filter((n): n is string => !!n))];
  const assetUrl = (name: string) => `/extension-assets/${encodeURIComponent(name)}`;
  const shopName = escapeHtml(opts.shopName);

  return `<!doctype html>
<html lang="${escapeHtml(opts.locale)}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${shopName}</title>
  <style>${THEME_CSS}</style>
  <script>window.Shopify = { routes: { root: ${JSON.stringify(rootUrl.endsWith("/") ? rootUrl : `${rootUrl}/`)} } };</script>
  ${stylesheets.map((name) => `<link rel="stylesheet" href="${assetUrl(name)}">`).join("\n  ")}
  ${scripts.map((name) => `<script src="${assetUrl(name)}" defer></script>`).join("\n  ")}
</head>
<body>
  <header class="theme-header">
    <a class="theme-logo" href="${rootUrl}">${shopName}</a>
    ${languageSwitcher(opts.locales, opts.locale)}
    <a class="theme-cart" href="/cart.js">Cart (${opts.cartCount ?? 0})</a>
  </header>
  <main id="MainContent">
    <section class="theme-hero">
      <h1>${shopName}</h1>
      <p>Slow-made clothing and everyday goods.</p>
    </section>
    <section class="theme-section" aria-label="Featured products">
      ${productGrid()}
    </section>
    <section class="theme-section" id="shopify-section-faq">
      ${faqHtml}
    </section>
  </main>
  <footer class="theme-footer">© ${shopName}</footer>
  ${embedHtml}
</body>
</html>
`;
}
