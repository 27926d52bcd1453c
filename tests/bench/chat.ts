/**
 * The storefront chat under load: message latency shopper → agent (the shopper's socket frame
 * until the agent's live stream names the ticket) and agent → shopper (the agent's reply POST until
 * the shopper's socket has it), p50/p95, first with only the sampled conversations connected (the
 * baseline, same run), then with `connections` more idle visitors held open by the one app process,
 * and the app process's memory per connection. On PostgreSQL the shoppers are connected to a second
 * web process while the agent works on the first, so every message crosses processes (pg_notify).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import WebSocket from "ws";
import { DEFAULT_SHOP } from "../emulator/index";
import { DEV_APP, freePort, startAppServer, type AppServer } from "../support/processes";
import { startStack, type Stack } from "../support/stack";
import { BROWSER_UA } from "../support/wait";
import { BENCH_POSTGRES_URL, benchPostgresDatabase } from "./postgres";
import { fmt, summarize } from "./stats";

const ALL_DAY = JSON.stringify(Object.fromEntries(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => [d, [["00:00", "24:00"]]])));

type Frame = Record<string, any>;

/** An admin request with the shop's session token (tests/support/app-requests.ts does the same, but imports vitest). */
const adminRequest = (emulator: Stack["emulator"], app: AppServer, shop: string, path: string, fields?: Record<string, string>) =>
  fetch(`${app.url}${path}`, {
    method: fields ? "POST" : "GET",
    redirect: "manual",
    headers: {
      Authorization: `Bearer ${emulator.sessionToken(shop)}`,
      "User-Agent": BROWSER_UA,
      ...(fields ? { "Content-Type": "application/x-www-form-urlencoded" } : {}),
    },
    body: fields ? new URLSearchParams(fields) : undefined,
  });

function rssKb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
}

interface Visitor {
  ws: WebSocket;
  onFrame: (test: (f: Frame) => boolean) => Promise<Frame>;
  send(frame: Frame): void;
}

async function openVisitor(app: AppServer, origin: string, token: string): Promise<Visitor> {
  const ws = new WebSocket(`${app.url.replace(/^http/, "ws")}/chat/socket?token=${encodeURIComponent(token)}`, {
    headers: { Origin: origin },
    perMessageDeflate: false,
  });
  const waiters: { test: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  ws.on("message", (data) => {
    const frame = JSON.parse(String(data)) as Frame;
    for (const waiter of [...waiters]) {
      if (waiter.test(frame)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("close", (code) => reject(new Error(`chat socket closed (${code})`)));
    ws.once("error", reject);
  });
  const onFrame = (test: (f: Frame) => boolean) =>
    new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no frame within 20 s")), 20_000);
      waiters.push({ test, resolve: (f) => (clearTimeout(timer), resolve(f)) });
    });
  return { ws, onFrame, send: (frame) => ws.send(JSON.stringify(frame)) };
}

/** The agent's admin open: its live stream, with a wait for an event naming a ticket. */
async function agentStream(stack: Stack, shop: string) {
  const controller = new AbortController();
  const response = await fetch(`${stack.app.url}/app/live`, {
    headers: { Authorization: `Bearer ${stack.emulator.sessionToken(shop)}`, Accept: "text/event-stream", "User-Agent": BROWSER_UA },
    signal: controller.signal,
  });
  if (response.status !== 200) throw new Error(`live stream answered ${response.status}`);
  const waiters = new Map<string, () => void>();
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        const frames = buffer.split("\n\n");
        buffer = frames.pop() ?? "";
        for (const frame of frames) {
          const kind = /^event: (.+)$/m.exec(frame)?.[1];
          const data = /^data: (.+)$/m.exec(frame)?.[1];
          if (!data || (kind !== "ticket.message" && kind !== "ticket.created")) continue;
          const ticketId = (JSON.parse(data) as { ticketId?: string }).ticketId;
          if (ticketId) waiters.get(ticketId)?.();
        }
      }
    } catch {
      // closed
    }
  })();
  return {
    waitFor: (ticketId: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("the agent heard nothing within 20 s")), 20_000);
        waiters.set(ticketId, () => {
          clearTimeout(timer);
          waiters.delete(ticketId);
          resolve();
        });
      }),
    close: () => controller.abort(),
  };
}

