/**
 * Bulk query operations (https://shopify.dev/docs/api/usage/bulk-operations/queries), 2026-10 rules:
 * up to five running bulk queries per shop, one top-level connection, at most five connections,
 * nested at most two levels below the top. The inner query runs with the ordinary resolvers, with
 * every connection unpaged, one batch of top-level nodes at a time so a 100 000-order export never
 * holds more than a batch in memory; lines stream to a temp file the emulator serves at `url`.
 *
 * JSONL: one line per node of any connection; nodes of nested connections carry `__parentId` and
 * are removed from their parent's line; plain lists and objects stay inline. Lines come parent
 * first, each followed by its children (depth first), whatever `groupObjects` says: Shopify only
 * promises children come somewhere after their parent, and in practice they follow it directly.
 */
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdtempSync, rmSync, statSync, unlinkSync, type WriteStream } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  execute,
  getDirectiveValues,
  getNamedType,
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isInterfaceType,
  isLeafType,
  isObjectType,
  Kind,
  parse,
  specifiedRules,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type GraphQLTypeResolver,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { isoSeconds } from "../store/seed";
import type { ShopData } from "../store/types";
import type { Connection } from "./connection";
import { isConnectionType, RUNTIME_TYPENAME, withRuntimeTypenames } from "./cost";
import { shopifyValidationError } from "./errors";

/** 2026-01 and later: five bulk query operations at a time per app and shop (one before 2026-01). */
export const MAX_RUNNING_BULK_QUERIES = 5;
export const MAX_BULK_CONNECTIONS = 5;
/** Levels of connections below the top-level one. */
export const MAX_BULK_NESTING = 2;
/** Top-level nodes resolved per batch: Shopify's page size, small enough to keep memory flat. */
export const BULK_BATCH_SIZE = 250;

export type BulkOperationStatus = "CANCELED" | "CANCELING" | "COMPLETED" | "CREATED" | "EXPIRED" | "FAILED" | "RUNNING";
export type BulkOperationErrorCode = "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT";

/** The BulkOperation object as the Admin API returns it (fields resolve by name). */
export interface BulkOperationRecord {
  __typename: "BulkOperation";
  id: string;
  status: BulkOperationStatus;
  errorCode: BulkOperationErrorCode | null;
  createdAt: string;
  completedAt: string | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  url: string | null;
  partialDataUrl: string | null;
  query: string;
  type: "QUERY" | "MUTATION";
}

/** What a test sees of an operation: the record plus how the emulator got there. */
export interface BulkOperationSnapshot extends BulkOperationRecord {
  shop: string;
  groupObjects: boolean;
  /** Execution errors that failed the operation (Shopify only reports the errorCode). */
  emulatorErrors: string[];
  /** What became of the bulk_operations/finish webhook, once known. */
  finishWebhook: string | null;
}

export interface BulkUserError {
  field: string[] | null;
  message: string;
  code: "INVALID" | "LIMIT_REACHED" | "OPERATION_IN_PROGRESS";
}

export interface BulkRunPayload {
  bulkOperation: BulkOperationRecord | null;
  userErrors: BulkUserError[];
}

/** What a bulk query's execution tells the resolvers (RequestContext.bulk). */
export interface BulkExecution {
  /** The window of top-level nodes this batch resolves. */
  first: number;
  after: string | null;
  /** Set by the field resolver: the top-level connection of this batch, for its pageInfo. */
  rootPage?: Connection<unknown>;
}

export interface BulkOperationsOptions {
  schema: GraphQLSchema;
  fieldResolver: GraphQLFieldResolver<unknown, unknown>;
  typeResolver: GraphQLTypeResolver<unknown, unknown>;
  /** Builds the execution context of one batch for a shop. */
  context(shop: ShopData, bulk: BulkExecution): unknown;
  now: () => number;
  /** Where the file for `token` is served, e.g. http://127.0.0.1:8787/emulator/bulk-results/<token>.jsonl */
  resultUrl(token: string): string;
  /**
   * Called once an operation has finished (completed, failed or canceled), e.g. to send the
   * bulk_operations/finish webhook; what it resolves to is kept as the snapshot's `finishWebhook`.
   */
  onFinish?(shop: string, operation: BulkOperationRecord): Promise<string> | void;
  /** Pause before each batch, so a test or demo can watch RUNNING and a growing objectCount. */
  delayMs?: number;
}

