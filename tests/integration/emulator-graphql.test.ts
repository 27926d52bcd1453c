import { beforeEach, describe, expect, it } from "vitest";
import { createAdminGraphql, requestedQueryCost } from "../emulator/graphql/index";
import { createStore, DEFAULT_SHOP, type EmulatorStore } from "../emulator/store/index";

const REFERENCE_TIME = Date.parse("2026-03-01T12:00:00Z");
const SHOP = DEFAULT_SHOP;

interface GraphqlBody {
  data?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  errors?: { message: string; path?: (string | number)[]; locations?: unknown[]; extensions?: Record<string, unknown> }[];
  extensions?: {
    cost: {
      requestedQueryCost: number;
      actualQueryCost: number | null;
      throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
    };
    search?: unknown[];
  };
}

function setup(opts: { bucketSize?: number; restoreRate?: number } = {}) {
  let clock = REFERENCE_TIME + 60_000;
  const store = createStore({ referenceTime: REFERENCE_TIME });
  const graphql = createAdminGraphql({ store, now: () => clock, ...opts });
  const ask = async (query: string, variables?: Record<string, unknown>, token = "app-token") => {
    const response = await graphql.handle(SHOP, token, { query, variables });
    return { status: response.status, body: response.body as GraphqlBody };
  };
  return { store, graphql, ask, advance: (ms: number) => (clock += ms), now: () => clock };
}

