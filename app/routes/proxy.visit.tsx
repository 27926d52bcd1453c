import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { proxyRequest } from "../services/storefront/proxy.server";
import { readInput, refusalBody } from "../services/input.server";
import { recordVisit, storefrontLocale, validVisitId } from "../services/faq/storefront.server";

/** POST /apps/support/visit {visit, locale}: the help panel was opened (for deflection). */
export const loader = () => json({ error: "method_not_allowed" }, { status: 405, headers: { Allow: "POST" } });

export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await proxyRequest(request, { capacity: 20, refillPerMinute: 20 });
  if (context instanceof Response) return context;
  const input = await readInput(request, { maxBytes: 16 * 1024 });
  if (!input.ok) return json(refusalBody(input), { status: input.status });
  const body = input.fields;
  const visitId = validVisitId(body.visit);
  if (!visitId) return json({ ok: false, errors: { visit: "invalid" } }, { status: 422 });
  await recordVisit(context.shop, visitId, storefrontLocale(body.locale));
  return json({ ok: true });
};