export interface BulkOperations {
  run(shop: ShopData, query: string, groupObjects: boolean): BulkRunPayload;
  cancel(shop: ShopData, id: string): { bulkOperation: BulkOperationRecord | null; userErrors: { field: string[] | null; message: string }[] };
  get(shop: string, id: string): BulkOperationRecord | undefined;
  /** Newest first. */
  list(shop: string): BulkOperationRecord[];
  /** The next operation for the shop fails with this code (no url, no partial data). */
  failNext(shop: string, errorCode?: BulkOperationErrorCode): void;
  /** The shop's operations stay RUNNING, before their next batch, until the returned release is called. */
  hold(shop: string): () => void;
  /** Copies of the shop's operations, oldest first. */
  operations(shop: string): BulkOperationSnapshot[];
  /** The result file behind a served token, if it exists. */
  resultFile(token: string): { path: string; size: number } | undefined;
  /** Resolves once no operation is running and every finish webhook has been answered. */
  idle(): Promise<void>;
  /** Stops running operations and deletes every result file. */
  close(): Promise<void>;
}

interface Job {
  shop: string;
  record: BulkOperationRecord;
  groupObjects: boolean;
  document: DocumentNode;
  failWith: BulkOperationErrorCode | null;
  cancelRequested: boolean;
  errors: string[];
  token: string | null;
  done: Promise<void>;
  finishWebhook: string | null;
  webhookDone: Promise<unknown>;
}

const ACTIVE: ReadonlySet<BulkOperationStatus> = new Set(["CREATED", "RUNNING", "CANCELING"]);
const BULK_ID = "__emulatorBulkId";
const UNPAGED = Number.MAX_SAFE_INTEGER;
const ID_BASE = 4_100_000_000_000;

