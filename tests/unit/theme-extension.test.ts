import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
import { gzipSync } from "node:zlib";
import { themeCheckRun } from "@shopify/theme-check-node";
import { describe, expect, it } from "vitest";
import { renderStorefrontPage } from "../emulator/storefront/render";

const EXTENSION_DIR = fileURLToPath(new URL("../../extensions/support-desk-help", import.meta.url));
const LOCALES_DIR = path.join(EXTENSION_DIR, "locales");
const ASSETS_DIR = path.join(EXTENSION_DIR, "assets");
/** What every page loads before the panel opens (help.js + help.css), gzipped. */
const BUDGET_BYTES = 10 * 1024;
/** The embed's own markup in every page's HTML: the launcher and its data. */
const INLINE_BUDGET_BYTES = 3 * 1024;
const LANGUAGES = ["en", "sw", "et", "ta", "ro", "tr"];

type Tree = { [key: string]: string | Tree };

function readJson(file: string): Tree {
  return JSON.parse(readFileSync(file, "utf8")) as Tree;
}

function flatKeys(tree: Tree, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) => (typeof value === "string" ? [`${prefix}${key}`] : flatKeys(value, `${prefix}${key}.`)));
}

function liquidFiles(): { file: string; source: string }[] {
  return ["blocks", "snippets"].flatMap((dir) =>
    readdirSync(path.join(EXTENSION_DIR, dir))
      .filter((name) => name.endsWith(".liquid"))
      .map((name) => ({ file: `${dir}/${name}`, source: readFileSync(path.join(EXTENSION_DIR, dir, name), "utf8") })),
  );
}

/** The panel's text for one language, as strings-<lang>.js hands it to panel.js. */
function panelStrings(lang: string): Record<string, string> {
  const window: { SupportDesk?: { strings?: Record<string, string> } } = {};
  runInNewContext(readFileSync(path.join(ASSETS_DIR, `strings-${lang}.js`), "utf8"), { window });
  return window.SupportDesk!.strings!;
}

const gzipped = (names: string[]) => names.map((name) => gzipSync(readFileSync(path.join(ASSETS_DIR, name)), { level: 9 }).length).reduce((a, b) => a + b, 0);

/** The help button embed's HTML in a page of a shop with five top questions (up to </sd-help>). */
async function embedHtml(locale: string): Promise<string> {
  const questions = [
    "How long does delivery take?",
    "Can I return an item?",
    "Do you ship to Norway and Iceland?",
    "How do I change my delivery address?",
    "Which payment methods do you take?",
  ];
  const articles = questions.map((question, i) => ({ id: String(100 + i), question, answerHtml: `<p>${question}</p>`, answerText: question }));
  const value = {
    version: 1,
    defaultLocale: "en",
    responseTimeHours: 24,
    contact: { email: "help@shop.example", phone: "+372 555 0100", hours: { en: "Monday–Friday, 9:00–17:00 (Europe/Tallinn)" } },
    locales: { en: { categories: [{ id: "1", handle: "general", title: "General", articles }], top: articles.map(({ id, question }) => ({ id, question })) } },
  };
  const html = await renderStorefrontPage({
    extensionDir: EXTENSION_DIR,
    locale,
    shopName: "Tallinn Linen & Co",
    appMetafields: { support_desk: { storefront: { type: "json", value } } },
    locales: LANGUAGES,
  });
  const start = html.indexOf('<link rel="stylesheet" href="/extension-assets/help.css" media="print"');
  expect(start).toBeGreaterThan(0);
  return html.slice(start, html.indexOf("</sd-help>") + "</sd-help>".length);
}

const localeFiles = readdirSync(LOCALES_DIR);
const storefrontLocales = localeFiles.filter((name) => !name.includes(".schema.") && !name.includes(".default."));
const schemaLocales = localeFiles.filter((name) => name.includes(".schema.") && !name.includes(".default."));

