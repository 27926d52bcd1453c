import { createContext, useContext, useEffect, useRef } from "react";

export interface LiveMessage {
  kind: string;
  ticketId: string | null;
  /** chat.typing, chat.seen: "shopper" or the staff member's name. */
  actor?: string | null;
}

const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/** Splits a chunk of a server-sent event stream into complete frames; returns them and what is left over. */
export function parseFrames(buffer: string): { messages: LiveMessage[]; rest: string } {
  const messages: LiveMessage[] = [];
  const frames = buffer.replace(/\r\n/g, "\n").split("\n\n");
  const rest = frames.pop() ?? "";
  for (const frame of frames) {
    let kind = "message";
    let data = "";
    for (const line of frame.split("\n")) {
      if (line.startsWith("event:")) kind = line.slice(6).trim();
      else if (line.startsWith("data:")) data += line.slice(5).trim();
    }
    if (!data) continue; // a comment (heartbeat) or retry hint
    try {
      const parsed = JSON.parse(data) as { ticketId?: unknown; actor?: unknown };
      const message: LiveMessage = { kind, ticketId: typeof parsed.ticketId === "string" ? parsed.ticketId : null };
      if (typeof parsed.actor === "string") message.actor = parsed.actor;
      messages.push(message);
    } catch {
      // not ours
    }
  }
  return { messages, rest };
}

/**
 * Listens to /app/live while the component is mounted and calls `onMessage` for each of the shop's
 * ticket changes. App Bridge's fetch adds the session token. A dropped stream is opened again with
 * backoff; each (re)connection starts with a "resync" message, for what changed meanwhile.
 */
export function useLiveTickets(onMessage: (message: LiveMessage) => void) {
  const handler = useRef(onMessage);
  handler.current = onMessage;
  useEffect(() => {
    let stopped = false;
    let controller: AbortController | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let delay = RETRY_MIN_MS;

    async function connect() {
      controller = new AbortController();
      try {
        const response = await fetch("/app/live", { headers: { Accept: "text/event-stream" }, signal: controller.signal, cache: "no-store" });
        if (!response.ok || !response.body) throw new Error(`live updates answered ${response.status}`);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          delay = RETRY_MIN_MS;
          const { messages, rest } = parseFrames(buffer + value);
          buffer = rest;
          for (const message of messages) handler.current(message);
        }
      } catch {
        // dropped, refused or aborted: tried again below unless the page is gone
      }
      if (stopped) return;
      retry = setTimeout(() => void connect(), delay);
      delay = Math.min(delay * 2, RETRY_MAX_MS);
    }

    void connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      controller?.abort();
    };
  }, []);
}

/** The layout's one stream, shared with the pages that want its events (typing on a ticket). */
export interface LiveEvents {
  subscribe(listener: (message: LiveMessage) => void): () => void;
}

export const LiveEventsContext = createContext<LiveEvents | null>(null);

/** Calls `onMessage` with every live event while the component is mounted (nothing outside the app layout). */
export function useLiveEvent(onMessage: (message: LiveMessage) => void) {
  const events = useContext(LiveEventsContext);
  const handler = useRef(onMessage);
  handler.current = onMessage;
  useEffect(() => events?.subscribe((message) => handler.current(message)), [events]);
}

/** Kinds that change what a page shows (typing does not: it is drawn from the event itself). */
export const changesPage = (message: LiveMessage) => message.kind !== "chat.typing" && !(message.kind === "chat.seen" && message.actor !== "shopper");
