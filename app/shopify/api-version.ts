import type { ApiVersion } from "@shopify/shopify-app-remix/server";

/**
 * The one Admin API version the app speaks; shopify.app.toml names the same (the documents test
 * checks it). An upgrade is this line, then `npm run schema:refresh` and the documents test.
 */
export const ADMIN_API_VERSION = "2026-10" as const;
/** The same version as @shopify/shopify-app-remix names it (a version it does not know fails to typecheck). */
export const apiVersion = (ADMIN_API_VERSION satisfies `${ApiVersion}`) as ApiVersion;
