import prisma from "../db.server";

/** Sends a notice on a PostgreSQL channel; every process LISTENing there receives it when the sender's work is committed. */
export async function notifyChannel(channel: string, payload: string): Promise<void> {
  await prisma.$executeRaw`SELECT pg_notify(${channel}, ${payload})`;
}
