import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SHOP } from "../emulator/index";
import { TEST_ENGINE } from "../support/database";
import { freePort, startAppServer, type AppServer } from "../support/processes";
import { startStack, type Stack } from "../support/stack";
import { adminRequest } from "../support/app-requests";
import { BROWSER_UA } from "../support/wait";
import { parseFrames, type LiveMessage } from "../../app/components/live";

/**
 * The admin's live updates (GET /app/live): a shop's ticket changes reach its open pages as
 * server-sent events, from whichever process made them, and never another shop's. On PostgreSQL a
 * second web process takes the shopper's request while the agent listens on the first.
 */
const A = DEFAULT_SHOP;
const B = "second-desk.myshopify.com";

let stack: Stack;
let second: AppServer | undefined;

beforeAll(async () => {
  stack = await startStack({ shops: [A, B] });
  if (TEST_ENGINE === "postgresql") {
    second = await startAppServer({
      port: await freePort(),
      databaseUrl: stack.databaseUrl,
      adminOrigin: stack.emulator.url,
      appBridgeUrl: `${stack.emulator.url}/cdn/app-bridge.js`,
      scopes: stack.emulator.config.scopes,
      env: { JOB_WORKER: "off" },
    });
  }
}, 120_000);

afterAll(async () => {
  await second?.stop();
  await stack?.stop();
});

