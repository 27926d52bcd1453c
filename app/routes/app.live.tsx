import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { subscribeToShop, type LiveEvent } from "../services/live/events.server";
import { currentStaff } from "../models/staff.server";
import { touchPresence } from "../models/presence.server";

const HEARTBEAT_MS = 20_000;

/** An SSE frame: the event's kind and its ticket, nothing more (pages read what they show through their loaders). */
export function liveFrame(event: Pick<LiveEvent, "kind" | "ticketId" | "actor">): string {
  const data = event.actor ? { ticketId: event.ticketId, actor: event.actor } : { ticketId: event.ticketId };
  return `event: ${event.kind}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * GET /app/live: the shop's ticket changes as a stream of server-sent events, for the admin's open
 * pages (app/components/live.ts reads it with App Bridge's fetch, which carries the session token).
 * Only the signed-in shop's events are sent; the stream ends when the page goes.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const shop = session.shop;
  // An open admin page keeps its staff member on the desk (for the storefront chat's "online").
  const staff = await currentStaff(request, shop, sessionToken);
  const present = () => void touchPresence(shop, staff).catch((error) => console.warn("live: could not record presence", error));
  present();
  const encoder = new TextEncoder();
  let stop = () => undefined as void;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const send = (text: string) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      const unsubscribe = await subscribeToShop(shop, (event) => send(liveFrame(event)));
      const heartbeat = setInterval(() => {
        send(": still here\n\n");
        present();
      }, HEARTBEAT_MS);
      heartbeat.unref();
      stop = () => {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed by the reader
        }
      };
      if (request.signal.aborted) return stop();
      request.signal.addEventListener("abort", () => stop());
      // Listening from here on: the page reads afresh once, for whatever changed while it connected.
      send(`retry: 2000\n${liveFrame({ kind: "resync", ticketId: null })}`);
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      // no-transform: the server's compression would otherwise hold frames back.
      "Cache-Control": "no-store, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
};