export function createBulkOperations(opts: BulkOperationsOptions): BulkOperations {
  const jobs = new Map<string, Job>();
  const failNextByShop = new Map<string, BulkOperationErrorCode>();
  const heldByShop = new Map<string, { until: Promise<void>; release: () => void }>();
  const files = new Map<string, string>();
  let nextId = ID_BASE + 1;
  let dir: string | undefined;
  let closed = false;

  const resultDir = () => (dir ??= mkdtempSync(path.join(tmpdir(), "shopify-emulator-bulk-")));
  const jobsOf = (shop: string) => [...jobs.values()].filter((j) => j.shop === shop);

  function run(shop: ShopData, query: string, groupObjects: boolean): BulkRunPayload {
    const domain = shop.info.myshopifyDomain;
    const checked = checkBulkQuery(opts.schema, query);
    if ("userErrors" in checked) return { bulkOperation: null, userErrors: checked.userErrors };
    const running = jobsOf(domain).filter((j) => ACTIVE.has(j.record.status));
    if (running.length >= MAX_RUNNING_BULK_QUERIES) {
      return {
        bulkOperation: null,
        userErrors: [
          {
            field: null,
            message: `A shop can run at most ${MAX_RUNNING_BULK_QUERIES} bulk query operations at a time; wait for one to finish or cancel it (running: ${running.map((j) => j.record.id).join(", ")}).`,
            code: "LIMIT_REACHED",
          },
        ],
      };
    }
    const record: BulkOperationRecord = {
      __typename: "BulkOperation",
      id: `gid://shopify/BulkOperation/${nextId++}`,
      status: "CREATED",
      errorCode: null,
      createdAt: isoSeconds(opts.now()),
      completedAt: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: null,
      url: null,
      partialDataUrl: null,
      query,
      type: "QUERY",
    };
    const job: Job = {
      shop: domain,
      record,
      groupObjects,
      document: checked.executable,
      failWith: failNextByShop.get(domain) ?? null,
      cancelRequested: false,
      errors: [],
      token: null,
      done: Promise.resolve(),
      finishWebhook: null,
      webhookDone: Promise.resolve(),
    };
    failNextByShop.delete(domain);
    jobs.set(record.id, job);
    // The mutation answers CREATED; the work starts on a later turn of the event loop.
    job.done = new Promise<void>((resolve) => setImmediate(() => resolve())).then(() => runJob(shop, job));
    return { bulkOperation: record, userErrors: [] };
  }

  async function runJob(shop: ShopData, job: Job): Promise<void> {
    const { record } = job;
    if (job.cancelRequested || closed) return finish(job, "CANCELED");
    record.status = "RUNNING";
    if (job.failWith) {
      await pause(opts.delayMs);
      await heldByShop.get(job.shop)?.until;
      return finish(job, "FAILED", job.failWith);
    }
    job.token = randomBytes(16).toString("hex");
    const file = path.join(resultDir(), `${job.token}.jsonl`);
    files.set(job.token, file);
    const out = createWriteStream(file);
    const flattener = new Flattener(opts.schema);
    let after: string | null = null;
    try {
      for (;;) {
        await pause(opts.delayMs);
        await heldByShop.get(job.shop)?.until;
        if (job.cancelRequested || closed) {
          await closeStream(out);
          return finish(job, "CANCELED");
        }
        const bulk: BulkExecution = { first: BULK_BATCH_SIZE, after };
        const result = await execute({
          schema: opts.schema,
          document: job.document,
          contextValue: opts.context(shop, bulk),
          rootValue: {},
          fieldResolver: opts.fieldResolver,
          typeResolver: opts.typeResolver,
        });
        if (result.errors?.length) {
          job.errors.push(...result.errors.map((e) => `${e.message}${e.path ? ` (at ${e.path.join(".")})` : ""}`));
          await closeStream(out);
          return finish(job, "FAILED", "INTERNAL_SERVER_ERROR");
        }
        const batch = flattener.flatten(job.document, result.data ?? {});
        record.rootObjectCount += batch.roots;
        record.objectCount += batch.objects;
        if (batch.text && !out.write(batch.text)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
        const page = bulk.rootPage;
        if (!page || !page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
        after = page.pageInfo.endCursor;
      }
      await closeStream(out);
      finish(job, "COMPLETED");
    } catch (error) {
      job.errors.push((error as Error).message);
      out.destroy();
      finish(job, "FAILED", "INTERNAL_SERVER_ERROR");
    }
  }

  function finish(job: Job, status: BulkOperationStatus, errorCode: BulkOperationErrorCode | null = null): void {
    const { record } = job;
    record.status = status;
    record.errorCode = errorCode;
    record.completedAt = isoSeconds(opts.now());
    const file = job.token ? files.get(job.token) : undefined;
    const size = file ? fileSize(file) : 0;
    if (file && (record.objectCount === 0 || status === "CANCELED" || size === 0)) {
      // Shopify returns no url when a query produced nothing.
      removeFile(file);
      files.delete(job.token!);
    } else if (file && status === "COMPLETED") {
      record.url = opts.resultUrl(job.token!);
      record.fileSize = size;
    } else if (file && status === "FAILED") {
      record.partialDataUrl = opts.resultUrl(job.token!);
    }
    if (closed) return;
    const delivery = opts.onFinish?.(job.shop, { ...record });
    if (delivery) job.webhookDone = delivery.then((outcome) => (job.finishWebhook = outcome));
  }

  return {
    run,
    cancel(shop, id) {
      const job = jobs.get(id);
      if (!job || job.shop !== shop.info.myshopifyDomain) {
        return { bulkOperation: null, userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }] };
      }
      if (!ACTIVE.has(job.record.status)) {
        return {
          bulkOperation: job.record,
          userErrors: [{ field: null, message: `A bulk operation cannot be canceled when it is ${job.record.status.toLowerCase()}` }],
        };
      }
      job.cancelRequested = true;
      job.record.status = "CANCELING";
      return { bulkOperation: job.record, userErrors: [] };
    },
    get: (shop, id) => {
      const job = jobs.get(id);
      return job && job.shop === shop ? job.record : undefined;
    },
    list: (shop) => jobsOf(shop).map((j) => j.record).reverse(),
    failNext(shop, errorCode = "INTERNAL_SERVER_ERROR") {
      failNextByShop.set(shop, errorCode);
    },
    hold(shop) {
      let release!: () => void;
      const until = new Promise<void>((resolve) => (release = resolve));
      const held = { until, release: () => release() };
      heldByShop.set(shop, held);
      return () => {
        if (heldByShop.get(shop) === held) heldByShop.delete(shop);
        held.release();
      };
    },
    operations: (shop) =>
      jobsOf(shop).map((j) => ({
        ...j.record,
        shop: j.shop,
        groupObjects: j.groupObjects,
        emulatorErrors: [...j.errors],
        finishWebhook: j.finishWebhook,
      })),
    resultFile(token) {
      const file = files.get(token);
      if (!file) return undefined;
      try {
        return { path: file, size: statSync(file).size };
      } catch {
        return undefined;
      }
    },
    async idle() {
      await Promise.all([...jobs.values()].map((j) => j.done));
      await Promise.all([...jobs.values()].map((j) => j.webhookDone));
    },
    async close() {
      closed = true;
      // Held operations go on to see `closed` and stop.
      for (const held of heldByShop.values()) held.release();
      heldByShop.clear();
      await Promise.all([...jobs.values()].map((j) => j.done));
      if (dir) rmSync(dir, { recursive: true, force: true });
      files.clear();
    },
  };
}

