/**
 * The emulator's Admin GraphQL endpoint: Shopify's real schema, Shopify's cost and throttle, and
 * resolvers over the seeded store. Requests go through the same gates, in the same order, as on
 * Shopify: body → parse → validate → cost limit → throttle → execute → refund.
 */
import {
  execute,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from "graphql";
import type { EmulatorStore } from "../store/types";
import { createBulkOperations, type BulkOperationRecord, type BulkOperations } from "./bulk";
import { CostCalculator, MAX_QUERY_COST, stripRuntimeTypenames, withRuntimeTypenames } from "./cost";
import { executionErrorJson, shopifyParseError, shopifyValidationError, type ShopifyErrorJson } from "./errors";
import { createFieldResolver, typeResolver, type RequestContext } from "./resolvers";
import { loadAdminSchema } from "./schema";
import { CostThrottle, THROTTLED_DOCUMENTATION, type ThrottleStatus } from "./throttle";

export { IMPLEMENTED_ROOT_FIELDS } from "./resolvers";
export { loadAdminSchema, validateDocument } from "./schema";
export { requestedQueryCost, MAX_QUERY_COST } from "./cost";
export { bulkFinishPayload, MAX_RUNNING_BULK_QUERIES } from "./bulk";
export type { BulkOperationErrorCode, BulkOperationRecord, BulkOperations, BulkOperationSnapshot, BulkOperationStatus } from "./bulk";

export interface AdminGraphqlOptions {
  store: EmulatorStore;
  /** Bucket size (`maximumAvailable`); default 2000. */
  bucketSize?: number;
  /** Points restored per second; default 100. */
  restoreRate?: number;
  /** Clock for the throttle and mutation timestamps; default Date.now. */
  now?: () => number;
  /** Bulk query operations; their results are served by the emulator's HTTP server. */
  bulk?: {
    /** The URL the result file for `token` is served at. */
    resultUrl(token: string): string;
    onFinish?(shop: string, operation: BulkOperationRecord): Promise<string> | void;
    /** Pause before each batch of top-level nodes; default 0. */
    delayMs?: number;
  };
}

export interface AdminGraphqlResponse {
  status: number;
  body: unknown;
}

export interface AdminGraphql {
  schema: GraphQLSchema;
  /** `body` is the parsed JSON POST body `{ query, variables?, operationName? }`. */
  handle(shop: string, bucketKey: string, body: unknown): Promise<AdminGraphqlResponse>;
  /** Present when `bulk` was configured. */
  bulk?: BulkOperations;
  /** What a shop's documents have met so far: executed, refused as THROTTLED. */
  stats(shop: string): GraphqlStats;
}

export interface GraphqlStats {
  executed: number;
  throttled: number;
  /** Requested cost of the documents executed. */
  requestedCost: number;
}

interface CostExtension {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

type Prepared = { errors: ShopifyErrorJson[] } | { document: DocumentNode; executable: DocumentNode; typenamesAdded: boolean };

const MAX_CACHED_DOCUMENTS = 500;

export function createAdminGraphql(opts: AdminGraphqlOptions): AdminGraphql {
  const schema = loadAdminSchema();
  const now = opts.now ?? Date.now;
  const throttle = new CostThrottle({ maximumAvailable: opts.bucketSize, restoreRate: opts.restoreRate, now });
  const fieldResolver = createFieldResolver(schema);
  // Bulk queries run outside any request and never touch the throttle: only the mutation is charged.
  const bulk = opts.bulk
    ? createBulkOperations({
        schema,
        fieldResolver: fieldResolver as never,
        typeResolver: typeResolver as never,
        context: (shop, execution): RequestContext => ({ shop, now, searchNotes: [], bulk: execution }),
        now,
        resultUrl: opts.bulk.resultUrl,
        onFinish: opts.bulk.onFinish,
        delayMs: opts.bulk.delayMs,
      })
    : undefined;
  const counters = new Map<string, GraphqlStats>();
  const statsOf = (shop: string) => {
    let entry = counters.get(shop);
    if (!entry) counters.set(shop, (entry = { executed: 0, throttled: 0, requestedCost: 0 }));
    return entry;
  };
  // Apps send the same few documents over and over; parse and validate each once.
  const prepared = new Map<string, Prepared>();

  const withExecutable = (document: DocumentNode): Prepared => {
    const executable = withRuntimeTypenames(schema, document);
    return { document, executable, typenamesAdded: executable !== document };
  };

  const prepare = (query: string): Prepared => {
    const hit = prepared.get(query);
    if (hit) return hit;
    let result: Prepared;
    try {
      const document = parse(query);
      const errors = validate(schema, document, specifiedRules);
      result =
        errors.length > 0
          ? { errors: errors.map((e) => shopifyValidationError(e, document)) }
          : withExecutable(document);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      result = { errors: [shopifyParseError(error)] };
    }
    if (prepared.size >= MAX_CACHED_DOCUMENTS) prepared.delete(prepared.keys().next().value!);
    prepared.set(query, result);
    return result;
  };

  const ok = (body: unknown): AdminGraphqlResponse => ({ status: 200, body });

  async function handle(shopDomain: string, bucketKey: string, body: unknown): Promise<AdminGraphqlResponse> {
    const shop = opts.store.shop(shopDomain);
    if (!shop) return { status: 404, body: { errors: "Not Found" } };

    const request = readBody(body);
    if (!request) return { status: 400, body: { errors: { query: "Required parameter missing or invalid" } } };

    const ready = prepare(request.query);
    if ("errors" in ready) return ok({ errors: ready.errors });

    const operation = getOperationAST(ready.document, request.operationName);
    if (!operation) {
      const named = ready.document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;
      const message = request.operationName
        ? `No operation named "${request.operationName}"`
        : named > 1
          ? "An operation name is required"
          : "No operations in query document";
      return ok({ errors: [{ message }] });
    }
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables);
    if (coerced.errors) return ok({ errors: coerced.errors.map((e) => shopifyParseError(e)) });

    const key = `${shopDomain}\u0000${bucketKey}`;
    const calculator = new CostCalculator(schema, ready.document, operation, coerced.coerced);
    const requested = calculator.requested();
    if (requested > MAX_QUERY_COST) {
      return ok({
        errors: [
          {
            message:
              `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).\n\n` +
              "See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n" +
              "cost of a query is calculated.\n\n" +
              "To query larger amounts of data with fewer limits, bulk operations should be used instead.\n" +
              "See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n",
            extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: MAX_QUERY_COST },
          },
        ],
        extensions: { cost: costExtension(requested, null, throttle.status(key)) },
      });
    }
    if (!throttle.take(key, requested)) {
      statsOf(shopDomain).throttled++;
      return ok({
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: THROTTLED_DOCUMENTATION } }],
        extensions: { cost: costExtension(requested, null, throttle.status(key)) },
      });
    }

    statsOf(shopDomain).executed++;
    statsOf(shopDomain).requestedCost += requested;
    const contextValue: RequestContext = { shop, now, searchNotes: [], bulkOperations: bulk };
    const result = await execute({
      schema,
      document: ready.executable,
      operationName: request.operationName ?? undefined,
      variableValues: request.variables,
      contextValue,
      rootValue: {},
      fieldResolver,
      typeResolver,
    });
    const actual = calculator.actual(result.data as Record<string, unknown> | null | undefined);
    throttle.refund(key, requested - actual);
    if (ready.typenamesAdded) stripRuntimeTypenames(result.data);

    const response: Record<string, unknown> = {};
    if (result.errors?.length) response.errors = result.errors.map(executionErrorJson);
    response.data = result.data ?? null;
    const extensions: Record<string, unknown> = { cost: costExtension(requested, actual, throttle.status(key)) };
    if (contextValue.searchNotes.length > 0) extensions.search = contextValue.searchNotes;
    response.extensions = extensions;
    return ok(response);
  }

  return { schema, handle, bulk, stats: (shop) => ({ ...statsOf(shop) }) };
}

function costExtension(requested: number, actual: number | null, throttleStatus: ThrottleStatus): CostExtension {
  return { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus };
}

interface GraphqlRequest {
  query: string;
  variables: Record<string, unknown>;
  operationName: string | null;
}

function readBody(body: unknown): GraphqlRequest | null {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return null;
  const { query, variables, operationName } = body as Record<string, unknown>;
  if (typeof query !== "string" || query.trim() === "") return null;
  let vars: unknown = variables ?? {};
  if (typeof vars === "string") {
    try {
      vars = vars.trim() === "" ? {} : JSON.parse(vars);
    } catch {
      return null;
    }
  }
  if (vars === null || typeof vars !== "object" || Array.isArray(vars)) return null;
  if (operationName !== undefined && operationName !== null && typeof operationName !== "string") return null;
  return { query, variables: vars as Record<string, unknown>, operationName: (operationName as string | null | undefined) || null };
}
