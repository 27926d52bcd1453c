import { databaseUrl, isPostgres } from "../../db-adapter";
import { listenForNotices, type DatabaseWakeups } from "../../jobs/database-wakeups.server";
import { notifyChannel } from "../../models/live-event.server";

/**
 * What an open admin page needs to hear: a shop's ticket changed. Each event names the shop and
 * the ticket; it carries no content, so the page reads what it shows through its own loader
 * (authenticated and scoped like any other read).
 */
export const LIVE_KINDS = ["ticket.created", "ticket.message", "ticket.updated", "ticket.read", "chat.typing", "chat.seen", "chat.context", "ticket.viewing", "ticket.joined", "resync"] as const;
export type LiveKind = (typeof LIVE_KINDS)[number];

export interface LiveEvent {
  shop: string;
  kind: LiveKind;
  ticketId: string | null;
  /** chat.typing, chat.seen, ticket.viewing, ticket.joined: who ("shopper", or the staff member's name); ticket.created: "chat" for a new chat. */
  actor?: string | null;
}

export const LIVE_CHANNEL = "support_desk_live";

type Listener = (event: LiveEvent) => void;

const listeners = new Map<string, Set<Listener>>();
let databaseListener: DatabaseWakeups | undefined;

function deliver(event: LiveEvent) {
  for (const listener of listeners.get(event.shop) ?? []) {
    try {
      listener(event);
    } catch (error) {
      console.warn("live events: a listener failed", error);
    }
  }
}

function parseNotice(payload: string): LiveEvent | null {
  try {
    const value = JSON.parse(payload) as Partial<LiveEvent>;
    if (typeof value.shop !== "string" || !LIVE_KINDS.includes(value.kind as LiveKind)) return null;
    return {
      shop: value.shop,
      kind: value.kind as LiveKind,
      ticketId: typeof value.ticketId === "string" ? value.ticketId : null,
      actor: typeof value.actor === "string" ? value.actor : null,
    };
  } catch {
    return null;
  }
}

/** On PostgreSQL every process hears every process's events through one LISTEN connection, opened with the first subscriber. */
function ensureDatabaseListener(): Promise<void> {
  const url = databaseUrl();
  if (!isPostgres(url)) return Promise.resolve();
  if (!databaseListener) {
    databaseListener = listenForNotices(process.env.DATABASE_LISTEN_URL || url, LIVE_CHANNEL, "live events", (payload) => {
      if (payload === undefined) {
        // (Re)connected: what was notified meanwhile is gone, so every page reads afresh.
        for (const shop of listeners.keys()) deliver({ shop, kind: "resync", ticketId: null });
        return;
      }
      const event = parseNotice(payload);
      if (event) deliver(event);
    });
  }
  return databaseListener.ready;
}

/**
 * Tells every open page of the shop, in any process, that a ticket changed. Called after the
 * change is committed; it never throws (the change stands; a page missing one event reads
 * afresh at its next event or reconnect).
 */
export async function publishTicketChange(shop: string, kind: Exclude<LiveKind, "resync">, ticketId: string | null, actor?: string): Promise<void> {
  const event: LiveEvent = actor === undefined ? { shop, kind, ticketId } : { shop, kind, ticketId, actor: actor.slice(0, 200) };
  if (!isPostgres(databaseUrl())) {
    // SQLite is one process: its pages are all here.
    deliver(event);
    return;
  }
  try {
    await notifyChannel(LIVE_CHANNEL, JSON.stringify(event));
  } catch (error) {
    console.warn("live events: could not notify", error);
  }
}

/** Calls `listener` with each event of this shop (and only this shop) until the returned function is called. */
export async function subscribeToShop(shop: string, listener: Listener): Promise<() => void> {
  let set = listeners.get(shop);
  if (!set) listeners.set(shop, (set = new Set()));
  set.add(listener);
  const unsubscribe = () => {
    const current = listeners.get(shop);
    if (!current) return;
    current.delete(listener);
    if (current.size === 0) listeners.delete(shop);
  };
  await ensureDatabaseListener();
  return unsubscribe;
}

/** Closes the LISTEN connection (tests, shutdown). */
export async function stopLiveEvents(): Promise<void> {
  const current = databaseListener;
  databaseListener = undefined;
  await current?.stop();
}
