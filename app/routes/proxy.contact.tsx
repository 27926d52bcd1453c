import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { proxyRequest } from "../services/storefront/proxy.server";
import { readInput, refusalBody } from "../services/input.server";
import { submitContactForm } from "../services/storefront/contact.server";
import { wakeWorker } from "../services/worker.server";
import { markVisitContacted, storefrontLocale, validVisitId } from "../services/faq/storefront.server";

/** POST /apps/support/contact (through the App Proxy): the shopper's question becomes a ticket. */
export const loader = () => json({ error: "method_not_allowed" }, { status: 405, headers: { Allow: "POST" } });

export const action = async ({ request }: ActionFunctionArgs) => {
  const context = await proxyRequest(request, { capacity: 5, refillPerMinute: 5 });
  if (context instanceof Response) return context;
  const input = await readInput(request, { maxBytes: 64 * 1024 });
  if (!input.ok) return json(refusalBody(input), { status: input.status });
  const body = input.fields;
  const result = await submitContactForm(context.shop, body, context.loggedInCustomerId);
  if (!result.ok) return json(result, { status: 422 });
  const visitId = validVisitId(body.visit);
  if (visitId && result.ticketNumber !== null) await markVisitContacted(context.shop, visitId, result.ticketId, storefrontLocale(body.locale));
  wakeWorker();
  const { ticketId: _internal, ...answer } = result;
  return json(answer);
};
