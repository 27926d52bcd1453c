import prisma from "../db.server";

/** Liveness for process managers and the test harness: the app answers and its database does too. */
export const loader = async () => {
  try {
    await prisma.$queryRawUnsafe("SELECT 1");
    return new Response("ok", { headers: { "Content-Type": "text/plain", "Cache-Control": "no-store" } });
  } catch {
    return new Response("database unavailable", { status: 503, headers: { "Content-Type": "text/plain" } });
  }
};
