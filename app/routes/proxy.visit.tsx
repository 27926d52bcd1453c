import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { proxyRequest, readBody } from "../services/storefront/proxy.server";
import { recordVisit, storefrontLocale, validVisitId } from "../services/faq/storefront.server";

/** POST /apps/support/visit {visit, locale}: the help panel was opened (for deflection). */
export const loader = () => json({ error: "method_not_allowed" }, { status: 405, headers: { Allow: "POST" } });

export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await proxyRequest(request, { capacity: 20, refillPerMinute: 20 });
  if (context instanceof Response) return context;
  const body = await readBody(request);
  const visitId = validVisitId(body?.visit);
  if (!body || !visitId) return json({ ok: false, errors: { visit: "invalid" } }, { status: 422 });
  await recordVisit(context.shop, visitId, storefrontLocale(body.locale));
  return json({ ok: true });
};
