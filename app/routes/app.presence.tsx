import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { z } from "zod";
import { authenticate } from "../shopify.server";
import { readInput, refusalBody } from "../services/input.server";
import { currentStaff } from "../models/staff.server";
import { PRESENCE_STATUSES, setPresenceStatus } from "../models/presence.server";

export const loader = () => json({ error: "method_not_allowed" }, { status: 405, headers: { Allow: "POST" } });

/** POST /app/presence: the staff member sets themselves online (takes chats) or away. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const input = await readInput(request, { maxBytes: 1024 });
  if (!input.ok) return json(refusalBody(input), { status: input.status });
  const status = z.enum(PRESENCE_STATUSES).safeParse(input.fields.status);
  if (!status.success) return json({ ok: false, errors: { status: "Choose online or away." } }, { status: 422 });
  const staff = await currentStaff(request, session.shop, sessionToken);
  await setPresenceStatus(session.shop, staff, status.data);
  return json({ ok: true, status: status.data });
};