// ---- validation ------------------------------------------------------------------------------

type Checked = { userErrors: BulkUserError[] } | { executable: DocumentNode };

const invalid = (message: string): { userErrors: BulkUserError[] } => ({ userErrors: [{ field: ["query"], message, code: "INVALID" }] });

/** Schema validation, then Shopify's bulk rules; the answer is the document to execute per batch. */
export function checkBulkQuery(schema: GraphQLSchema, query: string): Checked {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    if (error instanceof GraphQLError) return invalid(`Invalid bulk query: ${error.message}`);
    throw error;
  }
  const errors = validate(schema, document, specifiedRules);
  if (errors.length > 0) {
    return {
      userErrors: errors.map((e) => ({ field: ["query"], message: `Invalid bulk query: ${shopifyValidationError(e, document).message}`, code: "INVALID" })),
    };
  }
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1) return invalid("Bulk queries must contain exactly one operation.");
  const [operation] = operations;
  if (operation.operation !== "query") return invalid(`Bulk queries cannot contain ${operation.operation}s; use bulkOperationRunMutation.`);
  if (operation.variableDefinitions?.length) return invalid("Bulk queries cannot declare variables; write the values into the query.");

  const inlined = inlineFragments(document, operation);
  const root = schema.getQueryType()!;
  const inlinedOperation = inlined.definitions[0] as OperationDefinitionNode;
  const topFields = [...collectFields(schema, root, [inlinedOperation.selectionSet]).values()].map((nodes) => nodes[0]);
  const named = topFields.filter((f) => f.name.value !== "__typename");
  if (named.length !== 1) return invalid("Bulk queries must select exactly one top-level field, and it must be a connection.");
  const top = named[0];
  if (top.name.value === "node" || top.name.value === "nodes") return invalid(`The top-level ${top.name.value} field can't be used in a bulk query.`);
  if (!isConnectionType(getNamedType(root.getFields()[top.name.value].type))) {
    return invalid("Bulk queries must contain at least one connection, as the top-level field.");
  }

  // Count connections and their depth below the top-level one.
  const typeInfo = new TypeInfo(schema);
  const stack: boolean[] = [];
  let connections = 0;
  let deepest = 0;
  let problem: string | null = null;
  visit(
    inlined,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter() {
          const type = typeInfo.getType();
          const connection = type ? isConnectionType(getNamedType(type)) : false;
          if (connection) {
            connections++;
            const depth = stack.filter(Boolean).length;
            deepest = Math.max(deepest, depth);
            const nodeType = connectionNodeType(getNamedType(type!) as GraphQLObjectType);
            if (!problem && !implementsNode(nodeType)) {
              problem = `Bulk queries can only select connections whose nodes implement Node (${getNamedType(type!).name} does not).`;
            }
          }
          stack.push(connection);
        },
        leave() {
          stack.pop();
        },
      },
    }),
  );
  if (problem) return invalid(problem);
  if (connections > MAX_BULK_CONNECTIONS) return invalid(`Bulk queries cannot contain more than ${MAX_BULK_CONNECTIONS} connections (this one has ${connections}).`);
  if (deepest > MAX_BULK_NESTING) {
    return invalid(`Bulk queries cannot nest connections more than ${MAX_BULK_NESTING} levels deep (this one nests ${deepest}).`);
  }
  return { executable: withRuntimeTypenames(schema, withNodeIds(schema, inlined)) };
}

function connectionNodeType(connection: GraphQLObjectType): GraphQLNamedType | undefined {
  const fields = connection.getFields();
  if (fields.nodes) return getNamedType(fields.nodes.type);
  const edge = fields.edges ? (getNamedType(fields.edges.type) as GraphQLObjectType) : undefined;
  return edge ? getNamedType(edge.getFields().node.type) : undefined;
}