describe("Admin GraphQL emulator: data", () => {
  let ctx: ReturnType<typeof setup>;
  beforeEach(() => {
    ctx = setup();
  });

  it("answers shop, customers and orders with nested fulfillment data from the seeded store, in several languages", async () => {
    const { status, body } = await ctx.ask(`#graphql
      query Overview {
        shop { id name email contactEmail myshopifyDomain ianaTimezone currencyCode primaryDomain { url host } plan { displayName } }
        customers(first: 60) {
          nodes { id legacyResourceId displayName firstName locale email defaultEmailAddress { emailAddress marketingState }
                  numberOfOrders amountSpent { amount currencyCode } defaultAddress { city countryCodeV2 } tags createdAt updatedAt }
        }
        orders(first: 10, sortKey: ID) {
          nodes {
            id name email createdAt displayFinancialStatus displayFulfillmentStatus customerLocale
            customer { id displayName }
            totalPriceSet { shopMoney { amount currencyCode } }
            lineItems(first: 3) { nodes { title quantity sku variantTitle } }
            fulfillmentOrders(first: 2) {
              nodes { id status fulfillBy fulfillAt fulfillmentHolds { reason reasonNotes } }
            }
            fulfillments(first: 2) { displayStatus estimatedDeliveryAt trackingInfo { company number url } }
          }
        }
      }`);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.extensions!.cost.requestedQueryCost).toBeLessThanOrEqual(1000);
    const { shop, customers, orders } = body.data!;
    expect(shop).toMatchObject({ name: "Support Desk Demo", myshopifyDomain: SHOP, currencyCode: "EUR", primaryDomain: { host: SHOP } });

    const locales = new Set(customers.nodes.map((c: { locale: string }) => c.locale));
    expect([...locales].sort()).toEqual(["en", "et", "ro", "sw", "ta", "tr"]);
    expect(customers.nodes.some((c: { displayName: string }) => /[ıİşğçöü]/.test(c.displayName))).toBe(true);
    expect(customers.nodes[0].id).toMatch(/^gid:\/\/shopify\/Customer\/\d+$/);
    expect(customers.nodes[0].legacyResourceId).toBe(customers.nodes[0].id.split("/").pop());

    expect(orders.nodes[0].name).toBe("#1001");
    const withCustomer = orders.nodes.find((o: { customer: unknown }) => o.customer !== null);
    expect(withCustomer.customer.id).toMatch(/^gid:\/\/shopify\/Customer\//);
    expect(withCustomer.totalPriceSet.shopMoney.currencyCode).toBe("EUR");
    expect(withCustomer.lineItems.nodes.length).toBeGreaterThan(0);
    expect(withCustomer.fulfillmentOrders.nodes).toHaveLength(1);
  });

  it("seeds a useful spread of fulfillment situations", () => {
    const shop = ctx.store.shop(SHOP)!;
    const displays = new Set(shop.orders.flatMap((o) => o.fulfillments.map((f) => f.displayStatus)));
    for (const s of ["DELIVERED", "IN_TRANSIT", "DELAYED", "ATTEMPTED_DELIVERY", "FAILURE"]) expect(displays).toContain(s);
    const fos = shop.orders.flatMap((o) => o.fulfillmentOrders);
    for (const s of ["OPEN", "IN_PROGRESS", "CLOSED", "ON_HOLD", "SCHEDULED"]) expect(fos.map((f) => f.status)).toContain(s);
    const overdue = fos.filter((f) => f.status === "OPEN" && f.fulfillBy !== null && Date.parse(f.fulfillBy) < REFERENCE_TIME);
    expect(overdue.length).toBeGreaterThan(0);
    expect(fos.some((f) => f.fulfillmentHolds.length > 0)).toBe(true);
    expect(shop.orders.some((o) => o.cancelledAt !== null && o.cancelReason !== null)).toBe(true);
  });

  it("is deterministic for a seed", () => {
    const again = createStore({ referenceTime: REFERENCE_TIME });
    expect(JSON.stringify(again.shop(SHOP)!.orders)).toBe(JSON.stringify(ctx.store.shop(SHOP)!.orders));
    const other = createStore({ referenceTime: REFERENCE_TIME, seed: 2 });
    expect(other.shop(SHOP)!.customers[0].email).not.toBe(ctx.store.shop(SHOP)!.customers[0].email);
  });

  it("finds records through node, nodes, customer, order and fulfillmentOrder", async () => {
    const shop = ctx.store.shop(SHOP)!;
    const order = shop.orders[10];
    const customer = shop.customers[3];
    const fo = order.fulfillmentOrders[0];
    const { body } = await ctx.ask(
      `query($o: ID!, $c: ID!, $f: ID!) {
        node(id: $o) { id ... on Order { name } }
        nodes(ids: [$c, $f, "gid://shopify/Customer/1"]) { id __typename }
        customer(id: $c) { displayName }
        order(id: $o) { name }
        fulfillmentOrder(id: $f) { status order { name } }
        missing: order(id: $c) { name }
      }`,
      { o: order.id, c: customer.id, f: fo.id },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      node: { id: order.id, name: order.name },
      nodes: [{ id: customer.id, __typename: "Customer" }, { id: fo.id, __typename: "FulfillmentOrder" }, null],
      customer: { displayName: customer.displayName },
      order: { name: order.name },
      fulfillmentOrder: { status: fo.status, order: { name: order.name } },
      missing: null,
    });
  });

  it("filters with Shopify's search syntax", async () => {
    const shop = ctx.store.shop(SHOP)!;
    const times = shop.customers.map((c) => c.updatedAt).sort();
    const threshold = times[Math.floor(times.length / 2)];
    const { body } = await ctx.ask(`query($q: String!) { customers(first: 250, query: $q) { nodes { id updatedAt } } }`, {
      q: `updated_at:>'${threshold}'`,
    });
    const expected = shop.customers.filter((c) => Date.parse(c.updatedAt) > Date.parse(threshold)).map((c) => c.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(body.data!.customers.nodes.map((c: { id: string }) => c.id)).toEqual(expected);

    const orderTimes = shop.orders.map((o) => o.updatedAt).sort();
    const since = orderTimes[orderTimes.length - 20];
    const orders = await ctx.ask(`query($q: String!) { orders(first: 250, query: $q, sortKey: UPDATED_AT) { nodes { updatedAt } } }`, {
      q: `updated_at:>=${since}`,
    });
    const got = orders.body.data!.orders.nodes.map((o: { updatedAt: string }) => o.updatedAt);
    expect(got.length).toBeGreaterThanOrEqual(20);
    expect(got).toEqual([...got].sort());
    expect(got.every((t: string) => t >= since)).toBe(true);

    const byName = await ctx.ask(`{ a: orders(first: 5, query: "name:#1001") { nodes { name } } b: orders(first: 5, query: "name:1002") { nodes { name } } }`);
    expect(byName.body.data).toEqual({ a: { nodes: [{ name: "#1001" }] }, b: { nodes: [{ name: "#1002" }] } });

    const email = shop.customers[5].email!;
    const byEmail = await ctx.ask(`query($q: String!) { customers(first: 5, query: $q) { nodes { email } } }`, { q: `email:${email}` });
    expect(byEmail.body.data!.customers.nodes).toEqual([{ email }]);

    const unknown = await ctx.ask(`{ customers(first: 1, query: "favourite_colour:blue") { nodes { id } } }`);
    expect(unknown.body.extensions!.search).toEqual([
      { path: ["customers"], query: "favourite_colour:blue", warnings: [{ field: "favourite_colour", message: "Invalid search field for this query." }] },
    ]);
  });

  it("pages through every customer exactly once with after-cursors, and back with before-cursors", async () => {
    const total = ctx.store.shop(SHOP)!.customers.length;
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const { body }: { body: GraphqlBody } = await ctx.ask(
        `query($after: String) { customers(first: 7, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`,
        { after },
      );
      const { edges, pageInfo } = body.data!.customers;
      seen.push(...edges.map((e: { node: { id: string } }) => e.node.id));
      expect(pageInfo.hasPreviousPage).toBe(page > 0);
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);

    const backwards: string[] = [];
    let before: string | null = null;
    for (let page = 0; page < 20; page++) {
      const { body }: { body: GraphqlBody } = await ctx.ask(
        `query($before: String) { customers(last: 9, before: $before) { nodes { id } pageInfo { hasPreviousPage startCursor } } }`,
        { before },
      );
      backwards.unshift(...body.data!.customers.nodes.map((n: { id: string }) => n.id));
      if (!body.data!.customers.pageInfo.hasPreviousPage) break;
      before = body.data!.customers.pageInfo.startCursor;
    }
    expect(backwards).toEqual(seen);
  });

  it("adds tags with tagsAdd, touching updatedAt", async () => {
    const customer = ctx.store.shop(SHOP)!.customers[0];
    const { body } = await ctx.ask(
      `mutation($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id ... on Customer { tags updatedAt } } userErrors { field message } } }`,
      { id: customer.id, tags: ["support-desk, urgent"] },
    );
    expect(body.data!.tagsAdd.userErrors).toEqual([]);
    expect(body.data!.tagsAdd.node.tags).toEqual(expect.arrayContaining(["support-desk", "urgent"]));
    expect(Date.parse(body.data!.tagsAdd.node.updatedAt)).toBeGreaterThan(REFERENCE_TIME);
    expect(body.extensions!.cost.requestedQueryCost).toBe(10);

    const found = await ctx.ask(`{ customers(first: 5, query: "tag:urgent") { nodes { id } } }`);
    expect(found.body.data!.customers.nodes).toEqual([{ id: customer.id }]);

    const missing = await ctx.ask(`mutation { tagsAdd(id: "gid://shopify/Customer/1", tags: ["x"]) { node { id } userErrors { field message } } }`);
    expect(missing.body.data!.tagsAdd).toEqual({ node: null, userErrors: [{ field: ["id"], message: "Resource not found" }] });
  });
});

