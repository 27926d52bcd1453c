import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { proxyRequest } from "../services/storefront/proxy.server";
import { badText } from "../services/input.server";
import { searchFaq, storefrontLocale, validVisitId } from "../services/faq/storefront.server";

/** GET /apps/support/faq/search?q=…&locale=…[&record=1][&visit=…]: instant FAQ answers. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const context = await proxyRequest(request, { capacity: 60, refillPerMinute: 60 });
  if (context instanceof Response) return context;
  const url = new URL(request.url);
  const query = url.searchParams.get("q") ?? "";
  if (query.length > 200) return json({ error: "query_too_long" }, { status: 422 });
  const problem = badText(query);
  if (problem) return json({ error: problem.error, message: `The search ${problem.message}.` }, { status: 422 });
  const result = await searchFaq(context.shop, {
    query,
    locale: storefrontLocale(url.searchParams.get("locale")),
    record: url.searchParams.get("record") === "1",
    visitId: validVisitId(url.searchParams.get("visit")),
  });
  return json(result, { headers: { "Cache-Control": "private, no-store" } });
};
