import "@shopify/shopify-app-remix/adapters/node";
import {
  AppDistribution,
  shopifyApp,
} from "@shopify/shopify-app-remix/server";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import prisma from "./db.server";
import { env } from "./env.server";
import { adminFetch } from "./shopify/admin-origin.server";
import { apiVersion } from "./shopify/api-version";
import { recordInstall } from "./models/shop.server";
import { requestFullSync } from "./services/sync/bulk.server";
import { scheduleRetention } from "./services/retention/retention.server";

// Every request the Shopify library makes goes through the admin-origin seam.
setAbstractFetchFunc(adminFetch);

const config = env();

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion,
  scopes: config.SCOPES?.split(",").map((s) => s.trim()).filter(Boolean),
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new PrismaSessionStorage(prisma),
  distribution: AppDistribution.AppStore,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
  },
  hooks: {
    afterAuth: async ({ session, admin }) => {
      await recordInstall(session.shop, admin.graphql, session.scope);
      // The first sync: once per shop; webhooks and reconciliation keep it current after that.
      await requestFullSync(session.shop, "install");
      await scheduleRetention(session.shop);
    },
  },
  ...(config.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [config.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export { apiVersion };
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