describe("theme app extension support-desk-help", () => {
  it("passes theme-check in app-extension mode with no offenses", async () => {
    const { offenses, config } = await themeCheckRun(EXTENSION_DIR, path.join(EXTENSION_DIR, ".theme-check.yml"));
    expect(config.context).toBe("app");
    const report = offenses.map((o) => `${o.check} ${path.relative(EXTENSION_DIR, new URL(o.uri).pathname)}:${o.start.line + 1} ${o.message}`);
    expect(report).toEqual([]);
  });

  it("keeps what loads before the panel opens (help.js and help.css) within the storefront budget", () => {
    expect(gzipped(["help.js", "help.css"])).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it("writes only the launcher and a small escaped data payload into each page", async () => {
    for (const locale of ["en", "ta"]) {
      const embed = await embedHtml(locale);
      expect(Buffer.byteLength(embed), locale).toBeLessThanOrEqual(INLINE_BUDGET_BYTES);
      // No panel markup or text in the page: it is built when the panel first opens.
      expect(embed).not.toMatch(/<template|role="dialog"|Search our help center|Track my order/);
      const payload = /<script type="application\/json" data-sd-data>([\s\S]*?)<\/script>/.exec(embed);
      expect(payload).not.toBeNull();
      expect(JSON.parse(payload![1])).toMatchObject({
        proxy: "/apps/support",
        locale,
        panel: "/extension-assets/panel.js",
        track: true,
        contact: true,
        chat: true,
        customer: null,
        email: "help@shop.example",
        hours: "Monday–Friday, 9:00–17:00 (Europe/Tallinn)",
        top: expect.arrayContaining([{ id: "100", question: "How long does delivery take?" }]),
      });
    }
  });

  it("escapes the payload so no question can close its script element", async () => {
    const value = {
      defaultLocale: "en",
      contact: {},
      locales: { en: { categories: [], top: [{ id: "1", question: "Free </script><script>alert(1)</script> & fast?" }] } },
    };
    const html = await renderStorefrontPage({
      extensionDir: EXTENSION_DIR,
      locale: "en",
      shopName: "Shop",
      appMetafields: { support_desk: { storefront: { type: "json", value } } },
      locales: ["en"],
    });
    expect(html).not.toContain("<script>alert(1)");
    const payload = /<script type="application\/json" data-sd-data>([\s\S]*?)<\/script>/.exec(html)!;
    expect(JSON.parse(payload[1]).top[0].question).toBe("Free </script><script>alert(1)</script> & fast?");
  });

  it("ships the panel's text in all six languages, each with every key and placeholder of the English", () => {
    const en = panelStrings("en");
    expect(Object.keys(en).length).toBeGreaterThan(80);
    const placeholders = (text: string) => text.match(/\{\w+\}/g) ?? [];
    for (const lang of LANGUAGES.slice(1)) {
      const strings = panelStrings(lang);
      expect(Object.keys(strings).sort(), lang).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(en)) {
        expect(strings[key].trim(), `${lang}.${key}`).not.toBe("");
        expect(placeholders(strings[key]), `${lang}.${key}`).toEqual(placeholders(text));
      }
      // Translated, not English left in place.
      const same = Object.keys(en).filter((key) => strings[key] === en[key]);
      expect(same, lang).toEqual([]);
    }
  });

  it("loads the panel's assets, which exist, only from help.js", () => {
    const help = readFileSync(path.join(ASSETS_DIR, "help.js"), "utf8");
    for (const name of ["panel.css", "chat.js", "strings-"]) expect(help).toContain(name);
    for (const name of ["panel.js", "panel.css", "chat.js", ...LANGUAGES.map((lang) => `strings-${lang}.js`)]) {
      expect(readdirSync(ASSETS_DIR)).toContain(name);
    }
  });

  it("ships every storefront and schema locale the app supports", () => {
    expect(storefrontLocales.sort()).toEqual(["et.json", "ro.json", "sw.json", "ta.json", "tr.json"]);
    expect(schemaLocales.sort()).toEqual(["et.schema.json", "ro.schema.json", "sw.schema.json", "ta.schema.json", "tr.schema.json"]);
  });

  it.each(storefrontLocales)("%s has every storefront key of en.default.json", (name) => {
    const keys = flatKeys(readJson(path.join(LOCALES_DIR, name)));
    const missing = flatKeys(readJson(path.join(LOCALES_DIR, "en.default.json"))).filter((key) => !keys.includes(key));
    expect(missing).toEqual([]);
  });

  it.each(schemaLocales)("%s has every theme-editor key of en.default.schema.json", (name) => {
    const keys = flatKeys(readJson(path.join(LOCALES_DIR, name)));
    const missing = flatKeys(readJson(path.join(LOCALES_DIR, "en.default.schema.json"))).filter((key) => !keys.includes(key));
    expect(missing).toEqual([]);
  });

  it("translates every key the Liquid uses", () => {
    const keys = new Set(flatKeys(readJson(path.join(LOCALES_DIR, "en.default.json"))));
    // Snippets take locale keys as arguments too, so collect every quoted key, not only `| t` ones.
    const used = liquidFiles().flatMap(({ file, source }) =>
      [...source.matchAll(/'((?:help|faq)\.[\w.]+)'(?!\s*\|\s*asset_url)/g)].map((m) => ({ file, key: m[1] })),
    );
    expect(used.length).toBeGreaterThanOrEqual(4);
    expect(used.filter(({ key }) => !keys.has(key))).toEqual([]);
    const filtered = liquidFiles().flatMap(({ source }) => [...source.matchAll(/'([\w.]+)'\s*\|\s*t\b/g)].map((m) => m[1]));
    expect(filtered.filter((key) => !keys.has(key))).toEqual([]);
  });

  it("labels every schema field through t: keys that exist", () => {
    const keys = new Set(flatKeys(readJson(path.join(LOCALES_DIR, "en.default.schema.json"))));
    const blocks = liquidFiles().filter(({ file }) => file.startsWith("blocks/"));
    const refs: string[] = [];
    for (const { file, source } of blocks) {
      const schema = /\{%\s*schema\s*%\}([\s\S]*?)\{%\s*endschema\s*%\}/.exec(source);
      expect(schema, file).not.toBeNull();
      const collect = (node: unknown, key = ""): void => {
        if (typeof node === "string" && ["name", "label", "info"].includes(key)) {
          expect(node, `${file}: ${key} must be a t: key`).toMatch(/^t:/);
          refs.push(node.slice(2));
        } else if (node && typeof node === "object") {
          for (const [k, v] of Object.entries(node)) collect(v, Array.isArray(node) ? key : k);
        }
      };
      collect(JSON.parse(schema![1]));
    }
    expect(refs.length).toBeGreaterThan(10);
    expect(refs.filter((key) => !keys.has(key))).toEqual([]);
  });

  it.each(["help.js", "panel.js", "chat.js"])("keeps human text and innerHTML out of %s", (name) => {
    const script = readFileSync(path.join(ASSETS_DIR, name), "utf8");
    expect(script).not.toMatch(/console\.log/);
    expect(script).not.toMatch(/Search our help center|Track my order|Something went wrong|Chat with us|is typing/);
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
});
