import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { chatMessages, touchVisitor, type ChatMessageView } from "../../models/chat.server";
import { subscribeToShop, type LiveEvent } from "../live/events.server";
import { wakeWorker } from "../worker.server";
import {
  updateChatContext,
  allowedChatOrigins,
  chatState,
  checkChatToken,
  conversationView,
  currentConversation,
  parseSince,
  sendChatMessage,
  visitorSeen,
  visitorTyping,
} from "./chat.server";

/**
 * The storefront chat's direct connection: a WebSocket on the app's own origin (GET /chat/socket,
 * upgraded in server.mjs), opened with the short-lived token the App Proxy issued, from the shop's
 * own storefront only. It carries the same intents as POST /apps/support/chat and pushes what the
 * agent does: new messages, typing, seen, status. Messages come from the database after each
 * event, never from the event itself, so a process that missed one sends them at the next.
 */

/** Close codes the widget acts on. */
export const CLOSE_TOKEN = 4401; // get a new token through the proxy, then reconnect
export const CLOSE_ORIGIN = 4403; // not from the shop's storefront: use the proxy instead
export const CLOSE_FLOOD = 4429;

const PING_MS = 30_000;
const TOUCH_MS = 60_000;
const TYPING_EVERY_MS = 2_000;
const FRAMES_PER_10S = 40;

const server = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024, perMessageDeflate: false, clientTracking: false });
const connections = new Set<WebSocket>();

export const openChatConnections = () => connections.size;

function closeWith(socket: Duplex, request: IncomingMessage, head: Buffer, code: number, reason: string) {
  server.handleUpgrade(request, socket, head, (ws) => ws.close(code, reason));
}

/** server.mjs hands every upgrade of /chat/socket here. */
export async function handleChatUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  socket.on("error", () => socket.destroy());
  try {
    const url = new URL(request.url ?? "/", "http://localhost");
    const check = checkChatToken(url.searchParams.get("token") ?? "");
    if (!check.ok) return closeWith(socket, request, head, CLOSE_TOKEN, check.reason);
    const origin = request.headers.origin ?? "";
    if (!(await allowedChatOrigins(check.shop)).has(origin)) return closeWith(socket, request, head, CLOSE_ORIGIN, "origin");
    server.handleUpgrade(request, socket, head, (ws) => serve(ws, check.shop, check.visitorHash, check.customerId));
  } catch (error) {
    console.warn("chat: could not open a connection", error);
    socket.destroy();
  }
}