describe("Admin GraphQL emulator: rejections", () => {
  let ctx: ReturnType<typeof setup>;
  beforeEach(() => {
    ctx = setup();
  });

  it("rejects a document with an unknown field as Shopify does, naming the field, without data", async () => {
    const { status, body } = await ctx.ask(`query Overview { shop { name supportDeskRating } }`);
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      {
        message: "Field 'supportDeskRating' doesn't exist on type 'Shop'",
        locations: [{ line: 1, column: 30 }],
        path: ["query Overview", "shop", "supportDeskRating"],
        extensions: { code: "undefinedField", typeName: "Shop", fieldName: "supportDeskRating" },
      },
    ]);
  });

  it("rejects syntax errors and unknown arguments", async () => {
    const syntax = await ctx.ask(`{ shop { name }`);
    expect(syntax.status).toBe(200);
    expect(syntax.body.errors![0].message).toMatch(/Syntax Error/);
    const argument = await ctx.ask(`{ customers(first: 1, colour: "blue") { nodes { id } } }`);
    expect(argument.body.errors![0]).toMatchObject({
      message: "Field 'customers' doesn't accept argument 'colour'",
      extensions: { code: "argumentNotAccepted" },
    });
  });

  it("answers 400 to a body without a query", async () => {
    for (const body of [null, {}, { query: "" }, { query: 42 }, "query { shop { name } }"]) {
      const response = await ctx.graphql.handle(SHOP, "t", body);
      expect(response).toEqual({ status: 400, body: { errors: { query: "Required parameter missing or invalid" } } });
    }
  });

  it("answers 404 for a shop the emulator does not have", async () => {
    expect(await ctx.graphql.handle("nope.myshopify.com", "t", { query: "{ shop { name } }" })).toEqual({
      status: 404,
      body: { errors: "Not Found" },
    });
  });

  it("requires first or last on every connection", async () => {
    const { body } = await ctx.ask(`{ shop { name } orders(query: "status:open") { nodes { id } } }`);
    expect(body.errors).toEqual([expect.objectContaining({ message: "you must provide one of first or last", path: ["orders"] })]);
    const nested = await ctx.ask(`{ orders(first: 1) { nodes { fulfillmentOrders { nodes { id } } } } }`);
    expect(nested.body.errors![0]).toMatchObject({ message: "you must provide one of first or last", path: ["orders", "nodes", 0, "fulfillmentOrders"] });
  });

  it("refuses pages larger than 250", async () => {
    const { body } = await ctx.ask(`{ customers(first: 251) { nodes { id } } }`);
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0].message).toMatch(/251.*250/);
    expect(body.errors![0].path).toEqual(["customers"]);
  });

  it("answers a field the emulator does not implement with null and an error saying so", async () => {
    const { body } = await ctx.ask(`{ shop { name } productsCount { count } }`);
    expect(body.data).toEqual({ shop: { name: "Support Desk Demo" }, productsCount: null });
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining("QueryRoot.productsCount is not implemented by the local Shopify emulator"),
        path: ["productsCount"],
        extensions: expect.objectContaining({ code: "NOT_IMPLEMENTED_IN_EMULATOR" }),
      }),
    ]);
    const mutation = await ctx.ask(`mutation { customerDelete(input: { id: "gid://shopify/Customer/1" }) { deletedCustomerId } }`);
    expect(mutation.body.data).toEqual({ customerDelete: null });
    expect(mutation.body.errors![0].message).toContain("Mutation.customerDelete is not implemented");
  });
});

