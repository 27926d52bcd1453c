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
export const changesPage = (message: LiveMessage) =>
  message.kind !== "chat.typing" && message.kind !== "ticket.viewing" && message.kind !== "ticket.joined" && !(message.kind === "chat.seen" && message.actor !== "shopper");

const ALERTS_KEY = "sd-chat-alerts";

/** This browser's choice: a sound and a notification when a shopper starts a chat. */
export function chatAlertsOn(): boolean {
  try {
    return localStorage.getItem(ALERTS_KEY) === "on";
  } catch {
    return false;
  }
}

export function setChatAlerts(on: boolean) {
  try {
    localStorage.setItem(ALERTS_KEY, on ? "on" : "off");
  } catch {
    // storage unavailable: the choice lasts for this page only
  }
  if (on && typeof Notification !== "undefined" && Notification.permission === "default") void Notification.requestPermission();
}

/** A short two-note chime (no audio file to load), and the browser's notification when allowed. */
export function alertNewChat() {
  try {
    const audio = new AudioContext();
    for (const [i, frequency] of [660, 880].entries()) {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.15, audio.currentTime + i * 0.15);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + i * 0.15 + 0.14);
      tone.connect(gain).connect(audio.destination);
      tone.start(audio.currentTime + i * 0.15);
      tone.stop(audio.currentTime + i * 0.15 + 0.15);
    }
    setTimeout(() => void audio.close(), 1_000);
  } catch {
    // no audio in this browser
  }
  if (typeof Notification !== "undefined" && Notification.permission === "granted" && document.visibilityState !== "visible") {
    new Notification("New chat", { body: "A shopper started a chat on the storefront.", tag: "support-desk-chat" });
  }
}