export async function benchChat(options: { connections: number; conversations: number; rounds: number; postgres?: boolean }) {
  const label = options.postgres ? "chat-postgres" : "chat";
  if (options.postgres && !BENCH_POSTGRES_URL) return { report: () => `${label}: skipped (set BENCH_POSTGRES_URL to a PostgreSQL server)` };
  const database = options.postgres ? await benchPostgresDatabase("chat") : undefined;
  const stack = await startStack({ shops: [DEFAULT_SHOP], database, appEnv: { LOG_REQUESTS: "0" } });
  let shopperApp: AppServer = stack.app;
  let second: AppServer | undefined;
  const sockets: WebSocket[] = [];
  try {
    await (await adminRequest(stack.emulator, stack.app, DEFAULT_SHOP, "/app/unread")).arrayBuffer();
    stack.execute(`INSERT INTO "SupportSettings" (shop, businessHours, updatedAt) VALUES (?, ?, ?)`, DEFAULT_SHOP, ALL_DAY, new Date().toISOString());
    if (options.postgres) {
      second = await startAppServer({
        port: await freePort(),
        databaseUrl: stack.databaseUrl,
        adminOrigin: stack.emulator.url,
        appBridgeUrl: `${stack.emulator.url}/cdn/app-bridge.js`,
        scopes: stack.emulator.config.scopes,
        env: { JOB_WORKER: "off", LOG_REQUESTS: "0" },
      });
      shopperApp = second;
    }
    const agent = await agentStream(stack, DEFAULT_SHOP);
    const origin = new URL(stack.emulator.url).origin;
    // Tokens as the App Proxy issues them (signed with the app's secret); the proxy's own per-shopper limit is not what is measured.
    process.env.SHOPIFY_API_SECRET = DEV_APP.apiSecret;
    const { chatToken, visitorHashOf } = await import("../../app/services/chat/chat.server");
    const tokenFor = () => chatToken(DEFAULT_SHOP, visitorHashOf(crypto.randomBytes(24).toString("base64url")), null).token;

    // The sampled conversations: each opened with a first message, so the rounds measure a chat under way.
    const sampled: { visitor: Visitor; ticketId: string }[] = [];
    for (let i = 0; i < options.conversations; i++) {
      const visitor = await openVisitor(shopperApp, origin, tokenFor());
      sockets.push(visitor.ws);
      visitor.send({ t: "hello" });
      await visitor.onFrame((f) => f.t === "state");
      const ack = visitor.onFrame((f) => f.t === "ack");
      visitor.send({ t: "send", clientId: crypto.randomBytes(9).toString("base64url"), body: `Hello, a question about order #${1000 + i}` });
      const number = (await ack).conversation.ticketNumber as number;
      const [row] = stack.query<{ id: string }>(`SELECT id FROM "Ticket" WHERE shop = ? AND number = ?`, DEFAULT_SHOP, number);
      sampled.push({ visitor, ticketId: row.id });
    }

    const measure = async () => {
      const toAgent: number[] = [];
      const toShopper: number[] = [];
      for (let round = 0; round < options.rounds; round++) {
        for (const { visitor, ticketId } of sampled) {
          const heard = agent.waitFor(ticketId);
          const started = performance.now();
          visitor.send({ t: "send", clientId: crypto.randomBytes(9).toString("base64url"), body: `Round ${round}: is it shipped yet?` });
          await heard;
          toAgent.push(performance.now() - started);

          const body = `Round ${round}: it left the warehouse this morning (${crypto.randomBytes(3).toString("hex")}).`;
          const arrived = visitor.onFrame((f) => f.t === "messages" && f.messages.some((m: Frame) => m.body === body));
          const sent = performance.now();
          const reply = await adminRequest(stack.emulator, stack.app, DEFAULT_SHOP, `/app/inbox/${ticketId}?index`, { intent: "reply", body, status: "open" });
          if (reply.status !== 200) throw new Error(`the reply answered ${reply.status}`);
          await reply.arrayBuffer();
          await arrived;
          toShopper.push(performance.now() - sent);
        }
      }
      return { toAgent: summarize(toAgent), toShopper: summarize(toShopper) };
    };

    const baseline = await measure();
    const before = rssKb(shopperApp.pid);
    // The idle crowd: visitors with the panel open, each subscribed, none writing.
    const opening = performance.now();
    for (let i = 0; i < options.connections; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, options.connections - i) }, async () => {
          const visitor = await openVisitor(shopperApp, origin, tokenFor());
          const state = visitor.onFrame((f) => f.t === "state");
          visitor.send({ t: "hello" });
          await state;
          return visitor.ws;
        }),
      );
      sockets.push(...batch);
    }
    const openMs = performance.now() - opening;
    await new Promise((r) => setTimeout(r, 500));
    const after = rssKb(shopperApp.pid);
    const loaded = await measure();
    agent.close();

    const line = (name: string, base: ReturnType<typeof summarize>, load: ReturnType<typeof summarize>) =>
      `  ${name}: p50 ${fmt(load.p50)}, p95 ${fmt(load.p95)} with ${options.connections} idle connections; ` +
      `baseline (${options.conversations} connected) p50 ${fmt(base.p50)}, p95 ${fmt(base.p95)}; p95 ratio ${(load.p95 / base.p95).toFixed(2)}×`;
    return {
      report: () =>
        [
          `${label}: ${options.conversations} conversations × ${options.rounds} rounds${
            options.postgres ? ", shoppers on a second web process, the agent on the first" : ""
          }`,
          line("shopper → agent", baseline.toAgent, loaded.toAgent),
          line("agent → shopper", baseline.toShopper, loaded.toShopper),
          `  ${options.connections} connections opened in ${(openMs / 1000).toFixed(1)} s; app process memory ${(before / 1024).toFixed(0)} MB → ${(
            after / 1024
          ).toFixed(0)} MB, ` + `${((after - before) / options.connections).toFixed(1)} KB per connection`,
          `  target p95 ≤ 100 ms: ${loaded.toAgent.p95 <= 100 && loaded.toShopper.p95 <= 100 ? "met" : "missed"}`,
        ].join("\n"),
    };
  } finally {
    for (const ws of sockets) ws.terminate();
    await second?.stop();
    await stack.stop();
  }
}