function implementsNode(type: GraphQLNamedType | undefined): boolean {
  if (!type) return false;
  if (isObjectType(type) || isInterfaceType(type)) return type.name === "Node" || type.getInterfaces().some((i) => i.name === "Node");
  return false;
}

/** The operation alone, with every fragment spread replaced by its inline equivalent. */
function inlineFragments(document: DocumentNode, operation: OperationDefinitionNode): DocumentNode {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const inline = (set: SelectionSetNode): SelectionSetNode =>
    visit(set, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value)!;
        return { kind: Kind.INLINE_FRAGMENT, typeCondition: fragment.typeCondition, directives: spread.directives, selectionSet: inline(fragment.selectionSet) };
      },
    });
  return { kind: Kind.DOCUMENT, definitions: [{ ...operation, selectionSet: inline(operation.selectionSet) }] };
}

/** Every connection node also selects its id, under an alias of our own, to be its children's __parentId. */
function withNodeIds(schema: GraphQLSchema, document: DocumentNode): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  const idField: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: BULK_ID }, name: { kind: Kind.NAME, value: "id" } };
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        leave(field) {
          const parent = typeInfo.getParentType();
          if (!parent || !field.selectionSet) return undefined;
          const isNodeList = field.name.value === "nodes" && isConnectionType(parent);
          const isEdgeNode = field.name.value === "node" && isObjectType(parent) && parent.name.endsWith("Edge") && "cursor" in parent.getFields();
          if (!isNodeList && !isEdgeNode) return undefined;
          return { ...field, selectionSet: { ...field.selectionSet, selections: [...field.selectionSet.selections, idField] } };
        },
      },
    }),
  );
}

// ---- flattening ------------------------------------------------------------------------------

const collectedCache = new WeakMap<SelectionSetNode, Map<string, Map<string, FieldNode[]>>>();

/** Fields selected on `type`, by response key, through the inline fragments that apply to it. */
function collectFields(schema: GraphQLSchema, type: GraphQLCompositeType, sets: readonly SelectionSetNode[]): Map<string, FieldNode[]> {
  const cacheable = sets.length === 1;
  if (cacheable) {
    const hit = collectedCache.get(sets[0])?.get(type.name);
    if (hit) return hit;
  }
  const fields = new Map<string, FieldNode[]>();
  const skipped = (node: { directives?: readonly unknown[] }) => {
    if (!node.directives?.length) return false;
    const n = node as Parameters<typeof getDirectiveValues>[1];
    return getDirectiveValues(GraphQLSkipDirective, n)?.if === true || getDirectiveValues(GraphQLIncludeDirective, n)?.if === false;
  };
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (skipped(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const list = fields.get(key);
        if (list) list.push(selection);
        else fields.set(key, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : undefined;
        const applies = !condition || condition === type || (isAbstractType(condition) && isObjectType(type) && schema.isSubType(condition, type));
        if (applies) walk(selection.selectionSet);
      }
    }
  };
  for (const set of sets) walk(set);
  if (cacheable) {
    let perSet = collectedCache.get(sets[0]);
    if (!perSet) collectedCache.set(sets[0], (perSet = new Map()));
    perSet.set(type.name, fields);
  }
  return fields;
}

const subSets = (nodes: readonly FieldNode[]) => nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));

type ResultObject = Record<string, unknown>;

interface PendingConnection {
  value: ResultObject;
  type: GraphQLObjectType;
  sets: SelectionSetNode[];
}

/** Turns one batch's execution result into JSONL lines. */
class Flattener {
  private lines: string[] = [];

  constructor(private readonly schema: GraphQLSchema) {}

  flatten(document: DocumentNode, data: ResultObject): { text: string; roots: number; objects: number } {
    this.lines = [];
    const operation = document.definitions[0] as OperationDefinitionNode;
    const root = this.schema.getQueryType()!;
    let roots = 0;
    for (const [key, nodes] of collectFields(this.schema, root, [operation.selectionSet])) {
      const def = root.getFields()[nodes[0].name.value];
      if (!def) continue;
      const type = getNamedType(def.type);
      const value = data[key] as ResultObject | null;
      if (value && isConnectionType(type)) roots += this.connection({ value, type, sets: subSets(nodes) }, null);
    }
    const objects = this.lines.length;
    return { text: objects ? this.lines.join("\n") + "\n" : "", roots, objects };
  }