describe("Admin GraphQL emulator: cost and throttling", () => {
  it("reports requested and actual cost, worked out by hand", async () => {
    const ctx = setup();
    const query = `{
      shop { name }
      customers(first: 5, reverse: true) {
        edges { cursor node { id displayName amountSpent { amount } orders(first: 2) { nodes { id name } } } }
        pageInfo { hasNextPage }
      }
    }`;
    // shop 1; customers 2 + 5 × (customer 1 + amountSpent 1 + orders (2 + 2 × order 1)) = 2 + 5 × 6 = 32.
    expect(requestedQueryCost(query)).toBe(33);
    const { body } = await ctx.ask(query);
    const cost = body.extensions!.cost;
    expect(cost.requestedQueryCost).toBe(33);
    const nodes = body.data!.customers.edges.map((e: { node: { orders: { nodes: unknown[] } } }) => e.node);
    // Actually returned: each customer 1 + amountSpent 1 + orders 2 + one per order returned.
    const actual = 1 + 2 + nodes.reduce((sum: number, n: { orders: { nodes: unknown[] } }) => sum + 1 + 1 + 2 + n.orders.nodes.length, 0);
    expect(cost.actualQueryCost).toBe(actual);
    expect(actual).toBeLessThan(33);
    expect(cost.throttleStatus).toEqual({ maximumAvailable: 2000, currentlyAvailable: 2000 - actual, restoreRate: 100 });
  });

  it("charges interfaces their most expensive selection and mutations 10", () => {
    const query = `query($id: ID!) { node(id: $id) { id ... on Order { customer { id } lineItems(first: 3) { nodes { id } } } ... on Customer { id } } }`;
    // node 1 + max(Order: customer 1 + lineItems (2 + 3 × 1), Customer: 0) = 1 + 6.
    expect(requestedQueryCost(query, { id: "gid://shopify/Order/1" })).toBe(7);
    expect(requestedQueryCost(`mutation { tagsAdd(id: "gid://shopify/Order/1", tags: ["a"]) { node { id } userErrors { message } } }`)).toBe(10);
    const skippable = `query($skip: Boolean!) { shop { name } customers(first: 10) @skip(if: $skip) { nodes { id } } }`;
    expect(requestedQueryCost(skippable, { skip: true })).toBe(1);
    expect(requestedQueryCost(skippable, { skip: false })).toBe(13);
  });

  it("refuses a query over the single-query limit of 1000", async () => {
    const ctx = setup();
    const { status, body } = await ctx.ask(`{ customers(first: 100) { nodes { orders(first: 10) { nodes { id } } } } }`);
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors![0].message).toMatch(/^Query cost is 1302, which exceeds the single query max cost limit \(1000\)/);
    expect(body.errors![0].extensions).toEqual({ code: "MAX_COST_EXCEEDED", cost: 1302, maxCost: 1000 });
  });

  it("drains the bucket, throttles, and recovers after the restore time", async () => {
    const ctx = setup({ bucketSize: 100, restoreRate: 10 });
    const query = `{ customers(first: 40) { nodes { id } } }`; // 2 + 40 = 42, all returned
    const first = await ctx.ask(query);
    expect(first.body.extensions!.cost).toMatchObject({ requestedQueryCost: 42, actualQueryCost: 42, throttleStatus: { currentlyAvailable: 58 } });
    const second = await ctx.ask(query);
    expect(second.body.extensions!.cost.throttleStatus.currentlyAvailable).toBe(16);

    const throttled = await ctx.ask(query);
    expect(throttled.status).toBe(200);
    expect(throttled.body).toEqual({
      errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
      extensions: {
        cost: {
          requestedQueryCost: 42,
          actualQueryCost: null,
          throttleStatus: { maximumAvailable: 100, currentlyAvailable: 16, restoreRate: 10 },
        },
      },
    });

    // Another app's bucket on the same shop is untouched.
    expect((await ctx.ask(query, undefined, "other-app")).body.errors).toBeUndefined();

    ctx.advance(2_000); // 16 + 20 = 36, still short of 42
    expect((await ctx.ask(query)).body.errors![0].extensions!.code).toBe("THROTTLED");
    ctx.advance(1_000); // 46
    const recovered = await ctx.ask(query);
    expect(recovered.body.errors).toBeUndefined();
    expect(recovered.body.extensions!.cost.throttleStatus.currentlyAvailable).toBe(4);
  });

  it("answers a simple query in a couple of milliseconds once warm", async () => {
    const ctx = setup();
    const query = `{ shop { name } customers(first: 10) { nodes { id displayName } } }`;
    for (let i = 0; i < 20; i++) await ctx.ask(query);
    const runs = 100;
    const started = performance.now();
    for (let i = 0; i < runs; i++) await ctx.ask(query);
    expect((performance.now() - started) / runs).toBeLessThan(3);
  });
});

describe("createStore", () => {
  it("serves several shops, each its own data", () => {
    const store: EmulatorStore = createStore({ shops: ["a.myshopify.com", "b.myshopify.com"], referenceTime: REFERENCE_TIME, customersPerShop: 8, ordersPerShop: 12 });
    expect(store.shopDomains()).toEqual(["a.myshopify.com", "b.myshopify.com"]);
    const a = store.shop("a.myshopify.com")!;
    const b = store.shop("b.myshopify.com")!;
    expect(a.customers).toHaveLength(8);
    expect(b.orders).toHaveLength(12);
    expect(a.customers[0].id).not.toBe(b.customers[0].id);
    expect(store.addShop("c.myshopify.com").info.myshopifyDomain).toBe("c.myshopify.com");
    expect(a.orderById(a.orders[3].id)).toBe(a.orders[3]);
  });
});
