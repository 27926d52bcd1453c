// A job worker in its own process, for tests/integration/jobs.test.ts (DATABASE_URL comes from the parent):
//   hang <shop> <key> <leaseMs>   queue a job whose handler never returns, run it, print "started <jobId>", wait to be killed
//   race <file> <workerId>        print "ready", wait for a line on stdin, run every due "test.race" job once, print "ran <n>"
import fs from "node:fs";
import { once } from "node:events";
import prisma from "../../app/db.server";
import { createJobRunner } from "../../app/jobs/runner.server";
import { defineJob } from "../../app/jobs/types";
import { enqueueJob } from "../../app/models/job.server";

const [mode, ...args] = process.argv.slice(2);

if (mode === "hang") {
  const [shop, key, leaseMs] = args;
  const hang = defineJob({
    kind: "test.hang",
    async run({ jobId }) {
      console.log(`started ${jobId}`);
      await new Promise(() => undefined);
    },
  });
  const runner = createJobRunner({ definitions: [hang], workerId: "child-worker", leaseMs: Number(leaseMs), pollIntervalMs: 50 });
  await enqueueJob({ shop, kind: hang.kind, key, payload: {} });
  runner.start();
} else if (mode === "race") {
  const [file, workerId] = args;
  const race = defineJob({
    kind: "test.race",
    async run({ jobId }) {
      // A job that takes a moment, so the two processes' claims interleave: the race is what is tested.
      await new Promise((resolve) => setTimeout(resolve, 2));
      fs.appendFileSync(file, `${jobId} ${workerId}\n`);
    },
  });
  const runner = createJobRunner({ definitions: [race], workerId, concurrency: 4 });
  await prisma.job.count(); // connect before the start line
  console.log("ready");
  await once(process.stdin, "data");
  const ran = await runner.runDue();
  console.log(`ran ${ran}`);
  await prisma.$disconnect();
  process.exit(0);
} else {
  console.warn(`unknown mode ${mode}`);
  process.exit(2);
}
