import fs from "node:fs";
import path from "node:path";
import { getNamedType, isLeafType, isObjectType, type GraphQLSchema } from "graphql";
import { describe, expect, it } from "vitest";
import { ADMIN_API_VERSION } from "../../app/shopify/api-version";
import { loadAppConfig } from "../emulator/app-config";
import { loadAdminSchema, schemaVersions, validateDocument } from "../emulator/graphql/schema";
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

/**
 * A query selecting some deprecated field of the schema, whichever it is (the versions change):
 * a field of a Node type with no required argument, reached through `node(id:)`.
 */
function queryWithDeprecatedField(schema: GraphQLSchema): { query: string; field: string } {
  const nodeType = schema.getType("Node");
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || !type.getInterfaces().some((i) => i === nodeType)) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.deprecationReason == null || field.args.some((a) => a.type.toString().endsWith("!"))) continue;
      const selection = isLeafType(getNamedType(field.type)) ? field.name : `${field.name} { __typename }`;
      return { query: `query { node(id: "gid://shopify/${type.name}/1") { ... on ${type.name} { ${selection} } } }`, field: `${type.name}.${field.name}` };
    }
  }
  throw new Error("no deprecated field on any Node type of the schema");
}

describe("Admin GraphQL documents in app/", async () => {
  const documents = await appDocuments();
  const versions = schemaVersions();
  /** The app's version, the published one before it and unstable: an upgrade finds no surprise. */
  const checked = [versions.current, versions.previous, versions.unstable];

  it("keeps the schemas of the app's version (tests/emulator/schema/, from `npm run schema:refresh`) and shopify.app.toml on ADMIN_API_VERSION", () => {
    expect(versions.current, "run `npm run schema:refresh` after changing ADMIN_API_VERSION").toBe(ADMIN_API_VERSION);
    expect(versions.previous < versions.current).toBe(true);
    expect(versions.unstable).toBe("unstable");
    const toml = loadAppConfig(path.join(REPO_ROOT, "shopify.app.toml"), "https://example.com");
    expect(toml.webhooksApiVersion, "shopify.app.toml [webhooks] api_version").toBe(ADMIN_API_VERSION);
  });

  it("keeps every document in app/shopify/, where this test finds them", () => {
    const outside = filesWithDocuments().filter((file) => path.dirname(file) !== DOCUMENTS_DIR);
    expect(outside.map((file) => path.relative(REPO_ROOT, file))).toEqual([]);
  });

  it("finds the app's documents", () => {
    expect(documents.length).toBeGreaterThan(5);
  });

  it.each(documents.flatMap((d) => checked.map((version) => [d.name, version, d.source] as const)))(
    "%s validates against Shopify's %s schema, with no deprecated field or enum value",
    (_name, version, source) => {
      expect(validateDocument(source, { version, noDeprecated: true }).map((e) => e.message)).toEqual([]);
    },
  );

  it("the validator rejects a field Shopify does not have", () => {
    const errors = validateDocument("query { shop { name supportDeskRating } }");
    expect(errors.map((e) => e.message).join("\n")).toMatch(/supportDeskRating/);
  });

  it.each(checked)("the validator rejects a deprecated field of %s, and names Shopify's replacement", (version) => {
    const { query, field } = queryWithDeprecatedField(loadAdminSchema(version));
    expect(validateDocument(query, { version }).map((e) => e.message)).toEqual([]);
    const messages = validateDocument(query, { version, noDeprecated: true }).map((e) => e.message);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(`The field ${field} is deprecated.`);
  });

  it("the validator rejects a deprecated enum value", () => {
    // A deprecated value of an enum argument on the query root, found in the schema.
    const schema = loadAdminSchema();
    const root = schema.getQueryType()!;
    for (const field of Object.values(root.getFields())) {
      if (field.args.some((a) => a.type.toString().endsWith("!"))) continue;
      for (const arg of field.args) {
        const type = getNamedType(arg.type);
        if (!("getValues" in type) || typeof type.getValues !== "function") continue;
        const value = type.getValues().find((v) => v.deprecationReason != null);
        if (!value) continue;
        const leaf = isLeafType(getNamedType(field.type)) ? "" : " { __typename }";
        const query = `query { ${field.name}(${arg.name}: ${value.name})${leaf} }`;
        expect(validateDocument(query).map((e) => e.message)).toEqual([]);
        expect(validateDocument(query, { noDeprecated: true }).map((e) => e.message).join("\n")).toContain(
          `The enum value "${type.name}.${value.name}" is deprecated.`,
        );
        return;
      }
    }
    throw new Error("no deprecated enum value on a query-root argument");
  });
});