  /** Emits the connection's nodes (and their descendants); answers how many nodes it had. */
  private connection(pending: PendingConnection, parentId: string | null): number {
    const { value, type, sets } = pending;
    const fields = type.getFields();
    for (const [key, nodes] of collectFields(this.schema, type, sets)) {
      const name = nodes[0].name.value;
      if (name === "nodes") {
        const list = (value[key] as ResultObject[] | null) ?? [];
        const nodeType = getNamedType(fields.nodes.type) as GraphQLCompositeType;
        for (const node of list) this.node(node, nodeType, subSets(nodes), parentId);
        return list.length;
      }
      if (name === "edges") {
        const edgeType = getNamedType(fields.edges.type) as GraphQLObjectType;
        for (const [nodeKey, nodeNodes] of collectFields(this.schema, edgeType, subSets(nodes))) {
          if (nodeNodes[0].name.value !== "node") continue;
          const nodeType = getNamedType(edgeType.getFields().node.type) as GraphQLCompositeType;
          const list = (value[key] as ResultObject[] | null) ?? [];
          for (const edge of list) this.node(edge[nodeKey] as ResultObject, nodeType, subSets(nodeNodes), parentId);
          return list.length;
        }
      }
      // pageInfo, totalCount-like fields and cursors mean nothing in a bulk file.
    }
    return 0;
  }

  private node(value: ResultObject | null, type: GraphQLCompositeType, sets: SelectionSetNode[], parentId: string | null): void {
    if (!value) return;
    const children: PendingConnection[] = [];
    const line = this.project(value, this.concrete(type, value), sets, children) as ResultObject;
    if (parentId) line.__parentId = parentId;
    this.lines.push(JSON.stringify(line));
    const id = value[BULK_ID] as string | undefined;
    for (const child of children) this.connection(child, id ?? parentId);
  }

  private concrete(type: GraphQLCompositeType, value: ResultObject): GraphQLObjectType {
    if (isObjectType(type)) return type;
    const runtime = this.schema.getType(String(value[RUNTIME_TYPENAME]));
    if (!runtime || !isObjectType(runtime)) throw new Error(`No runtime type for a ${type.name} in the bulk result`);
    return runtime;
  }

  /** The object without its nested connections, which are handed back in `children`. */
  private project(value: ResultObject, type: GraphQLObjectType, sets: SelectionSetNode[], children: PendingConnection[]): ResultObject {
    const out: ResultObject = {};
    const fields = type.getFields();
    for (const [key, nodes] of collectFields(this.schema, type, sets)) {
      if (key === BULK_ID || key === RUNTIME_TYPENAME) continue;
      const v = value[key];
      const def = fields[nodes[0].name.value];
      if (!def) {
        out[key] = v; // __typename
        continue;
      }
      const named = getNamedType(def.type);
      if (isConnectionType(named)) {
        if (v) children.push({ value: v as ResultObject, type: named, sets: subSets(nodes) });
        continue;
      }
      if (isLeafType(named) || v === null || v === undefined) {
        out[key] = v;
        continue;
      }
      const composite = named as GraphQLCompositeType;
      const inner = subSets(nodes);
      const projectOne = (item: unknown) =>
        item === null ? null : this.project(item as ResultObject, this.concrete(composite, item as ResultObject), inner, children);
      out[key] = Array.isArray(v) ? v.map(projectOne) : projectOne(v);
    }
    return out;
  }
}

// ---- helpers ---------------------------------------------------------------------------------

function pause(ms: number | undefined): Promise<void> {
  // Always give way to the event loop, so the emulator answers polls while a large export runs.
  return new Promise((resolve) => (ms && ms > 0 ? setTimeout(resolve, ms) : setImmediate(() => resolve())));
}

function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function removeFile(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

/** The finish webhook's body: the operation with lowercase status, error code and type. */
export function bulkFinishPayload(operation: BulkOperationRecord): Record<string, unknown> {
  return {
    admin_graphql_api_id: operation.id,
    completed_at: operation.completedAt,
    created_at: operation.createdAt,
    error_code: operation.errorCode ? operation.errorCode.toLowerCase() : null,
    status: operation.status.toLowerCase(),
    type: operation.type.toLowerCase(),
  };
}
