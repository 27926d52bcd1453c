import crypto from "node:crypto";
import { enqueueJobs } from "../../models/job.server";
import { enqueue } from "../../jobs/enqueue.server";
import { defineJob } from "../../jobs/types";
import { outboundEmailForShop, queuedEmailIds, updateOutboundEmail } from "../../models/outbound-email.server";
import { smtpTransport } from "./mailer.server";

/**
 * Sending mail: the email is written down first (the outbox), then a job hands it to SMTP,
 * retrying with backoff while the server is down. Without SMTP_URL the email stays in the
 * outbox, visible to the merchant. A retry reuses the Message-ID, so a mail client shows a
 * message that went out twice (SMTP accepted it, then the process died) only once.
 */

const SEND_ATTEMPTS = 10;

/** "<uuid@domain>" with the sender's domain, as RFC 5322 asks. */
export function newMessageId(fromAddress: string): string {
  const address = /<([^>]+)>/.exec(fromAddress)?.[1] ?? fromAddress;
  const domain = address.split("@")[1]?.replace(/[^A-Za-z0-9.-]/g, "") || "support-desk.local";
  return `<${crypto.randomUUID()}@${domain}>`;
}

/** Queues the send of an email already written down (idempotent: one job per email). */
export async function enqueueSend(shop: string, emailId: string) {
  await enqueue(sendEmailJob, { shop, key: emailId, payload: { emailId } });
}


export const sendEmailJob = defineJob<{ emailId: string; fromName?: string }>({
  kind: "email.send",
  maxAttempts: SEND_ATTEMPTS,
  async run({ shop, payload, attempt }) {
    const email = await outboundEmailForShop(shop, payload.emailId);
    if (!email || email.status === "sent" || email.status === "outbox") return;
    const transport = smtpTransport();
    if (!transport) {
      await updateOutboundEmail(shop, email.id, { status: "outbox", lastError: null });
      return;
    }
    try {
      const info = await transport.sendMail({
        messageId: email.messageId,
        from: email.fromAddress,
        to: email.toAddress,
        replyTo: email.replyTo ?? undefined,
        subject: email.subject,
        text: email.text,
        html: email.html,
        inReplyTo: email.inReplyTo ?? undefined,
        references: email.references ? email.references.split(" ") : undefined,
        headers: {
          ...(email.language ? { "Content-Language": email.language } : {}),
          // Not a bulk sender; replies welcome. Auto-replies of the shopper's mail client stay out of the thread.
          "Auto-Submitted": email.purpose === "reply" ? "no" : "auto-replied",
        },
      });
      await updateOutboundEmail(shop, email.id, { status: "sent", attempts: attempt, sentAt: new Date(), smtpResponse: info.response ?? null, lastError: null });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await updateOutboundEmail(shop, email.id, { attempts: attempt, lastError: message, ...(attempt >= SEND_ATTEMPTS ? { status: "failed" } : {}) });
      throw error;
    }
  },
});

/** At start: emails whose job was never queued (a stop in between) get one. */
export async function queueUnsentEmails(): Promise<number> {
  let queued = 0;
  for (;;) {
    const batch = await queuedEmailIds(500, queued);
    if (batch.length === 0) return queued;
    await enqueueJobs(
      batch.map((e) => ({ shop: e.shop, kind: sendEmailJob.kind, key: e.id, payload: { emailId: e.id }, maxAttempts: SEND_ATTEMPTS })),
      { ignoreExisting: true },
    );
    queued += batch.length;
  }
}
