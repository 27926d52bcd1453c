// Production server: Remix on Express (as remix-serve), plus POST /webhooks
// answered before Remix's router so Shopify gets its 200 within milliseconds.
import http from "node:http";
import path from "node:path";
import url from "node:url";
import express from "express";
import compression from "compression";
import morgan from "morgan";
import { createRequestHandler } from "@remix-run/express";
import { installGlobals } from "@remix-run/node";

const here = path.dirname(url.fileURLToPath(import.meta.url));
const build = await import(url.pathToFileURL(path.join(here, "build/server/index.js")).href);
installGlobals({ nativeFetch: build.future.v3_singleFetch });

const app = express();
app.disable("x-powered-by");
app.use(compression());
app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
// The socket's peer, for rate limits when no trusted proxy names the shopper (a header from outside is overwritten).
app.use((req, _res, next) => {
  req.headers["x-support-desk-socket-address"] = req.socket.remoteAddress ?? "";
  next();
});
// The path without its query: storefront searches carry what shoppers type, which a log must not keep.
morgan.token("path", (req) => (req.originalUrl ?? req.url ?? "").split("?")[0]);
if (process.env.LOG_REQUESTS !== "0") app.use(morgan(":method :path :status :res[content-length] - :response-time ms"));
app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || "127.0.0.1";
// POST /webhooks on node:http itself, ahead of Express's middleware and Remix; everything else to Express.
const { handleWebhookHttp, handleChatUpgrade, closeChatConnections } = build.entry.module;
// Open live-update streams (GET /app/live) never finish by themselves: they are ended at shutdown.
const streams = new Set();
const server = http.createServer((req, res) => {
  const pathname = (req.url ?? "").split("?")[0];
  if (pathname === "/webhooks" || pathname === "/webhooks/") return handleWebhookHttp(req, res);
  if (pathname === "/app/live") {
    streams.add(res);
    res.on("close", () => streams.delete(res));
  }
  app(req, res);
});
// The storefront chat's direct connection (app/services/chat/socket.server.ts); nothing else upgrades.
server.on("upgrade", (req, socket, head) => {
  if ((req.url ?? "").split("?")[0] === "/chat/socket") return void handleChatUpgrade(req, socket, head);
  socket.destroy();
});
server.listen(port, host, () => {
  console.log(`[support-desk] listening on http://${host}:${port}`);
});
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    // The pages reconnect to another process; requests in flight finish first.
    for (const res of streams) res.destroy();
    closeChatConnections();
  });
}
