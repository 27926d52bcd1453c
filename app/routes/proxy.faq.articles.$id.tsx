import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { proxyRequest } from "../services/storefront/proxy.server";
import { rowId } from "../services/input.server";
import { storefrontArticle, storefrontLocale, validVisitId } from "../services/faq/storefront.server";

/** GET /apps/support/faq/articles/:id?locale=…: one published article, its view counted. */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const context = await proxyRequest(request, { capacity: 60, refillPerMinute: 60 });
  if (context instanceof Response) return context;
  const id = rowId(params.id);
  if (id === null) return json({ error: "not_found" }, { status: 404 });
  const url = new URL(request.url);
  const article = await storefrontArticle(context.shop, id, storefrontLocale(url.searchParams.get("locale")), validVisitId(url.searchParams.get("visit")));
  if (!article) return json({ error: "not_found" }, { status: 404 });
  return json(article, { headers: { "Cache-Control": "private, no-store" } });
};
