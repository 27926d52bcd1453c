import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { themeCheckRun } from "@shopify/theme-check-node";
import { describe, expect, it } from "vitest";

const EXTENSION_DIR = fileURLToPath(new URL("../../extensions/support-desk-help", import.meta.url));
const LOCALES_DIR = path.join(EXTENSION_DIR, "locales");
const BUDGET_BYTES = 10 * 1024;

type Tree = { [key: string]: string | Tree };

function readJson(file: string): Tree {
  return JSON.parse(readFileSync(file, "utf8")) as Tree;
}

function flatKeys(tree: Tree, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "string" ? [`${prefix}${key}`] : flatKeys(value, `${prefix}${key}.`),
  );
}

function liquidFiles(): { file: string; source: string }[] {
  return ["blocks", "snippets"].flatMap((dir) =>
    readdirSync(path.join(EXTENSION_DIR, dir))
      .filter((name) => name.endsWith(".liquid"))
      .map((name) => ({ file: `${dir}/${name}`, source: readFileSync(path.join(EXTENSION_DIR, dir, name), "utf8") })),
  );
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

  it("keeps help.js and help.css within the storefront budget", () => {
    const gzipped = ["help.js", "help.css"].map((name) => gzipSync(readFileSync(path.join(EXTENSION_DIR, "assets", name)), { level: 9 }).length);
    expect(gzipped[0] + gzipped[1]).toBeLessThanOrEqual(BUDGET_BYTES);
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
    expect(used.length).toBeGreaterThan(20);
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

  it("keeps human text out of help.js", () => {
    const script = readFileSync(path.join(EXTENSION_DIR, "assets", "help.js"), "utf8");
    expect(script).not.toMatch(/console\.log/);
    expect(script).not.toMatch(/Search our help center|Track my order|Something went wrong/);
  });
});
