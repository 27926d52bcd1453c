import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { unreadTicketCount } from "../models/ticket.server";

/** GET /app/unread: the Inbox item's count, read by pages that need nothing else when a ticket changes. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return json({ unread: await unreadTicketCount(session.shop) }, { headers: { "Cache-Control": "no-store" } });
};
