/**
 * Shopify's calculated query cost (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits):
 * scalars and enums 0, objects 1, interfaces and unions the most expensive possible selection,
 * connections 2 + (first|last) × the cost of one node, mutations 10. The requested cost is worked
 * out from the document before running it; the actual cost from the connection sizes returned.
 */
import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isLeafType,
  isListType,
  isObjectType,
  Kind,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { loadAdminSchema } from "./schema";

export const MAX_QUERY_COST = 1000;
export const MUTATION_COST = 10;

/** Added to abstract selections before execution so the actual cost knows each object's type. */
export const RUNTIME_TYPENAME = "__emulatorTypename";

type ResultObject = Record<string, unknown>;

/** A connection type in Shopify's sense: `XConnection { edges { node } nodes pageInfo }`. */
export function isConnectionType(type: GraphQLNamedType): type is GraphQLObjectType {
  if (!isObjectType(type) || !type.name.endsWith("Connection")) return false;
  const fields = type.getFields();
  return "pageInfo" in fields && ("edges" in fields || "nodes" in fields);
}

type FieldPlan =
  | { kind: "free" }
  | { kind: "connection"; def: GraphQLField<unknown, unknown>; connection: GraphQLObjectType; subSets: SelectionSetNode[] }
  | { kind: "list" | "object"; def: GraphQLField<unknown, unknown>; composite: GraphQLCompositeType; subSets: SelectionSetNode[] };

const collected = new WeakMap<SelectionSetNode, Map<string, Map<string, FieldNode[]>>>();
const plans = new WeakMap<FieldNode, Map<string, FieldPlan>>();

/** How a field is charged, which depends only on the schema and the document; cached per field node. */
function fieldPlan(parent: GraphQLCompositeType, nodes: readonly FieldNode[]): FieldPlan {
  const cacheable = nodes.length === 1;
  if (cacheable) {
    const hit = plans.get(nodes[0])?.get(parent.name);
    if (hit) return hit;
  }
  const plan = makeFieldPlan(parent, nodes);
  if (cacheable) {
    let perParent = plans.get(nodes[0]);
    if (!perParent) plans.set(nodes[0], (perParent = new Map()));
    perParent.set(parent.name, plan);
  }
  return plan;
}

function makeFieldPlan(parent: GraphQLCompositeType, nodes: readonly FieldNode[]): FieldPlan {
  const name = nodes[0].name.value;
  if (name.startsWith("__") || (isAbstractType(parent) && !isInterfaceType(parent))) return { kind: "free" };
  const def = (parent as GraphQLObjectType).getFields()[name];
  if (!def) return { kind: "free" };
  const named = getNamedType(def.type);
  if (isLeafType(named)) return { kind: "free" };
  const subSets = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
  if (isConnectionType(named)) return { kind: "connection", def, connection: named, subSets };
  const kind = isListType(getNullableType(def.type)) ? "list" : "object";
  return { kind, def, composite: named as GraphQLCompositeType, subSets };
}

