import prisma from "../db.server";
import { SHOP_PROFILE_QUERY } from "../shopify/documents";
import { readGraphqlData, type AdminGraphql } from "../shopify/types";

interface ShopProfile {
  shop: {
    name: string;
    email: string;
    contactEmail: string | null;
    myshopifyDomain: string;
    ianaTimezone: string;
    currencyCode: string;
    primaryDomain: { url: string } | null;
    plan: { publicDisplayName: string } | null;
  };
}

/** After token exchange: remember the shop and what Shopify says about it. */
export async function recordInstall(shop: string, graphql: AdminGraphql, scopes: string | undefined) {
  const data = await readGraphqlData<ShopProfile>(await graphql(SHOP_PROFILE_QUERY), "ShopProfile");
  const profile = {
    name: data.shop.name,
    email: data.shop.contactEmail ?? data.shop.email,
    ianaTimezone: data.shop.ianaTimezone,
    currencyCode: data.shop.currencyCode,
    storefrontUrl: data.shop.primaryDomain?.url ?? null,
    scopes: scopes ?? null,
    uninstalledAt: null,
  };
  return prisma.shop.upsert({
    where: { shop },
    create: { shop, ...profile },
    update: profile,
  });
}

export function shopRecord(shop: string) {
  return prisma.shop.findUnique({ where: { shop } });
}

/** app/uninstalled: the shop's sessions go; its data stays until shop/redact. */
export async function recordUninstall(shop: string, at: Date) {
  await prisma.$transaction([
    prisma.session.deleteMany({ where: { shop } }),
    prisma.shop.updateMany({ where: { shop }, data: { uninstalledAt: at } }),
  ]);
}

/**
 * app/scopes_update: applied only when newer than what the app has (deliveries can
 * arrive out of order; the older one must not win). Returns whether it applied.
 */
export async function recordScopes(shop: string, scopes: string, updatedAt: Date): Promise<boolean> {
  const { count } = await prisma.shop.updateMany({
    where: { shop, OR: [{ scopesUpdatedAt: null }, { scopesUpdatedAt: { lt: updatedAt } }] },
    data: { scopes, scopesUpdatedAt: updatedAt },
  });
  if (count > 0) await prisma.session.updateMany({ where: { shop }, data: { scope: scopes } });
  return count > 0;
}

/** Whether the app is installed on the shop (a shop it has never seen counts as installed). */
export async function isShopInstalled(shop: string): Promise<boolean> {
  const row = await prisma.shop.findUnique({ where: { shop }, select: { uninstalledAt: true } });
  return !row?.uninstalledAt;
}

/**
 * The shop's row, fetched from Shopify when the app has none yet: on the very first
 * load, Shopify's afterAuth hook may still be running for a parallel request.
 */
export async function ensureShopRecord(shop: string, graphql: AdminGraphql, scopes: string | undefined) {
  return (await shopRecord(shop)) ?? recordInstall(shop, graphql, scopes);
}

/** The offline access token Shopify granted the shop (token exchange stores it), or null. */
export async function offlineAccessToken(shop: string): Promise<string | null> {
  const session = await prisma.session.findFirst({ where: { shop, isOnline: false }, select: { accessToken: true } });
  return session?.accessToken || null;
}

/** Installed shops in domain order, a page at a time (after the last one of the page before). */
export async function installedShops({ after, take }: { after?: string; take: number }): Promise<string[]> {
  const rows = await prisma.shop.findMany({
    where: { uninstalledAt: null, ...(after ? { shop: { gt: after } } : {}) },
    orderBy: { shop: "asc" },
    select: { shop: true },
    take,
  });
  return rows.map((r) => r.shop);
}
