/**
 * App-data metafields: metafields the app keeps on its own installation, which Liquid in a
 * theme app extension reads as `app.metafields.<namespace>.<key>`. The emulator keeps them
 * per shop, checks them as Shopify does (owner, type, JSON validity, the 128 KB JSON limit
 * from API 2026-04), and hands them to the demo storefront.
 */
import { createHash } from "node:crypto";
import type { ShopData } from "../store/types";

export interface AppMetafield {
  __typename: "Metafield";
  id: string;
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: string;
  updatedAt: string;
}

/** JSON metafield writes are limited to 128 KB from API version 2026-04. */
export const JSON_METAFIELD_MAX_BYTES = 128 * 1024;
const OTHER_METAFIELD_MAX_BYTES = 64 * 1024;
const SUPPORTED_TYPES = new Set(["json", "single_line_text_field", "multi_line_text_field", "boolean", "number_integer"]);

const byShop = new WeakMap<ShopData, Map<string, AppMetafield>>();

function fieldsOf(shop: ShopData): Map<string, AppMetafield> {
  let fields = byShop.get(shop);
  if (!fields) byShop.set(shop, (fields = new Map()));
  return fields;
}

export function appInstallationId(shop: ShopData): string {
  const n = parseInt(createHash("sha256").update(shop.info.myshopifyDomain).digest("hex").slice(0, 10), 16);
  return `gid://shopify/AppInstallation/${n}`;
}

export function currentAppInstallation(shop: ShopData) {
  return { __typename: "AppInstallation", id: appInstallationId(shop), metafields: undefined };
}

/** `AppInstallation.metafield(namespace, key)`: one of the app's own metafields, or null. */
export function appMetafield(shop: ShopData, namespace: string | null | undefined, key: string): AppMetafield | null {
  return fieldsOf(shop).get(`${namespace ?? "$app"}.${key}`) ?? null;
}

export function appMetafieldList(shop: ShopData): AppMetafield[] {
  return [...fieldsOf(shop).values()];
}

interface MetafieldsSetInput {
  ownerId: string;
  namespace?: string | null;
  key: string;
  type?: string | null;
  value: string;
}

interface UserError {
  field: string[];
  message: string;
  code: string;
}

/** `metafieldsSet`: all or nothing, as Shopify applies the list atomically. */
export function setMetafields(shop: ShopData, inputs: MetafieldsSetInput[], now: number) {
  if (inputs.length > 25) {
    return { metafields: null, userErrors: [{ field: ["metafields"], message: "Exceeded the maximum metafields input limit of 25.", code: "LESS_THAN_OR_EQUAL_TO" }] };
  }
  const errors: UserError[] = [];
  const owner = appInstallationId(shop);
  inputs.forEach((input, i) => {
    const at = (name: string) => ["metafields", String(i), name];
    if (input.ownerId !== owner) errors.push({ field: at("ownerId"), message: "Owner does not exist.", code: "INVALID" });
    const namespace = input.namespace ?? "$app";
    if (!/^[\w$-]{2,255}$/.test(namespace)) errors.push({ field: at("namespace"), message: "Namespace is invalid.", code: "INVALID" });
    if (!/^[\w-]{2,64}$/.test(input.key)) errors.push({ field: at("key"), message: "Key is invalid.", code: "INVALID" });
    const type = input.type ?? "";
    if (!SUPPORTED_TYPES.has(type)) errors.push({ field: at("type"), message: `Type '${type}' is not supported by the emulator.`, code: "INVALID_TYPE" });
    const bytes = Buffer.byteLength(input.value, "utf8");
    if (type === "json") {
      try {
        JSON.parse(input.value);
      } catch {
        errors.push({ field: at("value"), message: "Value is invalid JSON.", code: "INVALID_VALUE" });
      }
      if (bytes > JSON_METAFIELD_MAX_BYTES) errors.push({ field: at("value"), message: `Value exceeds the maximum size of ${JSON_METAFIELD_MAX_BYTES} bytes.`, code: "INVALID_VALUE" });
    } else if (bytes > OTHER_METAFIELD_MAX_BYTES) {
      errors.push({ field: at("value"), message: `Value exceeds the maximum size of ${OTHER_METAFIELD_MAX_BYTES} bytes.`, code: "INVALID_VALUE" });
    }
  });
  if (errors.length > 0) return { metafields: null, userErrors: errors };
  const fields = fieldsOf(shop);
  const stamp = new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z");
  const written = inputs.map((input) => {
    const namespace = input.namespace ?? "$app";
    const name = `${namespace}.${input.key}`;
    const existing = fields.get(name);
    const record: AppMetafield = {
      __typename: "Metafield",
      id: existing?.id ?? `gid://shopify/Metafield/${1_000_000 + fields.size + 1}`,
      namespace,
      key: input.key,
      type: input.type!,
      value: input.value,
      createdAt: existing?.createdAt ?? stamp,
      updatedAt: stamp,
    };
    fields.set(name, record);
    return record;
  });
  return { metafields: written, userErrors: [] };
}
