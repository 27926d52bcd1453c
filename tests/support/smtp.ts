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
}

export async function startCapturingSmtp(): Promise<CapturingSmtp> {
  const port = await freePort();
  const received: ParsedMail[] = [];
  let server: SMTPServer | null = null;
  const smtp: CapturingSmtp = {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    start() {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ["STARTTLS"],
        logger: false,
        onData(stream, _session, callback) {
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", async () => {
            received.push(await simpleParser(Buffer.concat(chunks)));
            callback();
          });
        },
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
