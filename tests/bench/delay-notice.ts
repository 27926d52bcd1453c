/**
 * Delay notice latency: a fulfillment_events/create webhook (carrier says DELAYED) sent by the
 * emulator → verified, stored, processed (the order refetched from the Admin API), the notice
 * decided and written to the order's thread → the email accepted by a real SMTP server. One event
 * every 250 ms, each for another shipped order. Baseline in the same run: a storefront contact form
 * → its acknowledgement accepted by the same SMTP server (no webhook, no Admin API call).
 */
import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";
import { DEFAULT_SHOP } from "../emulator/index";
import { createStore } from "../emulator/store/index";
import { freePort } from "../support/processes";
import { startStack } from "../support/stack";
import { BROWSER_UA, waitFor } from "../support/wait";
import { fmt, summarize } from "./stats";

export async function benchDelayNotice(opts: { events: number }) {
  const smtpPort = await freePort();
  const accepted = new Map<string, number>();
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        const at = performance.now();
        const mail = await simpleParser(Buffer.concat(chunks));
        accepted.set(`${session.envelope.rcptTo[0]?.address}|${mail.subject}`, at);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(smtpPort, "127.0.0.1", () => resolve()));
  const store = createStore({ shops: [DEFAULT_SHOP], customersPerShop: 200, ordersPerShop: Math.max(300, opts.events * 8) });
  // Production job settings (poll every second; new work wakes the runner at once).
  const stack = await startStack({ store, appEnv: { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, LOG_REQUESTS: "0", JOB_POLL_INTERVAL_MS: "1000" } });
  try {
    await fetch(`${stack.app.url}/app`, { headers: { Authorization: `Bearer ${stack.emulator.sessionToken(DEFAULT_SHOP)}`, "User-Agent": BROWSER_UA } });
    await waitFor(() => stack.query(`SELECT 1 FROM "SyncRun" WHERE kind = 'bulk' AND status = 'succeeded'`), (rows) => rows.length === 1, 120_000, "the first sync");
    const shop = stack.emulator.store.shop(DEFAULT_SHOP)!;
    const orders = shop.orders.filter((o) => o.email && !o.cancelledAt && o.fulfillments.length > 0 && !o.fulfillments[0].deliveredAt).slice(0, opts.events);
    if (orders.length < opts.events) throw new Error(`only ${orders.length} shipped orders to delay`);

    const sentAt = new Map<string, number>();
    const started = performance.now();
    await Promise.all(
      orders.map(async (order, i) => {
        await new Promise((r) => setTimeout(r, Math.max(0, started + i * 250 - performance.now())));
        sentAt.set(order.name, performance.now());
        const result = await stack.emulator.deliverWebhook({ shop: DEFAULT_SHOP, topic: "fulfillment_events/create", order: order.name, eventStatus: "delayed" });
        if (result.status !== 200) throw new Error(`webhook answered ${result.status}`);
      }),
    );
    // Which email belongs to which order: the notice rows name both.
    const rows = await waitFor(
      () => stack.query<{ orderName: string; subject: string; toAddress: string }>(`SELECT n.orderName, e.subject, e.toAddress FROM "DelayNotice" n JOIN "OutboundEmail" e ON e.id = n.emailId WHERE n.shop = ?`, DEFAULT_SHOP),
      (r) => r.length === orders.length,
      120_000,
      "every notice written",
    );
    const address = (to: string) => (/<([^>]+)>/.exec(to)?.[1] ?? to).toLowerCase();
    await waitFor(() => rows.filter((r) => accepted.has(`${address(r.toAddress)}|${r.subject}`)).length, (n) => n === rows.length, 120_000, "every email accepted");
    const latencies = rows.map((r) => accepted.get(`${address(r.toAddress)}|${r.subject}`)! - sentAt.get(r.orderName)!);

    // Baseline: contact form → acknowledgement accepted.
    const baseline: number[] = [];
    for (let i = 0; i < Math.min(20, opts.events); i++) {
      const email = `bench${i}@example.com`;
      const t0 = performance.now();
      const response = await fetch(`${stack.emulator.url}/storefront/support-desk-demo/apps/support/contact`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Emulator-Client-Ip": `10.9.0.${i}` },
        body: JSON.stringify({ email, message: `Question ${i} about sizes` }),
      });
      if (response.status !== 200) throw new Error(`contact form answered ${response.status}`);
      const key = await waitFor(() => [...accepted.keys()].find((k) => k.startsWith(`${email}|`)), Boolean, 30_000, "the acknowledgement");
      baseline.push(accepted.get(key!)! - t0);
    }
    const n = summarize(latencies);
    const b = summarize(baseline);
    return {
      report: () =>
        [
          `delay notice: fulfillment_events/create (DELAYED) → email accepted by SMTP (${orders.length} events, one every 250 ms; order refetched from the Admin API; job poll 1 s, woken on new work)`,
          `  p50 ${fmt(n.p50)}, p95 ${fmt(n.p95)}, max ${fmt(n.max)} (target p95 ≤ 2 s)`,
          `  baseline, same run: contact form → acknowledgement accepted, p50 ${fmt(b.p50)}, p95 ${fmt(b.p95)}; ratio p95 ${(n.p95 / b.p95).toFixed(2)}×`,
        ].join("\n"),
    };
  } finally {
    await stack.stop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  }
}
