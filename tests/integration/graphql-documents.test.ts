import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validateDocument } from "../emulator/graphql/schema";
import { REPO_ROOT } from "../support/processes";

/** Every `#graphql` template literal in app/: the documents the app sends to Shopify. */
function appDocuments(): { file: string; source: string }[] {
  const found: { file: string; source: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|tsx)$/.test(entry.name)) {
        const text = fs.readFileSync(full, "utf8");
        for (const match of text.matchAll(/`\s*#graphql[ \t]*\n([\s\S]*?)`/g)) {
          found.push({ file: path.relative(REPO_ROOT, full), source: match[1] });
        }
      }
    }
  };
  walk(path.join(REPO_ROOT, "app"));
  return found;
}

describe("Admin GraphQL documents in app/", () => {
  const documents = appDocuments();

  it("finds the app's documents", () => {
    expect(documents.length).toBeGreaterThan(0);
  });

  it.each(documents.map((d) => [d.file, d.source] as const))("%s validates against Shopify's 2026-10 schema", (_file, source) => {
    expect(source, "documents are static strings, not interpolated").not.toContain("${");
    expect(validateDocument(source).map((e) => e.message)).toEqual([]);
  });

  it("the validator rejects a field Shopify does not have", () => {
    const errors = validateDocument("query { shop { name supportDeskRating } }");
    expect(errors.map((e) => e.message).join("\n")).toMatch(/supportDeskRating/);
  });
});