export class CostCalculator {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private requestedCost: number | undefined;

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
    private readonly operation: OperationDefinitionNode,
    private readonly variables: Record<string, unknown>,
  ) {
    for (const def of document.definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(def.name.value, def);
    }
  }

  /** The most this operation can cost, before it runs. */
  requested(): number {
    return (this.requestedCost ??= this.operationCost(undefined));
  }

  /** What it did cost, given the `data` it returned (with runtime typenames still in it). */
  actual(data: ResultObject | null | undefined): number {
    return Math.min(this.requested(), this.operationCost(data ?? null));
  }

  private operationCost(data: ResultObject | null | undefined): number {
    const root = this.schema.getRootType(this.operation.operation);
    if (!root) return 0;
    if (this.operation.operation === "mutation") {
      const fields = this.collectFields(root, [this.operation.selectionSet]);
      let total = 0;
      for (const [, nodes] of fields) if (!nodes[0].name.value.startsWith("__")) total += MUTATION_COST;
      return total;
    }
    // The actual pass walks the data; a root whose data is entirely missing cost only its objects.
    return this.selectionCost(root, [this.operation.selectionSet], data === undefined ? undefined : (data ?? {}));
  }

  /**
   * Cost of selecting `sets` on `type`. `value` undefined means "requested" (statically, worst case);
   * otherwise it is the result object those selections produced.
   */
  private selectionCost(type: GraphQLCompositeType, sets: readonly SelectionSetNode[], value: ResultObject | undefined): number {
    if (sets.length === 0) return 0;
    if (isAbstractType(type)) {
      const runtimeName = value?.[RUNTIME_TYPENAME];
      const runtime = typeof runtimeName === "string" ? this.schema.getType(runtimeName) : undefined;
      if (runtime && isObjectType(runtime)) return this.fieldsCost(runtime, sets, value);
      // Worst case over the concrete types the selection distinguishes, and the type in general.
      let max = this.fieldsCost(type, sets, value);
      for (const candidate of this.typeConditions(type, sets)) max = Math.max(max, this.fieldsCost(candidate, sets, value));
      return max;
    }
    return this.fieldsCost(type, sets, value);
  }

  private fieldsCost(type: GraphQLCompositeType, sets: readonly SelectionSetNode[], value: ResultObject | undefined): number {
    let total = 0;
    for (const [key, nodes] of this.collectFields(type, sets)) {
      total += this.fieldCost(type, nodes, value === undefined ? undefined : { present: true, data: value[key] });
    }
    return total;
  }

  private fieldCost(parent: GraphQLCompositeType, nodes: readonly FieldNode[], actual: { present: true; data: unknown } | undefined): number {
    const plan = fieldPlan(parent, nodes);
    if (plan.kind === "free") return 0;
    const data = actual?.data;
    if (plan.kind === "connection") return this.connectionCost(plan.def, nodes[0], plan.connection, plan.subSets, actual);

    if (plan.kind === "list") {
      if (actual) {
        if (!Array.isArray(data)) return 0;
        let total = 0;
        for (const item of data) total += item == null ? 1 : 1 + this.selectionCost(plan.composite, plan.subSets, item as ResultObject);
        return total;
      }
      const args = this.args(plan.def, nodes[0]);
      const size = typeof args.first === "number" ? args.first : Array.isArray(args.ids) ? args.ids.length : 1;
      return Math.max(0, size) * (1 + this.selectionCost(plan.composite, plan.subSets, undefined));
    }

    if (actual) return data == null ? 1 : 1 + this.selectionCost(plan.composite, plan.subSets, data as ResultObject);
    return 1 + this.selectionCost(plan.composite, plan.subSets, undefined);
  }

  private connectionCost(
    def: GraphQLField<unknown, unknown>,
    node: FieldNode,
    connection: GraphQLObjectType,
    sets: readonly SelectionSetNode[],
    actual: { present: true; data: unknown } | undefined,
  ): number {
    // One node's selection, reached through `edges { node }` or `nodes`; both name the same objects.
    const groups: { key: string; nodeKey?: string; sets: SelectionSetNode[] }[] = [];
    let nodeType: GraphQLNamedType | undefined;
    for (const [key, fieldNodes] of this.collectFields(connection, sets)) {
      const fieldName = fieldNodes[0].name.value;
      const subSets = fieldNodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
      if (fieldName === "nodes") {
        nodeType = getNamedType(connection.getFields().nodes.type);
        groups.push({ key, sets: subSets });
      } else if (fieldName === "edges") {
        const edgeType = getNamedType(connection.getFields().edges.type) as GraphQLObjectType;
        for (const [nodeKey, nodeNodes] of this.collectFields(edgeType, subSets)) {
          if (nodeNodes[0].name.value !== "node") continue;
          nodeType = getNamedType(edgeType.getFields().node.type);
          groups.push({ key, nodeKey, sets: nodeNodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : [])) });
        }
      }
    }
    const composite = nodeType && isCompositeType(nodeType) ? nodeType : undefined;
    if (!actual) {
      const args = this.args(def, node);
      const size = Math.max(0, typeof args.first === "number" ? args.first : typeof args.last === "number" ? args.last : 0);
      let perItem = 0;
      if (composite) for (const group of groups) perItem = Math.max(perItem, 1 + this.selectionCost(composite, group.sets, undefined));
      return 2 + size * perItem;
    }
    const itemCost = (sets: SelectionSetNode[], item: unknown) =>
      composite ? (item == null ? 1 : 1 + this.selectionCost(composite, sets, item as ResultObject)) : 0;

    const value = actual.data as ResultObject | null | undefined;
    if (value == null) return 2;
    let most = 0;
    for (const group of groups) {
      const list = value[group.key];
      if (!Array.isArray(list)) continue;
      let total = 0;
      for (const entry of list) {
        const item = group.nodeKey === undefined ? entry : (entry as ResultObject | null)?.[group.nodeKey];
        total += itemCost(group.sets, item ?? null);
      }
      most = Math.max(most, total);
    }
    return 2 + most;
  }

  private args(def: GraphQLField<unknown, unknown>, node: FieldNode): Record<string, unknown> {
    try {
      return getArgumentValues(def, node, this.variables);
    } catch {
      return {};
    }
  }

  /** Fields selected on `type`, grouped by response key, following fragments that apply to it. */
  private collectFields(type: GraphQLCompositeType, sets: readonly SelectionSetNode[]): Map<string, FieldNode[]> {
    // The actual cost collects the same selection once per returned object; documents are cached,
    // so remember the answer per selection set unless directives make it depend on variables.
    const cacheable = sets.length === 1;
    if (cacheable) {
      const hit = collected.get(sets[0])?.get(type.name);
      if (hit) return hit;
    }
    const fields = new Map<string, FieldNode[]>();
    const visited = new Set<string>();
    let usesDirectives = false;
    const walk = (set: SelectionSetNode) => {
      for (const selection of set.selections) {
        if (selection.directives?.length) {
          usesDirectives = true;
          if (!this.included(selection)) continue;
        }
        if (selection.kind === Kind.FIELD) {
          const key = selection.alias?.value ?? selection.name.value;
          const list = fields.get(key);
          if (list) list.push(selection);
          else fields.set(key, [selection]);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (!selection.typeCondition || this.applies(type, selection.typeCondition.name.value)) walk(selection.selectionSet);
        } else {
          const name = selection.name.value;
          const fragment = this.fragments.get(name);
          if (!fragment || visited.has(name)) continue;
          visited.add(name);
          if (this.applies(type, fragment.typeCondition.name.value)) walk(fragment.selectionSet);
        }
      }
    };
    for (const set of sets) walk(set);
    if (cacheable && !usesDirectives) {
      let perType = collected.get(sets[0]);
      if (!perType) collected.set(sets[0], (perType = new Map()));
      perType.set(type.name, fields);
    }
    return fields;
  }

  /** Concrete types named by fragments directly under an abstract selection. */
  private typeConditions(type: GraphQLCompositeType, sets: readonly SelectionSetNode[]): GraphQLObjectType[] {
    const found = new Map<string, GraphQLObjectType>();
    const visited = new Set<string>();
    const consider = (name: string) => {
      const candidate = this.schema.getType(name);
      if (candidate && isObjectType(candidate) && isAbstractType(type) && this.schema.isSubType(type, candidate)) found.set(name, candidate);
    };
    const walk = (set: SelectionSetNode) => {
      for (const selection of set.selections) {
        if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (selection.typeCondition) consider(selection.typeCondition.name.value);
          walk(selection.selectionSet);
        } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
          const fragment = this.fragments.get(selection.name.value);
          if (!fragment || visited.has(fragment.name.value)) continue;
          visited.add(fragment.name.value);
          consider(fragment.typeCondition.name.value);
          walk(fragment.selectionSet);
        }
      }
    };
    for (const set of sets) walk(set);
    return [...found.values()];
  }

  private applies(type: GraphQLCompositeType, conditionName: string): boolean {
    if (conditionName === type.name) return true;
    const condition = this.schema.getType(conditionName);
    if (!condition || !isAbstractType(condition)) return false;
    if (isObjectType(type) || isInterfaceType(type)) return this.schema.isSubType(condition, type);
    return false;
  }

  private included(node: { readonly directives?: readonly DirectiveNode[] }): boolean {
    if (!node.directives?.length) return true;
    const skip = getDirectiveValues(GraphQLSkipDirective, node, this.variables);
    if (skip?.if === true) return false;
    const include = getDirectiveValues(GraphQLIncludeDirective, node, this.variables);
    return include?.if !== false;
  }
}

