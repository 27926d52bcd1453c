import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import {
  buildClientSchema,
  GraphQLError,
  NoDeprecatedCustomRule,
  GraphQLScalarType,
  parse,
  specifiedRules,
  validate,
  type GraphQLSchema,
  type IntrospectionQuery,
} from "graphql";
import { ADMIN_API_VERSION } from "../../../app/shopify/api-version";

/** Shopify's published Admin schema for the app's API version (introspection, gzipped). */
export const ADMIN_SCHEMA_FILE = fileURLToPath(new URL(`../schema/admin_${ADMIN_API_VERSION}.json.gz`, import.meta.url));

/**
 * The Admin versions kept beside the app's own (schema/versions.json, written by refresh.sh from
 * the same ADMIN_API_VERSION): the published version before it and `unstable`, whose schemas live
 * in schema/compat/ so that the emulator serves only the app's version.
 */
export interface SchemaVersions {
  current: string;
  previous: string;
  unstable: string;
  source: string;
}

export function schemaVersions(): SchemaVersions {
  return JSON.parse(readFileSync(fileURLToPath(new URL("../schema/versions.json", import.meta.url)), "utf8")) as SchemaVersions;
}

/** The introspection file of an Admin version: the app's own, or one of schema/compat/. */
export function adminSchemaFile(version: string): string {
  if (version === ADMIN_API_VERSION) return ADMIN_SCHEMA_FILE;
  return fileURLToPath(new URL(`../schema/compat/admin_${version}.json.gz`, import.meta.url));
}

const cached = new Map<string, GraphQLSchema>();

/** The real Admin schema (the app's version unless told). ~10 MB of JSON, so each is built once per process. */
export function loadAdminSchema(version: string = ADMIN_API_VERSION): GraphQLSchema {
  const known = cached.get(version);
  if (known) return known;
  const json = JSON.parse(gunzipSync(readFileSync(adminSchemaFile(version))).toString("utf8")) as { data: IntrospectionQuery };
  const schema = buildClientSchema(json.data, { assumeValid: true });
  serializeLikeShopify(schema);
  cached.set(version, schema);
  return schema;
}

/**
 * A client schema's custom scalars pass values through unchanged. Shopify sends 64-bit integers as
 * strings ("numberOfOrders": "3"), so records may keep plain numbers and still answer as Shopify does.
 */
function serializeLikeShopify(schema: GraphQLSchema) {
  const unsigned64 = schema.getType("UnsignedInt64");
  if (unsigned64 instanceof GraphQLScalarType) {
    unsigned64.serialize = (value: unknown) => (typeof value === "number" || typeof value === "bigint" ? String(value) : value);
  }
}

export interface ValidateOptions {
  /** The Admin version to validate against (default: the app's). */
  version?: string;
  /** Also report every deprecated field, argument, input field and enum value used (Shopify itself accepts them). */
  noDeprecated?: boolean;
}

/** Parse errors, or every validation error against the Admin schema (graphql-js wording). */
export function validateDocument(source: string, options: ValidateOptions = {}): readonly GraphQLError[] {
  let document;
  try {
    document = parse(source);
  } catch (error) {
    if (error instanceof GraphQLError) return [error];
    throw error;
  }
  const rules = options.noDeprecated ? [...specifiedRules, NoDeprecatedCustomRule] : specifiedRules;
  return validate(loadAdminSchema(options.version), document, rules);
}
