import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import {
  buildClientSchema,
  GraphQLError,
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

let cached: GraphQLSchema | undefined;

/** The real Admin schema. ~10 MB of JSON, so it is built once per process. */
export function loadAdminSchema(): GraphQLSchema {
  if (cached) return cached;
  const json = JSON.parse(gunzipSync(readFileSync(ADMIN_SCHEMA_FILE)).toString("utf8")) as { data: IntrospectionQuery };
  const schema = buildClientSchema(json.data, { assumeValid: true });
  serializeLikeShopify(schema);
  cached = schema;
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

/** Parse errors, or every validation error against the Admin schema (graphql-js wording). */
export function validateDocument(source: string): readonly GraphQLError[] {
  let document;
  try {
    document = parse(source);
  } catch (error) {
    if (error instanceof GraphQLError) return [error];
    throw error;
  }
  return validate(loadAdminSchema(), document, specifiedRules);
}
