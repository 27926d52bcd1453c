import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import { freePort } from "./processes";

/** A real SMTP server on loopback that keeps every email it accepts; it can go down and come back on the same port. */
export interface CapturingSmtp {
  port: number;
  url: string;
  received: ParsedMail[];
  stop(): Promise<void>;
  start(): Promise<void>;
  /**
   * The next `times` RCPT TO for this address are refused as a full mailbox (452, temporary), the
   * way Postfix words it, quoting the address: the sender retries, and the refusal is in its error.
   */
  refuseRecipient(address: string, times?: number): void;
}

export async function startCapturingSmtp(): Promise<CapturingSmtp> {
  const port = await freePort();
  const received: ParsedMail[] = [];
  const refusals = new Map<string, number>();
  let server: SMTPServer | null = null;
  const smtp: CapturingSmtp = {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuseRecipient(address, times = 1) {
      refusals.set(address.toLowerCase(), times);
    },
    start() {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ["STARTTLS"],
        logger: false,
        onRcptTo(address, _session, callback) {
          const left = refusals.get(address.address.toLowerCase()) ?? 0;
          if (left <= 0) return callback();
          refusals.set(address.address.toLowerCase(), left - 1);
          const refusal = new Error(`4.2.2 <${address.address}>: Recipient address rejected: Mailbox full`);
          callback(Object.assign(refusal, { responseCode: 452 }));
        },
        onData(stream, _session, callback) {
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", async () => {
            received.push(await simpleParser(Buffer.concat(chunks)));
            callback();
          });
        },
      });
      // A sender that goes away mid-connection (an app process stopped at the end of a test) resets
      // its socket; smtp-server reports that as an error event, which must not become an uncaught exception.
      server.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code !== "ECONNRESET" && error.code !== "EPIPE") console.warn("test SMTP server:", error);
      });
      return new Promise((resolve) => server!.listen(port, "127.0.0.1", () => resolve()));
    },
    stop() {
      return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
  };
  await smtp.start();
  return smtp;
}
