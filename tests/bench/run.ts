/**
 * `npm run bench`: the project's performance cases, each printed with a baseline
 * measured in the same run. Needs a build (`npm run build`), which it makes when missing.
 * Options: --only <name> to run one case; --quick for a short run.
 */
import { ensureBuild } from "../support/processes";
import { benchWebhookAck } from "./webhook-ack";
import { benchBulkIngest, benchPagedSync } from "./sync";
import { benchInbox } from "./inbox";
import { benchFaqSearch } from "./faq-search";
import { benchDelayNotice } from "./delay-notice";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;

const cases: Record<string, () => Promise<{ report(): string }>> = {
  "webhook-ack": () =>
    benchWebhookAck({ worker: "in-process", rate: Number(process.env.BENCH_RATE ?? 500), seconds: quick ? 2 : 10, duplicateShare: 0.1 }),
  "webhook-ack-worker": () =>
    benchWebhookAck({ worker: "separate", rate: Number(process.env.BENCH_RATE ?? 500), seconds: quick ? 2 : 10, duplicateShare: 0.1 }),
  "bulk-ingest": () => benchBulkIngest(quick ? { customers: 5_000, orders: 10_000 } : { customers: 50_000, orders: 100_000 }),
  "paged-sync": () =>
    benchPagedSync(
      quick
        ? { customers: 1_000, orders: 400, bucketSize: 1_000, restoreRate: 1_000 }
        : { customers: 4_000, orders: 2_000, bucketSize: 2_000, restoreRate: 1_000 },
    ),
  inbox: () => benchInbox({ tickets: quick ? 10_000 : 100_000, rounds: quick ? 3 : 10 }),
  "delay-notice": () => benchDelayNotice({ events: quick ? 20 : 60 }),
  "faq-search": () => benchFaqSearch({ articles: quick ? 1_000 : 5_000, rounds: quick ? 3 : 20 }),
};

async function main() {
  await ensureBuild(console.log);
  let failed = false;
  for (const [name, bench] of Object.entries(cases)) {
    if (only && only !== name) continue;
    try {
      const result = await bench();
      console.log(result.report());
    } catch (error) {
      failed = true;
      console.log(`${name}: FAILED — ${error instanceof Error ? error.stack : String(error)}`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}

void main();