/** An open stream: the messages read so far, and a wait for the next one that matches. */
async function listen(shop: string, app: AppServer = stack.app) {
  const controller = new AbortController();
  const response = await fetch(`${app.url}/app/live`, {
    headers: { Authorization: `Bearer ${stack.emulator.sessionToken(shop)}`, Accept: "text/event-stream", "User-Agent": BROWSER_UA },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const messages: LiveMessage[] = [];
  const waiters: { test: (m: LiveMessage) => boolean; resolve: (m: LiveMessage) => void }[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        const parsed = parseFrames(buffer + value);
        buffer = parsed.rest;
        for (const message of parsed.messages) {
          messages.push(message);
          for (const waiter of [...waiters]) {
            if (waiter.test(message)) {
              waiters.splice(waiters.indexOf(waiter), 1);
              waiter.resolve(message);
            }
          }
        }
      }
    } catch {
      // aborted
    }
  })();
  const next = (test: (m: LiveMessage) => boolean, what: string) =>
    new Promise<LiveMessage>((resolve, reject) => {
      const seen = messages.find(test);
      if (seen) return resolve(seen);
      const timer = setTimeout(() => reject(new Error(`no live event: ${what}; got ${JSON.stringify(messages)}`)), 10_000);
      waiters.push({ test, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  await next((m) => m.kind === "resync", "the stream's first resync");
  return { messages, next, close: () => controller.abort() };
}

const handle = (shop: string) => shop.replace(/\.myshopify\.com$/, "");

async function contact(shop: string, email: string, message: string, app?: AppServer) {
  // Through the emulated App Proxy, or signed as it would be straight to another process.
  const url = app
    ? `${app.url}/proxy/contact?${stack.emulator.signProxyQuery(shop, {})}`
    : `${stack.emulator.url}/storefront/${handle(shop)}/apps/support/contact`;
  const response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify({ name: "Live Shopper", email, message }) });
  expect(response.status).toBe(200);
  const [row] = stack.query<{ id: string }>(`SELECT id FROM "Ticket" WHERE shop = ? AND "customerEmail" = ? ORDER BY "createdAt" DESC LIMIT 1`, shop, email);
  return row.id;
}

describe("live updates for the admin", () => {
  it("refuses a stream without the shop's session token", async () => {
    const response = await fetch(`${stack.app.url}/app/live`, { headers: { Accept: "text/event-stream", "User-Agent": BROWSER_UA }, redirect: "manual" });
    expect(response.headers.get("content-type") ?? "").not.toMatch(/event-stream/);
    expect(response.status).not.toBe(200);
    await response.arrayBuffer();
  });

  it("tells a shop's open pages of a new ticket, a reply, a status change and a read, and never another shop's", async () => {
    const a = await listen(A);
    const b = await listen(B);
    try {
      const ticketA = await contact(A, "live.a@example.com", "Where is my parcel? It was due Monday.");
      await a.next((m) => m.kind === "ticket.created" && m.ticketId === ticketA, "A's new ticket");
      // The acknowledgement email is written on the ticket's timeline too.
      await a.next((m) => m.kind === "ticket.message" && m.ticketId === ticketA, "A's acknowledgement");

      const reply = await adminRequest(stack.emulator, stack.app, A, `/app/inbox/${ticketA}?index`, { intent: "reply", body: "It left our warehouse today.", status: "pending" });
      expect(reply.status).toBe(200);
      await a.next((m) => m.kind === "ticket.updated" && m.ticketId === ticketA, "A's status change after the reply");

      // B's own ticket is the first thing B hears: nothing of A's came before it.
      const ticketB = await contact(B, "live.b@example.com", "Do you ship to Tallinn?");
      await b.next((m) => m.kind === "ticket.created", "B's new ticket");
      expect(new Set(b.messages.filter((m) => m.kind !== "resync").map((m) => m.ticketId))).toEqual(new Set([ticketB]));
      expect(a.messages.some((m) => m.ticketId === ticketB)).toBe(false);

      // Opening an unread ticket reads it: the other pages' Inbox count goes down.
      const unreadBefore = (await (await adminRequest(stack.emulator, stack.app, B, `/app/unread`)).json()).unread as number;
      const page = await adminRequest(stack.emulator, stack.app, B, `/app/inbox/${ticketB}`);
      expect(page.status).toBe(200);
      await page.arrayBuffer();
      await b.next((m) => m.kind === "ticket.read" && m.ticketId === ticketB, "B's ticket read");
      const unread = await adminRequest(stack.emulator, stack.app, B, `/app/unread`);
      expect(await unread.json()).toEqual({ unread: unreadBefore - 1 });
      // Opened again, already read: no second event.
      await (await adminRequest(stack.emulator, stack.app, B, `/app/inbox/${ticketB}`)).arrayBuffer();
      expect(b.messages.filter((m) => m.kind === "ticket.read")).toHaveLength(1);
      expect(a.messages.every((m) => m.ticketId === null || m.ticketId === ticketA)).toBe(true);
    } finally {
      a.close();
      b.close();
    }
  });

  it("tells the shop's other pages who has a ticket open (by name), never another shop's, and refuses another shop's ticket", async () => {
    const a = await listen(A);
    const b = await listen(B);
    try {
      const ticket = await contact(A, "viewing@example.com", "Can I swap the blue mug for the green one?");
      const viewing = await adminRequest(stack.emulator, stack.app, A, "/app/typing", { ticketId: ticket, what: "viewing" });
      expect(viewing.status).toBe(200);
      await viewing.arrayBuffer();
      const seen = await a.next((m) => m.kind === "ticket.viewing" && m.ticketId === ticket, "A's viewing");
      expect(seen.actor).toBeTruthy();
      expect(seen.actor).not.toBe("shopper");
      // B's staff cannot say they view A's ticket; B's pages heard nothing of A's.
      const foreign = await adminRequest(stack.emulator, stack.app, B, "/app/typing", { ticketId: ticket, what: "viewing" });
      expect(foreign.status).toBe(404);
      await foreign.arrayBuffer();
      expect(b.messages.some((m) => m.ticketId === ticket)).toBe(false);
      expect(a.messages.filter((m) => m.kind === "ticket.viewing")).toHaveLength(1);
    } finally {
      a.close();
      b.close();
    }
  });

  it("counts the shop's unread open tickets for the Inbox item", async () => {
    const before = (await (await adminRequest(stack.emulator, stack.app, A, "/app/unread")).json()).unread as number;
    const beforeB = (await (await adminRequest(stack.emulator, stack.app, B, "/app/unread")).json()).unread as number;
    await contact(A, "count.me@example.com", "A second question about sizes.");
    expect((await (await adminRequest(stack.emulator, stack.app, A, "/app/unread")).json()).unread).toBe(before + 1);
    expect((await (await adminRequest(stack.emulator, stack.app, B, "/app/unread")).json()).unread).toBe(beforeB);
  });

  it.runIf(TEST_ENGINE === "postgresql")("carries a change made on one web process to a page listening on another", async () => {
    const a = await listen(A, stack.app);
    try {
      const ticket = await contact(A, "across@example.com", "Asked on the other process.", second!);
      await a.next((m) => m.kind === "ticket.created" && m.ticketId === ticket, "the ticket made on the second process");
    } finally {
      a.close();
    }
  });
});
