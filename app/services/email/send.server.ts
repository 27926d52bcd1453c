import crypto from "node:crypto";
import type Mail from "nodemailer/lib/mailer";
import { enqueueJobs, jobByKey, retryJobNow } from "../../models/job.server";
import { enqueue } from "../../jobs/enqueue.server";
import { defineJob } from "../../jobs/types";
import {
  outboundEmailForShop,
  queuedEmailIds,
  requeueFailedEmail,
  updateOutboundEmail,
} from "../../models/outbound-email.server";
import { dataRequestExport, recordEmailDelivered } from "../../models/data-request.server";
import { exportFileName } from "../privacy/export-email";
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

/**
 * Tries a waiting or failed email again now (its job, retried by hand). False when there is
 * nothing to retry: it was sent, or its job is being run at this moment.
 */
export async function retrySendNow(shop: string, emailId: string): Promise<boolean> {
  const email = await outboundEmailForShop(shop, emailId);
  if (!email || (email.status !== "queued" && email.status !== "failed")) return false;
  await requeueFailedEmail(shop, emailId);
  const job = await jobByKey(shop, sendEmailJob.kind, emailId);
  if (!job) {
    await enqueueSend(shop, emailId);
    return true;
  }
  return retryJobNow(shop, job.id);
}

/** Sent by a person's action (replies, a data export), not written automatically: RFC 3834. */
const PERSON_SENT = new Set(["reply", "data_export"]);

/** The plain address of "Name <address>". */
const plainAddress = (address: string) => /<([^>]+)>\s*$/.exec(address)?.[1] ?? address;

/** A data request's export, attached as it is when the email goes; null when it was erased meanwhile. */
async function exportAttachment(shop: string, dataRequestId: string): Promise<Mail.Attachment | null> {
  const request = await dataRequestExport(shop, dataRequestId);
  if (!request?.export || request.status !== "ready") return null;
  return {
    filename: exportFileName(request.id, request.requestedAt),
    content: request.export,
    contentType: "application/json; charset=utf-8",
  };
}

export const sendEmailJob = defineJob<{ emailId: string; fromName?: string }>({
  kind: "email.send",
  maxAttempts: SEND_ATTEMPTS,
  async run({ shop, payload, attempt }) {
    const email = await outboundEmailForShop(shop, payload.emailId);
    if (!email || email.status === "sent" || email.status === "outbox" || email.status === "cancelled") return;
    const transport = smtpTransport();
    if (!transport) {
      await updateOutboundEmail(shop, email.id, { status: "outbox", lastError: null });
      return;
    }
    const attachment = email.dataRequestId ? await exportAttachment(shop, email.dataRequestId) : undefined;
    if (attachment === null) {
      const lastError = "The export is no longer there (the customer's data was erased at their request): not sent.";
      await updateOutboundEmail(shop, email.id, { status: "failed", lastError });
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
        attachments: attachment ? [attachment] : undefined,
        headers: {
          ...(email.language ? { "Content-Language": email.language } : {}),
          // Not a bulk sender; replies welcome. Auto-replies of the shopper's mail client stay out of the thread.
          "Auto-Submitted": PERSON_SENT.has(email.purpose) ? "no" : "auto-replied",
        },
      });
      const sentAt = new Date();
      const smtpResponse = info.response ?? null;
      const sent = { status: "sent", attempts: attempt, sentAt, smtpResponse, lastError: null };
      await updateOutboundEmail(shop, email.id, sent);
      if (email.dataRequestId) {
        await recordEmailDelivered(shop, email.dataRequestId, email.id, plainAddress(email.toAddress), sentAt);
      }
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
