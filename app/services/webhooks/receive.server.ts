import { recordWebhook, unprocessedWebhooks, type IncomingWebhook } from "../../models/webhook-event.server";
import { enqueueJobs } from "../../models/job.server";
import { webhookJobFor } from "./process.server";

interface NewDelivery {
  id: string;
  shop: string;
  topic: string;
}

// Jobs for deliveries acknowledged in the same moment are created together.
let pending: NewDelivery[] = [];
let scheduled = false;

async function flushJobs() {
  scheduled = false;
  const batch = pending;
  pending = [];
  if (batch.length === 0) return;
  try {
    // Runners in this process are woken by enqueueJobs itself.
    await enqueueJobs(batch.map(webhookJobFor));
  } catch (error) {
    // The deliveries are on disk; the sweep at the next start (or the next flush) queues them.
    console.warn("could not queue webhook jobs; they will be queued by the next sweep", error);
  }
}

/**
 * Records a verified delivery (once per shop and event id) and returns as soon as it
 * is on disk, so Shopify gets its 200 at once. Its effect runs later, as a job.
 */
export async function receiveWebhook(input: IncomingWebhook) {
  const recorded = await recordWebhook(input);
  if (!recorded.duplicate) {
    pending.push({ id: recorded.id, shop: input.shop, topic: input.topic });
    if (!scheduled) {
      scheduled = true;
      setImmediate(() => void flushJobs());
    }
  }
  return recorded;
}

/**
 * Deliveries written down but never queued (the process stopped between the two)
 * get their job now. Queuing is idempotent per delivery, so this is safe to repeat.
 */
export async function queueUnprocessedWebhooks(): Promise<number> {
  let queued = 0;
  for (;;) {
    const batch = await unprocessedWebhooks(500, queued);
    if (batch.length === 0) return queued;
    await enqueueJobs(batch.map(webhookJobFor), { ignoreExisting: true });
    queued += batch.length;
  }
}
