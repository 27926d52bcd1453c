import { z } from "zod";
import prisma from "../db.server";
import { env } from "../env.server";
import { adminFetch } from "../shopify/admin-origin.server";
import type { Staff } from "../services/tickets/tickets.server";

/**
 * Who is working the desk. The session token names the staff member by id only; their name
 * comes once from an online-token exchange (associated_user) and is kept per shop, so tickets
 * show "Alex Moreau" rather than a number. If Shopify cannot say, the id stands in.
 */

const OnlineGrant = z.object({
  associated_user: z.object({
    id: z.union([z.number(), z.string()]),
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
    email: z.string().nullish(),
  }),
});

function rawSessionToken(request: Request): string | null {
  const bearer = request.headers.get("authorization")?.match(/^Bearer (.+)$/i)?.[1];
  return bearer ?? new URL(request.url).searchParams.get("id_token");
}

async function exchangeForUser(shop: string, token: string) {
  const config = env();
  const response = await adminFetch(`https://${shop}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({
      client_id: config.SHOPIFY_API_KEY,
      client_secret: config.SHOPIFY_API_SECRET,
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: token,
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: "urn:shopify:params:oauth:token-type:online-access-token",
    }),
  });
  if (!response.ok) return null;
  const parsed = OnlineGrant.safeParse(await response.json());
  return parsed.success ? parsed.data.associated_user : null;
}

/** The staff member making this request, by the session token's `sub`. */
export async function currentStaff(request: Request, shop: string, sessionToken: { sub?: unknown } | undefined): Promise<Staff> {
  const userId = sessionToken?.sub ? String(sessionToken.sub) : "unknown";
  const known = await prisma.staffMember.findUnique({ where: { shop_userId: { shop, userId } } });
  if (known) return { id: userId, name: known.name };
  const token = rawSessionToken(request);
  const user = token && userId !== "unknown" ? await exchangeForUser(shop, token).catch(() => null) : null;
  if (!user) return { id: userId, name: `Staff member ${userId}` };
  const name = [user.first_name, user.last_name].filter(Boolean).join(" ").trim() || user.email || `Staff member ${userId}`;
  await prisma.staffMember.upsert({
    where: { shop_userId: { shop, userId } },
    create: { shop, userId, name, email: user.email ?? null },
    update: { name, email: user.email ?? null },
  });
  return { id: userId, name };
}

/** Everyone who has worked the desk, for the assignee picker. */
export function staffMembers(shop: string) {
  return prisma.staffMember.findMany({ where: { shop }, orderBy: { name: "asc" }, select: { userId: true, name: true } });
}
