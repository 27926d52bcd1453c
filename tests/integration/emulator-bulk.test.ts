/**
 * Bulk query operations in the local Shopify emulator, driven over HTTP as the app drives Shopify:
 * the mutation, polling, the JSONL file behind `url`, the bulk_operations/finish webhook (signed,
 * received by a tiny stand-in app) and the limits Shopify enforces.
 */
import { existsSync, readdirSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_RUNNING_BULK_QUERIES, startEmulator, webhookHmac, type Emulator } from "../emulator/index";
import { createStore, DEFAULT_SHOP } from "../emulator/store/index";
import { waitFor } from "../support/wait";

const API_KEY = "support-desk-local-client-id";
const API_SECRET = "support-desk-local-secret";
const SHOP = DEFAULT_SHOP;
const REFERENCE_TIME = Date.parse("2026-03-01T12:00:00Z");

interface Delivery {
  headers: IncomingHttpHeaders;
  raw: string;
  body: Record<string, unknown>;
}

/** The stand-in app: answers every webhook 200 and keeps what it got. */
async function startWebhookReceiver() {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      deliveries.push({ headers: req.headers, raw, body: JSON.parse(raw) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    deliveries,
    finishes: () => deliveries.filter((d) => d.headers["x-shopify-topic"] === "bulk_operations/finish"),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function client(emulator: Emulator) {
  const graphql = async (query: string, variables: Record<string, unknown> = {}): Promise<Json> => {
    const response = await fetch(`${emulator.url}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Access-Token": emulator.accessTokenFor(SHOP),
        "X-Shopify-Shop-Domain": SHOP,
      },
      body: JSON.stringify({ query, variables }),
    });
    expect(response.status).toBe(200);
    return response.json();
  };
  const runBulk = async (query: string, groupObjects = false): Promise<Json> => {
    const body = await graphql(
      `mutation Run($query: String!, $groupObjects: Boolean!) {
        bulkOperationRunQuery(query: $query, groupObjects: $groupObjects) {
          bulkOperation { id status query type objectCount rootObjectCount url }
          userErrors { field message code }
        }
      }`,
      { query, groupObjects },
    );
    expect(body.errors).toBeUndefined();
    return body.data.bulkOperationRunQuery;
  };
  const operation = async (id: string): Promise<Json> => {
    const body = await graphql(
      `query Op($id: ID!) {
        bulkOperation(id: $id) { id status errorCode createdAt completedAt objectCount rootObjectCount fileSize url partialDataUrl query type }
      }`,
      { id },
    );
    return body.data.bulkOperation;
  };
  const finished = (id: string): Promise<Json> =>
    waitFor(
      () => operation(id),
      (op) => !["CREATED", "RUNNING", "CANCELING"].includes(op.status),
      15_000,
      `bulk operation ${id} to finish`,
    );
  const download = async (url: string) => {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/jsonl");
    const text = await response.text();
    return { text, lines: text.split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, Json>) };
  };
  return { graphql, runBulk, operation, finished, download };
}

const CUSTOMERS_QUERY = `{ customers { edges { node { id email firstName updatedAt tags defaultAddress { countryCodeV2 } } } } }`;
const ORDERS_QUERY = `{
  orders(sortKey: UPDATED_AT) {
    edges { node {
      id name updatedAt displayFulfillmentStatus
      fulfillments { id displayStatus trackingInfo { number } }
      lineItems(first: 1) { edges { node { id sku quantity } } }
      fulfillmentOrders { nodes { id status fulfillmentHolds { reason } } }
    } }
  }
}`;

describe("Emulator bulk operations: results", () => {
  let app: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let emulator: Emulator;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    app = await startWebhookReceiver();
    emulator = await startEmulator({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      appUrl: app.url,
      store: createStore({ referenceTime: REFERENCE_TIME }),
      restoreRate: 1,
    });
    api = client(emulator);
  });
  afterAll(async () => {
    await emulator?.close();
    await app?.close();
  });

  it("exports every customer as one line, serves the file, and sends a signed bulk_operations/finish", async () => {
    const started = await api.runBulk(CUSTOMERS_QUERY);
    expect(started.userErrors).toEqual([]);
    expect(started.bulkOperation).toMatchObject({ status: "CREATED", type: "QUERY", query: CUSTOMERS_QUERY, url: null });

    const op = await api.finished(started.bulkOperation.id);
    const customers = emulator.store.shop(SHOP)!.customers;
    expect(op).toMatchObject({ status: "COMPLETED", errorCode: null, partialDataUrl: null, type: "QUERY" });
    expect(op.objectCount).toBe(String(customers.length));
    expect(op.rootObjectCount).toBe(String(customers.length));
    expect(op.completedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(op.url).toMatch(new RegExp(`^${emulator.url}/emulator/bulk-results/[0-9a-f]{32}\\.jsonl$`));

    const { text, lines } = await api.download(op.url);
    expect(op.fileSize).toBe(String(Buffer.byteLength(text)));
    expect(lines.map((l) => l.id)).toEqual(customers.map((c) => c.id));
    expect(lines[0]).toEqual({
      id: customers[0].id,
      email: customers[0].email,
      firstName: customers[0].firstName,
      updatedAt: customers[0].updatedAt,
      tags: customers[0].tags,
      defaultAddress: customers[0].defaultAddress ? { countryCodeV2: customers[0].defaultAddress.countryCodeV2 } : null,
    });
    expect(lines.some((l) => "__parentId" in l)).toBe(false);

    // The other ways to find it: node(id:), the deprecated currentBulkOperation, and the filtered list.
    const found = await api.graphql(
      `query Find($id: ID!) {
        node(id: $id) { ... on BulkOperation { id url status } }
        currentBulkOperation { id status }
        bulkOperations(first: 5, query: "status:completed") { nodes { id status } }
      }`,
      { id: op.id },
    );
    expect(found.errors).toBeUndefined();
    expect(found.data.node).toEqual({ id: op.id, url: op.url, status: "COMPLETED" });
    expect(found.data.currentBulkOperation).toEqual({ id: op.id, status: "COMPLETED" });
    expect(found.data.bulkOperations.nodes).toContainEqual({ id: op.id, status: "COMPLETED" });

    await emulator.bulk.idle();
    const webhook = app.finishes().find((d) => d.body.admin_graphql_api_id === op.id)!;
    expect(webhook).toBeDefined();
    expect(webhook.headers["x-shopify-hmac-sha256"]).toBe(webhookHmac(webhook.raw, API_SECRET));
    expect(webhook.headers["x-shopify-shop-domain"]).toBe(SHOP);
    expect(webhook.body).toEqual({
      admin_graphql_api_id: op.id,
      completed_at: op.completedAt,
      created_at: op.createdAt,
      error_code: null,
      status: "completed",
      type: "query",
    });
  });

  it("puts nested connection nodes on their own lines after their parent, with __parentId; other lists stay inline", async () => {
    const started = await api.runBulk(ORDERS_QUERY, true);
    const op = await api.finished(started.bulkOperation.id);
    expect(op.status).toBe("COMPLETED");
    const { lines } = await api.download(op.url);

    const orders = emulator.store.shop(SHOP)!.orders;
    const lineItems = orders.reduce((n, o) => n + o.lineItems.length, 0);
    const fulfillmentOrders = orders.reduce((n, o) => n + o.fulfillmentOrders.length, 0);
    const kind = (l: Json) => String(l.id).split("/")[3];
    expect(lines.filter((l) => kind(l) === "Order")).toHaveLength(orders.length);
    // `first: 1` on a nested connection is ignored: bulk returns everything.
    expect(lines.filter((l) => kind(l) === "LineItem")).toHaveLength(lineItems);
    expect(lines.filter((l) => kind(l) === "FulfillmentOrder")).toHaveLength(fulfillmentOrders);
    expect(op.objectCount).toBe(String(orders.length + lineItems + fulfillmentOrders));
    expect(op.rootObjectCount).toBe(String(orders.length));

    // Parent first, then its children, each naming it.
    let parent: Json = null;
    for (const line of lines) {
      if (kind(line) === "Order") {
        expect(line).not.toHaveProperty("__parentId");
        expect(line).not.toHaveProperty("lineItems");
        expect(line).not.toHaveProperty("fulfillmentOrders");
        expect(Array.isArray(line.fulfillments)).toBe(true);
        parent = line;
      } else {
        expect(line.__parentId).toBe(parent.id);
      }
    }
    const shipped = orders.find((o) => o.fulfillments.length > 0)!;
    const shippedLine = lines.find((l) => l.id === shipped.id)!;
    expect(shippedLine.fulfillments[0]).toEqual({
      id: shipped.fulfillments[0].id,
      displayStatus: shipped.fulfillments[0].displayStatus,
      trackingInfo: [{ number: shipped.fulfillments[0].trackingInfo[0].number }],
    });
    const held = orders.find((o) => o.fulfillmentOrders[0].status === "ON_HOLD")!;
    expect(lines.find((l) => l.id === held.fulfillmentOrders[0].id)).toEqual({
      id: held.fulfillmentOrders[0].id,
      status: "ON_HOLD",
      fulfillmentHolds: [{ reason: held.fulfillmentOrders[0].fulfillmentHolds[0].reason }],
      __parentId: held.id,
    });
    // Sorted as asked: oldest update first.
    const orderLines = lines.filter((l) => kind(l) === "Order");
    const times = orderLines.map((l) => Date.parse(l.updatedAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it("answers a query that matches nothing with COMPLETED and no url", async () => {
    const started = await api.runBulk(`{ customers(query: "email:nobody@nowhere.invalid") { edges { node { id } } } }`);
    const op = await api.finished(started.bulkOperation.id);
    expect(op).toMatchObject({ status: "COMPLETED", objectCount: "0", rootObjectCount: "0", url: null, fileSize: null });
  });

  it("charges only the mutation to the throttle, however much the export reads", async () => {
    const before = await api.graphql(`{ shop { id } }`);
    const available = before.extensions.cost.throttleStatus.currentlyAvailable;
    const started = await api.runBulk(ORDERS_QUERY);
    await api.finished(started.bulkOperation.id);
    const after = await api.graphql(`{ shop { id } }`);
    // The mutation costs 10 and each poll a point or so; an export of hundreds of objects would cost far more.
    expect(after.extensions.cost.throttleStatus.currentlyAvailable).toBeGreaterThan(available - 40);
  });

  it("refuses invalid bulk queries with INVALID userErrors and no operation", async () => {
    const cases: [string, RegExp][] = [
      [`{ customers { edges { node { id nope } } } }`, /^Invalid bulk query: Field 'nope' doesn't exist on type 'Customer'/],
      [`{ customers { edges { node { id } } }`, /^Invalid bulk query: Syntax Error/],
      [`{ shop { name } }`, /at least one connection/],
      [`{ customers { nodes { id } } orders { nodes { id } } }`, /exactly one top-level field/],
      [`{ node(id: "gid://shopify/Customer/1") { id } }`, /top-level node field/],
      [`mutation { tagsAdd(id: "gid://shopify/Customer/1", tags: ["x"]) { userErrors { message } } }`, /cannot contain mutations/],
      [`query Q($n: Int) { customers(first: $n) { nodes { id } } }`, /cannot declare variables/],
      [
        `{ customers { nodes { id orders { nodes { id fulfillmentOrders { nodes { id lineItems { nodes { id } } } } } } } } }`,
        /more than 2 levels deep/,
      ],
      [
        `{ orders { nodes { id lineItems { nodes { id } } nonFulfillableLineItems { nodes { id } } fulfillmentOrders { nodes { id } }
           metafields { nodes { id } } returns { nodes { id } } } } }`,
        /more than 5 connections/,
      ],
    ];
    for (const [query, message] of cases) {
      const result = await api.runBulk(query);
      expect(result.bulkOperation, query).toBeNull();
      expect(result.userErrors.length, query).toBeGreaterThan(0);
      expect(result.userErrors[0], query).toMatchObject({ code: "INVALID", field: ["query"] });
      expect(result.userErrors[0].message, query).toMatch(message);
    }
    // Two levels below the top is allowed.
    const ok = await api.runBulk(`{ customers { nodes { id orders { nodes { id lineItems { nodes { id } } } } } } }`);
    expect(ok.userErrors).toEqual([]);
    await api.finished(ok.bulkOperation.id);
  });
});

describe("Emulator bulk operations: failures, limits and progress", () => {
  let app: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let emulator: Emulator;
  let api: ReturnType<typeof client>;
  const CUSTOMERS = 600;
  const tempDirsBefore = new Set(bulkTempDirs());

  beforeAll(async () => {
    app = await startWebhookReceiver();
    emulator = await startEmulator({
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      appUrl: app.url,
      store: createStore({ referenceTime: REFERENCE_TIME, customersPerShop: CUSTOMERS, ordersPerShop: 20 }),
      bulkDelayMs: 60,
    });
    api = client(emulator);
  });
  afterAll(async () => {
    await emulator?.close();
    await app?.close();
  });

  it("fails the next operation on request: FAILED with the error code, no url or partial data, and a finish webhook saying so", async () => {
    emulator.bulk.failNext(SHOP, "TIMEOUT");
    const started = await api.runBulk(CUSTOMERS_QUERY);
    expect(started.userErrors).toEqual([]);
    const op = await api.finished(started.bulkOperation.id);
    expect(op).toMatchObject({ status: "FAILED", errorCode: "TIMEOUT", url: null, partialDataUrl: null, fileSize: null });

    await emulator.bulk.idle();
    const webhook = app.finishes().find((d) => d.body.admin_graphql_api_id === op.id)!;
    expect(webhook.headers["x-shopify-hmac-sha256"]).toBe(webhookHmac(webhook.raw, API_SECRET));
    expect(webhook.body).toMatchObject({ status: "failed", error_code: "timeout", type: "query" });
    expect(emulator.bulk.operations(SHOP).find((o) => o.id === op.id)!.finishWebhook).toBe("delivered: HTTP 200");

    // Only the next one: the one after runs normally (default code INTERNAL_SERVER_ERROR when asked).
    const again = await api.finished((await api.runBulk(CUSTOMERS_QUERY)).bulkOperation.id);
    expect(again.status).toBe("COMPLETED");
    emulator.bulk.failNext(SHOP);
    const third = await api.finished((await api.runBulk(CUSTOMERS_QUERY)).bulkOperation.id);
    expect(third).toMatchObject({ status: "FAILED", errorCode: "INTERNAL_SERVER_ERROR" });
  });

  it("shows RUNNING with a growing objectCount while it works through the batches", async () => {
    const { bulkOperation } = await api.runBulk(CUSTOMERS_QUERY);
    const seen: number[] = [];
    // Watching it work is the point: each poll records the count it saw while RUNNING.
    const watched = async () => {
      const op = await api.operation(bulkOperation.id);
      if (op.status === "RUNNING") seen.push(Number(op.objectCount));
      return op.status;
    };
    await waitFor(watched, (status) => status === "COMPLETED", 30_000, "the bulk operation to complete", 10);
    expect(seen.some((n) => n > 0 && n < CUSTOMERS)).toBe(true);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it(`runs at most ${MAX_RUNNING_BULK_QUERIES} bulk queries at a time per shop (2026-10), refusing more with LIMIT_REACHED`, async () => {
    const running = [];
    // Held before their first batch, however slowly the requests below are answered.
    const release = emulator.bulk.hold(SHOP);
    for (let i = 0; i < MAX_RUNNING_BULK_QUERIES; i++) {
      const started = await api.runBulk(CUSTOMERS_QUERY);
      expect(started.userErrors).toEqual([]);
      running.push(started.bulkOperation.id);
    }
    const refused = await api.runBulk(CUSTOMERS_QUERY);
    expect(refused.bulkOperation).toBeNull();
    expect(refused.userErrors).toEqual([{ field: null, code: "LIMIT_REACHED", message: expect.stringContaining("at most 5") }]);

    const listed = await api.graphql(`{ bulkOperations(first: 10, query: "status:running OR status:created") { nodes { id } } }`);
    expect(listed.data.bulkOperations.nodes.map((n: Json) => n.id).sort()).toEqual([...running].sort());

    release();
    for (const id of running) expect((await api.finished(id)).status).toBe("COMPLETED");
    const afterwards = await api.runBulk(CUSTOMERS_QUERY);
    expect(afterwards.userErrors).toEqual([]);
    await api.finished(afterwards.bulkOperation.id);
  });

  it("cancels a running operation: CANCELED, no url, and a finish webhook with status canceled", async () => {
    const { bulkOperation } = await api.runBulk(CUSTOMERS_QUERY);
    const cancelled = await api.graphql(`mutation C($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { id status } userErrors { message } } }`, {
      id: bulkOperation.id,
    });
    expect(cancelled.data.bulkOperationCancel).toEqual({ bulkOperation: { id: bulkOperation.id, status: "CANCELING" }, userErrors: [] });
    const op = await api.finished(bulkOperation.id);
    expect(op).toMatchObject({ status: "CANCELED", url: null });
    await emulator.bulk.idle();
    expect(app.finishes().find((d) => d.body.admin_graphql_api_id === op.id)!.body.status).toBe("canceled");
  });

  it("deletes its result files when closed", async () => {
    const op = await api.finished((await api.runBulk(CUSTOMERS_QUERY)).bulkOperation.id);
    // This emulator's own directory: the one holding this result (other processes make theirs in the same tmpdir).
    const token = /\/([0-9a-f]+)\.jsonl$/.exec(op.url)![1];
    const created = bulkTempDirs().filter((dir) => !tempDirsBefore.has(dir) && existsSync(`${tmpdir()}/${dir}/${token}.jsonl`));
    expect(created).toHaveLength(1);
    await emulator.close();
    for (const dir of created) expect(existsSync(`${tmpdir()}/${dir}`)).toBe(false);
    expect(op.url).toBeTruthy();
  });
});

function bulkTempDirs(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith("shopify-emulator-bulk-"));
}
