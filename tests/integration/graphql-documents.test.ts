import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validateDocument } from "../emulator/graphql/schema";
import { REPO_ROOT } from "../support/processes";

const DOCUMENTS_DIR = path.join(REPO_ROOT, "app", "shopify");

/** Every app/ source file that mentions `#graphql`. */
function filesWithDocuments(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|tsx)$/.test(entry.name) && fs.readFileSync(full, "utf8").includes("#graphql")) found.push(full);
    }
  };
  walk(path.join(REPO_ROOT, "app"));
  return found;
}

/**
 * The documents the app sends to Shopify: every exported string starting with `#graphql` in
 * app/shopify/. Documents are read as the app builds them (shared field lists included).
 */
async function appDocuments(): Promise<{ name: string; source: string }[]> {
  const documents: { name: string; source: string }[] = [];
  for (const file of filesWithDocuments()) {
    const module = (await import(file)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      if (typeof value === "string" && value.trimStart().startsWith("#graphql")) {
        documents.push({ name: `${path.relative(REPO_ROOT, file)} ${name}`, source: value });
      }
    }
  }
  return documents;
}

describe("Admin GraphQL documents in app/", async () => {
  const documents = await appDocuments();

  it("keeps every document in app/shopify/, where this test finds them", () => {
    const outside = filesWithDocuments().filter((file) => path.dirname(file) !== DOCUMENTS_DIR);
    expect(outside.map((file) => path.relative(REPO_ROOT, file))).toEqual([]);
  });

  it("finds the app's documents", () => {
    expect(documents.length).toBeGreaterThan(5);
  });

  it.each(documents.map((d) => [d.name, d.source] as const))("%s validates against Shopify's 2026-10 schema", (_name, source) => {
    expect(validateDocument(source).map((e) => e.message)).toEqual([]);
  });

  it("the validator rejects a field Shopify does not have", () => {
    const errors = validateDocument("query { shop { name supportDeskRating } }");
    expect(errors.map((e) => e.message).join("\n")).toMatch(/supportDeskRating/);
  });
});
