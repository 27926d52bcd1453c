import { ApiVersion } from "@shopify/shopify-app-remix/server";

/** The one Admin API version the app speaks; shopify.app.toml names the same. */
export const ADMIN_API_VERSION = "2026-10" as const;
export const apiVersion = ApiVersion.October26;
