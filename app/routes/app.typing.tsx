import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { readInput, refusalBody } from "../services/input.server";
import { currentStaff } from "../models/staff.server";
import { publishTicketChange } from "../services/live/events.server";
import prisma from "../db.server";

export const loader = () => json({ error: "method_not_allowed" }, { status: 405, headers: { Allow: "POST" } });

/**
 * POST /app/typing: the staff member is writing a reply on this ticket (or, `what=viewing`, has it
 * open; `what=joined`, has just opened it). Told to the shop's other open pages of it, so two agents see each other before both
 * answer; typing on a chat reaches the shopper too. Nothing is stored.
 */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const shop = session.shop;
  const input = await readInput(request, { maxBytes: 1024 });
  if (!input.ok) return json(refusalBody(input), { status: input.status });
  const ticketId = input.fields.ticketId ?? "";
  const ticket =
    ticketId.length > 0 && ticketId.length <= 64
      ? await prisma.ticket.findFirst({ where: { shop, id: ticketId, redactedAt: null }, select: { id: true } })
      : null;
  if (!ticket) return json({ error: "not_found" }, { status: 404 });
  const staff = await currentStaff(request, shop, sessionToken);
  // "joined": the page just opened or its stream reconnected (the others answer with "viewing");
  // "viewing": the page is still open (every 20 s); otherwise the staff member is writing.
  const what = input.fields.what;
  await publishTicketChange(shop, what === "joined" ? "ticket.joined" : what === "viewing" ? "ticket.viewing" : "chat.typing", ticket.id, staff.name);
  return json({ ok: true });
};
