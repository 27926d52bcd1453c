import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useEffect, useRef, useState } from "react";
import { Link, Outlet, useLoaderData, useLocation, useRevalidator, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { authenticate } from "../shopify.server";
import { unreadTicketCount } from "../models/ticket.server";
import { LiveEventsContext, alertNewChat, changesPage, chatAlertsOn, useLiveTickets, type LiveEvents, type LiveMessage } from "../components/live";

export const links = () => [
  { rel: "stylesheet", href: polarisStyles },
  { rel: "stylesheet", href: polarisVizStyles },
];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return json({
    unread: await unreadTicketCount(session.shop),
    apiKey: process.env.SHOPIFY_API_KEY ?? "",
    // Set only where the admin is the local emulator, which serves its own App Bridge.
    appBridgeUrl: process.env.APP_BRIDGE_URL || undefined,
  });
};

/** Where a change of this ticket shows at once: the inbox list, or the ticket's own page. */
function showsTicket(pathname: string, message: LiveMessage): boolean {
  if (pathname === "/app/inbox" || pathname === "/app/inbox/") return true;
  const open = /^\/app\/inbox\/([^/]+)$/.exec(pathname)?.[1];
  return open !== undefined && open !== "new" && (message.kind === "resync" || decodeURIComponent(open) === message.ticketId);
}

/**
 * Keeps open pages current as tickets change anywhere in the shop: the inbox list and an open ticket
 * read their data again (drafts, selection and scroll stay, as on any revalidation); every page's
 * Inbox item shows the unread count.
 */
function useLiveDesk(initialUnread: number) {
  const revalidator = useRevalidator();
  const location = useLocation();
  const [unread, setUnread] = useState(initialUnread);
  const timers = useRef<{ page?: ReturnType<typeof setTimeout>; count?: ReturnType<typeof setTimeout> }>({});
  const counting = useRef<AbortController>();
  // Pages that draw from events themselves (typing on a ticket) listen here.
  const [events] = useState(() => {
    const listeners = new Set<(message: LiveMessage) => void>();
    const hub: LiveEvents & { emit(message: LiveMessage): void } = {
      subscribe(listener) {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
      emit(message) {
        for (const listener of listeners) listener(message);
      },
    };
    return hub;
  });

  useEffect(() => setUnread(initialUnread), [initialUnread]);
  useEffect(
    () => () => {
      Object.values(timers.current).forEach(clearTimeout);
      counting.current?.abort();
    },
    [],
  );

  // The count is read with a plain fetch (App Bridge adds the session token), not a Remix fetcher:
  // a fetcher's load takes part in the router's navigations and revalidations, and one landing while
  // the merchant saved a form could cost that form its answer.
  async function readCount() {
    counting.current?.abort();
    const controller = new AbortController();
    counting.current = controller;
    try {
      const response = await fetch("/app/unread", { signal: controller.signal, cache: "no-store", headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const body = (await response.json()) as { unread?: unknown };
      if (!controller.signal.aborted && typeof body.unread === "number") setUnread(body.unread);
    } catch {
      // the next change or page load counts again
    }
  }

  // useLiveTickets calls the latest of these callbacks, so the page and loaders are current ones.
  useLiveTickets((message) => {
    events.emit(message);
    if (message.kind === "ticket.created" && message.actor === "chat" && chatAlertsOn()) alertNewChat();
    if (!changesPage(message)) return;
    const t = timers.current;
    // A burst of changes (a reply writes a message and a status) is read once.
    if (showsTicket(location.pathname, message)) {
      t.page ??= setTimeout(() => {
        t.page = undefined;
        revalidator.revalidate();
      }, 150);
    } else {
      t.count ??= setTimeout(() => {
        t.count = undefined;
        void readCount();
      }, 300);
    }
  });
  return { unread, events };
}

export default function AppLayout() {
  const { apiKey, appBridgeUrl, unread: initialUnread } = useLoaderData<typeof loader>();
  const { unread, events } = useLiveDesk(initialUnread);
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}>
      <NavMenu>
        <Link to="/app" rel="home">
          Home
        </Link>
        <Link to="/app/inbox">{unread > 0 ? `Inbox (${unread >= 100 ? "99+" : unread})` : "Inbox"}</Link>
        <Link to="/app/customers">Customers</Link>
        <Link to="/app/canned-replies">Canned replies</Link>
        <Link to="/app/faq">FAQ</Link>
        <Link to="/app/delay-notices">Delay notices</Link>
        <Link to="/app/outbox">Email</Link>
        <Link to="/app/settings">Settings</Link>
        <Link to="/app/privacy">Privacy requests</Link>
        <Link to="/app/health">System health</Link>
      </NavMenu>
      <LiveEventsContext.Provider value={events}>
        <Outlet />
      </LiveEventsContext.Provider>
    </AppProvider>
  );
}

// Shopify needs these to handle auth redirects and headers inside the admin.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
