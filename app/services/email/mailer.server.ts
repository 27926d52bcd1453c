import nodemailer, { type Transporter } from "nodemailer";
import { env } from "../../env.server";

/**
 * The one SMTP connection pool, from SMTP_URL. Without it there is no transport: mail is
 * kept in the outbox for the merchant to see, never dropped.
 */

let cached: { url: string; transport: Transporter } | undefined;

export function smtpTransport(): Transporter | null {
  const url = env().SMTP_URL;
  if (!url) return null;
  if (cached?.url !== url) {
    cached?.transport.close();
    cached = {
      url,
      transport: nodemailer.createTransport(url, {
        // Fail fast: the job runner retries with backoff, so a dead server delays mail, never blocks the worker.
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      }),
    };
  }
  return cached.transport;
}

export function closeSmtpTransport() {
  cached?.transport.close();
  cached = undefined;
}
