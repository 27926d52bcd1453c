import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { DEFAULT_SHOP } from "../emulator/index";
import { TEST_ENGINE } from "../support/database";
import { freePort, startAppServer, type AppServer } from "../support/processes";
import { startStack, type Stack } from "../support/stack";
import { adminRequest } from "../support/app-requests";
import { BROWSER_UA, waitFor } from "../support/wait";

/**
 * The storefront chat's server side: the App Proxy's token and polling route, the direct socket,
 * the agent's side through the admin, and the walls around a visitor's conversation (another
 * visitor, another shop, a forged token, a foreign page). On PostgreSQL the shopper is connected
 * to a second web process while the agent works on the first.
 */
const A = DEFAULT_SHOP;
const B = "second-chat.myshopify.com";
const ALL_DAY = JSON.stringify(Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [["00:00", "24:00"]]])));

let stack: Stack;
let second: AppServer | undefined;

beforeAll(async () => {
  stack = await startStack({ shops: [A, B] });
  // Both shops install the app (the first admin request exchanges the token) and keep their desks open all day.
  for (const shop of [A, B]) {
    await (await adminRequest(stack.emulator, stack.app, shop, "/app/unread")).arrayBuffer();
    stack.execute(`INSERT INTO "SupportSettings" (shop, businessHours, updatedAt) VALUES (?, ?, ?)`, shop, ALL_DAY, new Date().toISOString());
  }
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

const handle = (shop: string) => shop.replace(/\.myshopify\.com$/, "");
const newVisitor = () => crypto.randomBytes(24).toString("base64url");
const clientId = () => crypto.randomBytes(9).toString("base64url");

/** A request from the shop's storefront, through the emulated App Proxy. */
async function proxy(shop: string, body: Record<string, unknown>) {
  const response = await fetch(`${stack.emulator.url}/storefront/${handle(shop)}/apps/support/chat`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

type Frame = Record<string, any>;

/** A chat socket as the widget opens it: token through the proxy, then the app's own origin. */
async function connect(shop: string, visitor: string, options: { app?: AppServer; origin?: string; token?: string } = {}) {
  let token = options.token;
  let socketUrl = `${(options.app ?? stack.app).url.replace(/^http/, "ws")}/chat/socket`;
  if (!token) {
    const issued = await proxy(shop, { intent: "token", visitor });
    expect(issued.status).toBe(200);
    token = issued.body.token as string;
    if (!options.app) socketUrl = issued.body.socketUrl as string;
  }
  const ws = new WebSocket(`${socketUrl}?token=${encodeURIComponent(token)}`, { headers: { Origin: options.origin ?? new URL(stack.emulator.url).origin } });
  const frames: Frame[] = [];
  const waiters: { test: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  const closed = new Promise<{ code: number }>((resolve) => ws.on("close", (code) => resolve({ code })));
  ws.on("message", (data) => {
    const frame = JSON.parse(String(data)) as Frame;
    frames.push(frame);
    for (const waiter of [...waiters]) {
      if (waiter.test(frame)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      }
    }
  });
  const next = (test: (f: Frame) => boolean, what: string) =>
    new Promise<Frame>((resolve, reject) => {
      const seen = frames.find(test);
      if (seen) return resolve(seen);
      const timer = setTimeout(() => reject(new Error(`no frame: ${what}; got ${JSON.stringify(frames)}`)), 10_000);
      waiters.push({ test, resolve: (f) => (clearTimeout(timer), resolve(f)) });
    });
  const opened = await Promise.race([new Promise<boolean>((resolve) => ws.once("open", () => resolve(true))), closed.then(() => false)]);
  return { ws, frames, next, closed, opened, send: (frame: Frame) => ws.send(JSON.stringify(frame)), close: () => ws.close() };
}

/** An agent with the admin open: their live stream keeps them online. */
async function agentOnline(shop: string) {
  const controller = new AbortController();
  const response = await fetch(`${stack.app.url}/app/live`, {
    headers: { Authorization: `Bearer ${stack.emulator.sessionToken(shop)}`, Accept: "text/event-stream", "User-Agent": BROWSER_UA },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  await reader.read(); // the first frame: the presence is recorded by now
  return () => controller.abort();
}

const ticketOf = (shop: string, number: number) =>
  stack.query<{ id: string; channel: string; customerEmail: string | null; status: string; unread: number | boolean }>(
    `SELECT * FROM "Ticket" WHERE shop = ? AND number = ?`,
    shop,
    number,
  )[0];

describe("storefront chat", () => {
  it("with an agent online: chats both ways over the socket, one message per clientId, typing and seen, and the agent's reply stays in the chat", async () => {
    const offline = await agentOnline(A);
    const visitor = newVisitor();
    const shopper = await connect(A, visitor);
    try {
      expect(shopper.opened).toBe(true);
      shopper.send({ t: "hello" });
      const state = await shopper.next((f) => f.t === "state", "the state");
      expect(state).toMatchObject({ available: true, reason: "open", requireEmail: false, conversation: null, messages: [] });

      const id = clientId();
      shopper.send({ t: "send", clientId: id, body: "Hi! Does the linen shirt run large?", name: "Amina", pagePath: "/products/linen-shirt" });
      const ack = await shopper.next((f) => f.t === "ack" && f.clientId === id, "the ack");
      expect(ack.message).toMatchObject({ from: "shopper", body: "Hi! Does the linen shirt run large?" });
      const ticket = ticketOf(A, ack.conversation.ticketNumber);
      expect(ticket).toMatchObject({ channel: "chat", customerEmail: null, status: "open" });
      // Sent again after a drop: the same message, not a second one.
      shopper.send({ t: "send", clientId: id, body: "Hi! Does the linen shirt run large?" });
      const again = await shopper.next((f) => f.t === "ack" && f.clientId === id && f !== ack, "the second ack");
      expect(again.message.id).toBe(ack.message.id);
      expect(stack.query(`SELECT id FROM "TicketMessage" WHERE shop = ? AND ticketId = ? AND kind = 'customer'`, A, ticket.id)).toHaveLength(1);

      // The agent reads it (the shopper's chat says seen), types, and answers; the reply is not emailed.
      const page = await adminRequest(stack.emulator, stack.app, A, `/app/inbox/${ticket.id}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("The shopper is in the chat");
      await shopper.next((f) => f.t === "seen", "seen by the agent");
      const typing = await adminRequest(stack.emulator, stack.app, A, "/app/typing", { ticketId: ticket.id });
      expect(typing.status).toBe(200);
      await typing.arrayBuffer();
      const typed = await shopper.next((f) => f.t === "typing", "the agent typing");
      expect(typeof typed.name).toBe("string");
      const reply = await adminRequest(stack.emulator, stack.app, A, `/app/inbox/${ticket.id}?index`, {
        intent: "reply",
        body: "It runs true to size; take your usual.",
        status: "pending",
      });
      expect(reply.status).toBe(200);
      await reply.arrayBuffer();
      const pushed = await shopper.next((f) => f.t === "messages" && f.messages.some((m: Frame) => m.from === "agent"), "the agent's reply");
      const answer = pushed.messages.find((m: Frame) => m.from === "agent");
      expect(answer.body).toBe("It runs true to size; take your usual.");
      expect(answer.name).toBeTruthy();
      expect(stack.query(`SELECT id FROM "OutboundEmail" WHERE shop = ? AND ticketId = ?`, A, ticket.id)).toHaveLength(0);
      // Never twice on one connection.
      const ids = shopper.frames.filter((f) => f.t === "messages").flatMap((f) => f.messages.map((m: Frame) => m.id));
      expect(new Set(ids).size).toBe(ids.length);

      // Reconnected (a reload): the conversation is there, and `since` brings only what is new.
      shopper.close();
      const back = await connect(A, visitor);
      back.send({ t: "hello", since: answer.at });
      const resumed = await back.next((f) => f.t === "state", "the resumed state");
      expect(resumed.conversation.ticketNumber).toBe(ack.conversation.ticketNumber);
      expect(resumed.messages.map((m: Frame) => m.id)).toEqual([answer.id]);
      // The shopper's typing reaches the agent's pages; a message of theirs reopens the ticket.
      back.send({ t: "send", clientId: clientId(), body: "Great, thanks!" });
      await back.next((f) => f.t === "ack", "the thanks");
      expect(ticketOf(A, ack.conversation.ticketNumber).status).toBe("open");
      back.close();
    } finally {
      shopper.close();
      offline();
    }
  });

  it("keeps a visitor to their own conversation: another visitor, another shop, a forged token, a foreign page", async () => {
    const offline = await agentOnline(A);
    try {
      const first = newVisitor();
      const sent = await proxy(A, { intent: "send", visitor: first, clientId: clientId(), body: "My own question", email: "first@example.com" });
      expect(sent.status).toBe(200);
      // Another visitor of the same shop sees no conversation, and hears nothing of the first's.
      const other = await connect(A, newVisitor());
      other.send({ t: "hello" });
      expect((await other.next((f) => f.t === "state", "the other's state")).conversation).toBeNull();
      await proxy(A, { intent: "send", visitor: first, clientId: clientId(), body: "Still mine" });
      const otherState = await proxy(A, { intent: "state", visitor: newVisitor() });
      expect(otherState.body.conversation).toBeNull();
      // The same secret at another shop is another visitor there.
      const atB = await proxy(B, { intent: "state", visitor: first });
      expect(atB.body.conversation).toBeNull();
      expect(atB.body.messages).toEqual([]);
      other.close();
      expect(other.frames.some((f) => f.t === "messages")).toBe(false);

      // A token with its signature changed, or from the wrong page, opens nothing.
      const issued = await proxy(A, { intent: "token", visitor: first });
      const forged = await connect(A, first, { token: `${issued.body.token.slice(0, -2)}xx` });
      expect((await forged.closed).code).toBe(4401);
      const foreign = await connect(A, first, { origin: "https://evil.example" });
      expect((await foreign.closed).code).toBe(4403);
      // Bad input: a clear refusal, nothing stored.
      const bad = await proxy(A, { intent: "send", visitor: first, clientId: "x", body: "" });
      expect(bad.status).toBe(422);
      expect(Object.keys(bad.body.errors)).toEqual(expect.arrayContaining(["clientId", "body"]));
      expect((await proxy(A, { intent: "send", visitor: "short", clientId: clientId(), body: "hi" })).status).toBe(422);
      expect((await proxy(A, { intent: "dance", visitor: first })).status).toBe(422);
    } finally {
      offline();
    }
  });

  it("with no one online: asks for an email, the message becomes a ticket acknowledged by email, and the agent's reply is emailed", async () => {
    // No admin page of B's is open: nobody is online there.
    const visitor = newVisitor();
    const state = await proxy(B, { intent: "state", visitor });
    expect(state.body).toMatchObject({ available: false, reason: "no_agent", requireEmail: true });
    const refused = await proxy(B, { intent: "send", visitor, clientId: clientId(), body: "Do you ship to Tallinn?" });
    expect(refused.status).toBe(422);
    expect(refused.body.errors.email).toBeTruthy();
    const sent = await proxy(B, {
      intent: "send",
      visitor,
      clientId: clientId(),
      body: "Do you ship to Tallinn?",
      email: "kadri@example.com",
      name: "Kadri Tamm",
    });
    expect(sent.status).toBe(200);
    expect(sent.body.offline).toBe(true);
    const ticket = ticketOf(B, sent.body.conversation.ticketNumber);
    expect(ticket).toMatchObject({ channel: "chat", customerEmail: "kadri@example.com" });
    expect(stack.query<{ purpose: string }>(`SELECT purpose FROM "OutboundEmail" WHERE shop = ? AND ticketId = ?`, B, ticket.id).map((r) => r.purpose)).toEqual(
      ["auto_ack"],
    );

    // The shopper has gone (their panel not heard from for minutes): the reply goes by email too.
    stack.execute(
      `UPDATE "ChatConversation" SET lastActiveAt = ? WHERE shop = ? AND ticketId = ?`,
      new Date(Date.now() - 10 * 60_000).toISOString(),
      B,
      ticket.id,
    );
    const reply = await adminRequest(stack.emulator, stack.app, B, `/app/inbox/${ticket.id}?index`, {
      intent: "reply",
      body: "Yes, in 3–5 days.",
      status: "pending",
    });
    expect(reply.status).toBe(200);
    await reply.arrayBuffer();
    expect(
      stack
        .query<{ purpose: string }>(`SELECT purpose FROM "OutboundEmail" WHERE shop = ? AND ticketId = ? ORDER BY createdAt`, B, ticket.id)
        .map((r) => r.purpose),
    ).toEqual(["auto_ack", "reply"]);
    // The polling fallback reads the reply in the conversation.
    const polled = await proxy(B, { intent: "state", visitor, since: sent.body.message.at });
    expect(polled.body.messages.map((m: Frame) => [m.from, m.body])).toEqual([
      ["shopper", "Do you ship to Tallinn?"],
      ["agent", "Yes, in 3–5 days."],
    ]);
  });

  it("once solved: asks the rating in the panel (not by email while the shopper is there), takes it, and emails the transcript on request", async () => {
    const visitor = newVisitor();
    const sent = await proxy(A, { intent: "send", visitor, clientId: clientId(), body: "Is the wool scarf machine washable?", name: "Mari", locale: "et" });
    expect(sent.status).toBe(200);
    expect(sent.body.conversation).toMatchObject({ survey: false, rating: null, email: false });
    const ticket = ticketOf(A, sent.body.conversation.ticketNumber);
    // Not solved yet: nothing to rate.
    expect((await proxy(A, { intent: "rate", visitor, rating: 5 })).status).toBe(409);
    const answered = await adminRequest(stack.emulator, stack.app, A, `/app/inbox/${ticket.id}?index`, { intent: "reply", body: "Jah, 30 °C villaprogrammiga.", status: "solved" });
    expect(answered.status).toBe(200);
    await answered.arrayBuffer();
    // Asked in the chat, with no email to send one to.
    const state = await proxy(A, { intent: "state", visitor });
    expect(state.body.conversation).toMatchObject({ status: "solved", survey: true, rating: null });
    expect(stack.query(`SELECT rating FROM "SatisfactionSurvey" WHERE shop = ? AND ticketId = ?`, A, ticket.id)).toEqual([{ rating: null }]);
    expect(stack.query(`SELECT id FROM "OutboundEmail" WHERE shop = ? AND ticketId = ? AND purpose = 'csat'`, A, ticket.id)).toEqual([]);

    // Bad ratings are refused by field; another visitor and another shop reach nothing.
    for (const rating of [0, 6, 2.5, "five"]) expect((await proxy(A, { intent: "rate", visitor, rating })).status).toBe(422);
    expect((await proxy(A, { intent: "rate", visitor: newVisitor(), rating: 1 })).status).toBe(404);
    expect((await proxy(B, { intent: "rate", visitor, rating: 1 })).status).toBe(404);
    const rated = await proxy(A, { intent: "rate", visitor, rating: 4, comment: "Kiire vastus, aitäh!" });
    expect(rated.status).toBe(200);
    expect(rated.body.conversation).toMatchObject({ survey: true, rating: 4 });
    expect(stack.query(`SELECT rating, comment FROM "SatisfactionSurvey" WHERE shop = ? AND ticketId = ?`, A, ticket.id)).toEqual([
      { rating: 4, comment: "Kiire vastus, aitäh!" },
    ]);

    // The transcript: an email is needed, then it is kept on the ticket and the conversation is sent in Estonian.
    expect((await proxy(A, { intent: "transcript", visitor })).body.errors.email).toBeTruthy();
    expect((await proxy(A, { intent: "transcript", visitor, email: "not an address" })).status).toBe(422);
    const mailed = await proxy(A, { intent: "transcript", visitor, email: "Mari.Kask@Example.com" });
    expect(mailed.status).toBe(200);
    expect(mailed.body.conversation.email).toBe(true);
    expect(ticketOf(A, sent.body.conversation.ticketNumber).customerEmail).toBe("mari.kask@example.com");
    const [transcript] = stack.query<{ toAddress: string; subject: string; text: string; language: string }>(
      `SELECT toAddress, subject, text, language FROM "OutboundEmail" WHERE shop = ? AND ticketId = ? AND purpose = 'chat_transcript'`,
      A,
      ticket.id,
    );
    expect(transcript.toAddress).toContain("mari.kask@example.com");
    expect(transcript.language).toBe("et");
    expect(transcript.subject).toMatch(/^Sinu vestlus/);
    expect(transcript.text).toContain("Is the wool scarf machine washable?");
    expect(transcript.text).toContain("Jah, 30 °C villaprogrammiga.");
    expect(transcript.text.indexOf("Is the wool scarf")).toBeLessThan(transcript.text.indexOf("Jah, 30 °C"));
    // Three an hour, then refused with 429.
    for (let i = 0; i < 2; i++) expect((await proxy(A, { intent: "transcript", visitor })).status).toBe(200);
    expect((await proxy(A, { intent: "transcript", visitor })).status).toBe(429);
    expect(stack.query(`SELECT id FROM "OutboundEmail" WHERE shop = ? AND ticketId = ? AND purpose = 'chat_transcript'`, A, ticket.id)).toHaveLength(3);
  });

  it("keeps the page the shopper is on and their cart for the agent's customer card, refusing a malformed cart", async () => {
    const visitor = newVisitor();
    const cart = {
      count: 3,
      total: 12_400,
      currency: "EUR",
      items: [
        { title: "Linen overshirt", variant: "M / Sand", quantity: 1, price: 6800, url: "/products/linen-overshirt" },
        { title: "Merino <b>beanie</b>", variant: null, quantity: 2, price: 5600, url: "javascript:alert(1)" },
      ],
    };
    // No conversation yet: nothing to attach it to.
    expect((await proxy(A, { intent: "context", visitor, pagePath: "/", cart: JSON.stringify(cart) })).status).toBe(404);
    const sent = await proxy(A, { intent: "send", visitor, clientId: clientId(), body: "Can I still change the size?" });
    const ticket = ticketOf(A, sent.body.conversation.ticketNumber);
    for (const bad of ["not json", JSON.stringify({ ...cart, currency: "euro" }), JSON.stringify({ ...cart, items: [{ title: "", quantity: 1, price: 1 }] }), JSON.stringify({ ...cart, count: -1 })]) {
      const refused = await proxy(A, { intent: "context", visitor, cart: bad });
      expect(refused.status, bad).toBe(422);
      expect(refused.body.errors).toBeTruthy();
    }
    expect((await proxy(A, { intent: "context", visitor, pagePath: "/products/linen-overshirt", cart: JSON.stringify(cart) })).status).toBe(200);
    const stored = stack.query<{ pagePath: string; cart: string }>(`SELECT pagePath, cart FROM "ChatConversation" WHERE shop = ? AND ticketId = ?`, A, ticket.id)[0];
    expect(stored.pagePath).toBe("/products/linen-overshirt");
    // A link that is not the storefront's own path is dropped, the rest kept as sent.
    expect(JSON.parse(stored.cart).items.map((i: Frame) => i.url)).toEqual(["/products/linen-overshirt", null]);
    const page = await adminRequest(stack.emulator, stack.app, A, `/app/inbox/${ticket.id}`);
    const html = await page.text();
    expect(html).toContain("Cart: 3 items · €124.00");
    expect(html).toContain("2 × Merino &lt;b&gt;beanie&lt;/b&gt; · €56.00");
    expect(html).not.toContain("<b>beanie</b>");
    // Another visitor or shop cannot write on it.
    expect((await proxy(A, { intent: "context", visitor: newVisitor(), cart: JSON.stringify(cart) })).status).toBe(404);
    expect((await proxy(B, { intent: "context", visitor, cart: JSON.stringify(cart) })).status).toBe(404);
  });

  it("a shopper's data request exports their chat's page and cart, and their erasure removes them", async () => {
    const shopper = stack.emulator.store.shop(A)!.customers[7];
    const visitor = newVisitor();
    const sent = await proxy(A, { intent: "send", visitor, clientId: clientId(), body: "Is the overshirt back in stock?", email: shopper.email! });
    expect(sent.status).toBe(200);
    const ticket = ticketOf(A, sent.body.conversation.ticketNumber);
    const cart = { count: 1, total: 6800, currency: "EUR", items: [{ title: "Linen overshirt", variant: "L / Sand", quantity: 1, price: 6800, url: "/products/linen-overshirt" }] };
    expect((await proxy(A, { intent: "context", visitor, pagePath: "/products/linen-overshirt", cart: JSON.stringify(cart) })).status).toBe(200);

    const processed = async (topic: "customers/data_request" | "customers/redact") => {
      const delivered = await stack.emulator.deliverWebhook({ shop: A, topic, customer: shopper.email! });
      expect(delivered.status).toBe(200);
      await waitFor(
        () => stack.query<{ status: string }>(`SELECT status FROM "WebhookEvent" WHERE eventId = ?`, delivered.eventId)[0]?.status,
        (status) => status === "processed",
        15_000,
      );
    };
    await processed("customers/data_request");
    const [request] = stack.query<{ export: string }>(`SELECT export FROM "DataRequest" WHERE shop = ? AND email = ?`, A, shopper.email!);
    const exported = JSON.parse(request.export) as { data: { tickets: { number: number; chat: Frame | null }[] } };
    const onTicket = exported.data.tickets.find((t) => t.number === sent.body.conversation.ticketNumber);
    expect(onTicket?.chat).toMatchObject({ pagePath: "/products/linen-overshirt", cart: { count: 1, items: [{ title: "Linen overshirt", variant: "L / Sand" }] } });

    await processed("customers/redact");
    expect(stack.query(`SELECT id FROM "ChatConversation" WHERE shop = ? AND ticketId = ?`, A, ticket.id)).toEqual([]);
    // The visitor's browser no longer finds the conversation.
    const state = await proxy(A, { intent: "state", visitor });
    expect(state.status).toBe(200);
    expect(state.body.conversation ?? null).toBeNull();
  });

  it("warns an agent before replying over another's reply", async () => {
    const visitor = newVisitor();
    const sent = await proxy(A, { intent: "send", visitor, clientId: clientId(), body: "Where is my order?", email: "late@example.com" });
    const ticket = ticketOf(A, sent.body.conversation.ticketNumber);
    const first = stack.query<{ id: string }>(`SELECT id FROM "TicketMessage" WHERE shop = ? AND ticketId = ? ORDER BY createdAt`, A, ticket.id)[0].id;
    // Someone else answers while this agent writes; the shopper writes again too.
    await proxy(A, { intent: "send", visitor, clientId: clientId(), body: "Hello?" });
    // As the page's fetcher asks: the action's answer as data.
    const over = await adminRequest(stack.emulator, stack.app, A, `/app/inbox/${ticket.id}?_data=${encodeURIComponent("routes/app.inbox.$id")}`, {
      intent: "reply",
      body: "Let me check.",
      after: first,
    });
    expect(over.status).toBe(409);
    expect((await over.json()).errors.collision).toMatch(/The shopper wrote again/);
    const forced = await adminRequest(stack.emulator, stack.app, A, `/app/inbox/${ticket.id}?index`, {
      intent: "reply",
      body: "Let me check.",
      after: first,
      force: "1",
    });
    expect(forced.status).toBe(200);
    await forced.arrayBuffer();
  });

  it.runIf(TEST_ENGINE === "postgresql")("carries the agent's reply from one web process to a shopper connected to another", async () => {
    const offline = await agentOnline(A);
    const visitor = newVisitor();
    const shopper = await connect(A, visitor, { app: second });
    try {
      expect(shopper.opened, `closed: ${JSON.stringify(await Promise.race([shopper.closed, Promise.resolve(null)]))}`).toBe(true);
      shopper.send({ t: "hello" });
      await shopper.next((f) => f.t === "state", "the state");
      shopper.send({ t: "send", clientId: clientId(), body: "Asked on the second process." });
      const ack = await shopper.next((f) => f.t === "ack", "the ack");
      const ticket = ticketOf(A, ack.conversation.ticketNumber);
      const reply = await adminRequest(stack.emulator, stack.app, A, `/app/inbox/${ticket.id}?index`, { intent: "reply", body: "Answered on the first." });
      expect(reply.status).toBe(200);
      await reply.arrayBuffer();
      const pushed = await shopper.next(
        (f) => f.t === "messages" && f.messages.some((m: Frame) => m.body === "Answered on the first."),
        "the reply across processes",
      );
      expect(pushed.messages.filter((m: Frame) => m.from === "agent")).toHaveLength(1);
    } finally {
      shopper.close();
      offline();
    }
  });
});