/**
 * Adds `__emulatorTypename: __typename` to every selection on an interface or union, so the actual
 * cost can follow the concrete type of each returned object. Run on a validated document.
 */
export function withRuntimeTypenames(schema: GraphQLSchema, document: DocumentNode): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  const typenameField: FieldNode = {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: RUNTIME_TYPENAME },
    name: { kind: Kind.NAME, value: "__typename" },
  };
  return visit(
    document,
    visitWithTypeInfo(typeInfo, {
      SelectionSet(node) {
        const parent = typeInfo.getParentType();
        if (parent && isAbstractType(parent)) return { ...node, selections: [...node.selections, typenameField] };
        return undefined;
      },
    }),
  );
}

/** Removes the runtime typenames `withRuntimeTypenames` added, in place. */
export function stripRuntimeTypenames(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) stripRuntimeTypenames(item);
  } else if (value !== null && typeof value === "object") {
    const record = value as ResultObject;
    if (RUNTIME_TYPENAME in record) delete record[RUNTIME_TYPENAME];
    for (const key in record) {
      const child = record[key];
      if (child !== null && typeof child === "object") stripRuntimeTypenames(child);
    }
  }
}

/**
 * The requested cost Shopify would report for a document, for tests that keep the app's queries
 * within budget. Assumes the document is valid (see validateDocument).
 */
export function requestedQueryCost(source: string, variables: Record<string, unknown> = {}, operationName?: string): number {
  const schema = loadAdminSchema();
  const document = parse(source);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
  );
  if (!operation) throw new Error(`No operation ${operationName ?? ""} in document`);
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) throw coerced.errors[0];
  return new CostCalculator(schema, document, operation, coerced.coerced).requested();
}