function serve(ws: WebSocket, shop: string, visitorHash: string, customerId: string | null) {
  connections.add(ws);
  let ticketId: string | null = null;
  let conversationId: string | null = null;
  let cursor: Date | null = null;
  // Ids already sent on this connection: a message is never sent twice, whatever the events' order.
  const sent = new Set<string>();
  let pulling: Promise<void> | null = null;
  let pullAgain = false;
  let frames = 0;
  let lastTyping = 0;
  let alive = true;
  let hello = false;

  const send = (frame: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  const fresh = (messages: ChatMessageView[]) => {
    const out = messages.filter((m) => !sent.has(m.id));
    for (const m of out) sent.add(m.id);
    if (sent.size > 2000) for (const id of [...sent].slice(0, 1000)) sent.delete(id);
    const newest = messages[messages.length - 1];
    if (newest) cursor = new Date(newest.at);
    return out;
  };

  // One read of new messages at a time; events arriving meanwhile ask for one more.
  const pull = () => {
    if (!ticketId) return;
    if (pulling) {
      pullAgain = true;
      return;
    }
    pulling = (async () => {
      do {
        pullAgain = false;
        const messages = fresh(await chatMessages(shop, ticketId!, cursor));
        if (messages.length > 0) send({ t: "messages", messages });
      } while (pullAgain);
    })()
      .catch((error) => console.warn("chat: could not read messages", error))
      .finally(() => {
        pulling = null;
      });
  };

  let conversationReads = 0;
  let conversationSent = 0;
  const onEvent = (event: LiveEvent) => {
    if (event.kind === "resync") return void pull();
    if (!ticketId || event.ticketId !== ticketId) return;
    if (event.kind === "ticket.message" || event.kind === "ticket.created") return void pull();
    if (event.kind === "chat.typing" && event.actor && event.actor !== "shopper") return send({ t: "typing", name: event.actor.trim().split(/\s+/)[0] });
    if (event.kind === "chat.seen" && event.actor && event.actor !== "shopper") return send({ t: "seen", at: new Date().toISOString() });
    if (event.kind === "ticket.updated") {
      // Reads of the conversation run side by side: one started earlier that ends later is stale
      // (it would show a status already changed again), so only a newer read than the last sent is sent.
      const read = ++conversationReads;
      void currentConversation(shop, visitorHash)
        .then((c) => {
          if (read < conversationSent || !c || c.ticketId !== ticketId) return;
          conversationSent = read;
          send({ t: "conversation", conversation: conversationView(c) });
        })
        .catch(() => undefined);
    }
  };

  // Listening starts now; frames are taken at once (a hello waits for the listening, so nothing
  // that happens between its read and the first event is missed).
  const subscribed = subscribeToShop(shop, onEvent);
  const ping = setInterval(() => {
    if (!alive) return ws.terminate();
    alive = false;
    ws.ping();
  }, PING_MS);
  const touch = setInterval(() => {
    if (conversationId) void touchVisitor(shop, conversationId).catch(() => undefined);
  }, TOUCH_MS);
  const floodWindow = setInterval(() => (frames = 0), 10_000);
  ws.on("pong", () => (alive = true));
  ws.on("error", () => ws.terminate());
  ws.on("close", () => {
    connections.delete(ws);
    clearInterval(ping);
    clearInterval(touch);
    clearInterval(floodWindow);
    void subscribed.then((unsubscribe) => unsubscribe()).catch(() => undefined);
  });

  ws.on("message", (data, isBinary) => {
    if (++frames > FRAMES_PER_10S) return ws.close(CLOSE_FLOOD, "too many messages");
    let frame: Record<string, unknown>;
    try {
      const parsed: unknown = isBinary ? null : JSON.parse(String(data));
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
      frame = parsed as Record<string, unknown>;
    } catch {
      return send({ t: "error", error: "invalid", errors: { frame: "Send a JSON object." } });
    }
    void handle(frame).catch((error) => {
      console.warn("chat: a frame failed", error);
      send({ t: "error", clientId: typeof frame.clientId === "string" ? frame.clientId : undefined, error: "failed" });
    });
  });

  async function handle(frame: Record<string, unknown>) {
    switch (frame.t) {
      case "hello": {
        hello = true;
        await subscribed;
        const state = await chatState(shop, visitorHash, customerId, parseSince(frame.since));
        const conversation = await currentConversation(shop, visitorHash);
        ticketId = conversation?.ticketId ?? null;
        conversationId = conversation?.id ?? null;
        return send({ t: "state", ...state, messages: fresh(state.messages) });
      }
      case "send": {
        const input: Record<string, unknown> = {};
        for (const key of ["clientId", "body", "name", "email", "locale", "pagePath"]) if (typeof frame[key] === "string") input[key] = frame[key];
        const result = await sendChatMessage(shop, visitorHash, input, customerId);
        if (!result.ok)
          return send({ t: "error", clientId: input.clientId, error: result.error, ...(result.error === "invalid" ? { errors: result.errors } : {}) });
        wakeWorker();
        if (!ticketId) {
          const conversation = await currentConversation(shop, visitorHash);
          ticketId = conversation?.ticketId ?? null;
          conversationId = conversation?.id ?? null;
        }
        sent.add(result.message.id);
        return send({ t: "ack", clientId: input.clientId, message: result.message, conversation: result.conversation, offline: result.offline });
      }
      case "typing": {
        const now = Date.now();
        if (now - lastTyping < TYPING_EVERY_MS) return;
        lastTyping = now;
        return visitorTyping(shop, visitorHash);
      }
      case "seen":
        return visitorSeen(shop, visitorHash);
      case "context": {
        const result = await updateChatContext(shop, visitorHash, { pagePath: frame.pagePath, cart: frame.cart });
        if (!result.ok && result.error === "invalid") send({ t: "error", error: "invalid", errors: result.errors });
        return;
      }
      case "ping":
        return send({ t: "pong" });
      default:
        return send({ t: "error", error: "invalid", errors: { t: hello ? "Unknown frame." : "Say hello first." } });
    }
  }
}

/** Ends every chat connection (shutdown): the widgets reconnect, to another process if there is one. */
export function closeChatConnections(): void {
  for (const ws of connections) ws.close(1012, "restarting");
}
