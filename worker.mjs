// `npm run worker`: the durable job runner in its own process, for deployments that
// run the web server with JOB_WORKER=off. Loading the server build starts it.
process.env.JOB_WORKER = "on";
await import("./build/server/index.js");
console.log("[support-desk] job worker running");
