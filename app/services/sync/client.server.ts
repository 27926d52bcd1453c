import { createAdminClient, type AdminClient } from "../../shopify/admin-client.server";
import { offlineAccessToken } from "../../models/shop.server";

/** Thrown when the app holds no token for the shop (not installed, or uninstalled). */
export class NotInstalledError extends Error {
  constructor(shop: string) {
    super(`The app has no access token for ${shop}: open the app in the Shopify admin to install it again.`);
    this.name = "NotInstalledError";
  }
}

/** The throttle-aware Admin GraphQL client for background work on the shop. */
export async function adminClientForShop(shop: string): Promise<AdminClient> {
  const accessToken = await offlineAccessToken(shop);
  if (!accessToken) throw new NotInstalledError(shop);
  return createAdminClient({ shop, accessToken });
}
