import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { proxyRequest } from "../services/storefront/proxy.server";
import { readInput, refusalBody, rowId } from "../services/input.server";
import { validVisitId, voteArticle } from "../services/faq/storefront.server";

/** POST /apps/support/faq/articles/:id/vote {helpful, visit}: "Did this help?" */
export const loader = () => json({ error: "method_not_allowed" }, { status: 405, headers: { Allow: "POST" } });

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const context = await proxyRequest(request, { capacity: 30, refillPerMinute: 30 });
  if (context instanceof Response) return context;
  const input = await readInput(request, { maxBytes: 64 * 1024 });
  if (!input.ok) return json(refusalBody(input), { status: input.status });
  const body = input.fields;
  const id = rowId(params.id);
  const visitId = validVisitId(body.visit);
  const helpful = body.helpful === "true" ? true : body.helpful === "false" ? false : null;
  if (!visitId || helpful === null) return json({ ok: false, errors: { ...(visitId ? {} : { visit: "invalid" }), ...(helpful === null ? { helpful: "invalid" } : {}) } }, { status: 422 });
  if (id === null || !(await voteArticle(context.shop, id, visitId, helpful))) return json({ ok: false, errors: { article: "not_found" } }, { status: 404 });
  return json({ ok: true });
};
