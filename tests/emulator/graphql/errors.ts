/** Errors worded as Shopify (graphql-ruby) words them, where we know the wording. */
import { Kind, parseType, visit, type ASTNode, type DocumentNode, type GraphQLError } from "graphql";

/** Thrown by resolvers; graphql-js keeps `extensions` when it locates the error. */
export class EmulatorError extends Error {
  readonly extensions: Record<string, unknown>;
  constructor(message: string, code: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.extensions = { code, ...extra };
  }
}

export function notImplemented(typeName: string, fieldName: string): EmulatorError {
  return new EmulatorError(
    `${typeName}.${fieldName} is not implemented by the local Shopify emulator (tests/emulator/graphql/resolvers.ts).`,
    "NOT_IMPLEMENTED_IN_EMULATOR",
    { typeName, fieldName },
  );
}

export interface ShopifyErrorJson {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

/** graphql-ruby's path for a validation error: operation label, then the fields leading to the node. */
function pathTo(document: DocumentNode, target: ASTNode): string[] | undefined {
  let found: string[] | undefined;
  visit(document, {
    enter(node, _key, _parent, _path, ancestors) {
      if (found) return false;
      if (node !== target) return undefined;
      const labels: string[] = [];
      for (const ancestor of [...ancestors, node] as unknown[]) {
        if (!ancestor || Array.isArray(ancestor) || typeof ancestor !== "object") continue;
        const a = ancestor as ASTNode;
        if (a.kind === Kind.OPERATION_DEFINITION) labels.push(a.name ? `${a.operation} ${a.name.value}` : a.operation);
        else if (a.kind === Kind.FRAGMENT_DEFINITION) labels.push(`fragment ${a.name.value}`);
        else if (a.kind === Kind.FIELD) labels.push(a.alias?.value ?? a.name.value);
        else if (a.kind === Kind.INLINE_FRAGMENT) labels.push(a.typeCondition ? `... on ${a.typeCondition.name.value}` : "...");
      }
      found = labels;
      return false;
    },
  });
  return found;
}

function namedTypeOf(typeString: string): string {
  try {
    const ast = parseType(typeString);
    let t: { kind: string; type?: unknown; name?: { value: string } } = ast;
    while (t.kind !== Kind.NAMED_TYPE) t = t.type as typeof t;
    return t.name!.value;
  } catch {
    return typeString;
  }
}

function operationLabel(document: DocumentNode): string {
  const op = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  return op && op.kind === Kind.OPERATION_DEFINITION ? (op.name ? `${op.operation} ${op.name.value}` : op.operation) : "query";
}

/** Rewrites a graphql-js validation error into the shape and words Shopify answers with. */
export function shopifyValidationError(error: GraphQLError, document: DocumentNode): ShopifyErrorJson {
  const json: ShopifyErrorJson = { message: error.message };
  if (error.locations?.length) json.locations = error.locations.map(({ line, column }) => ({ line, column }));
  const node = error.nodes?.[0];
  const path = node ? pathTo(document, node) : undefined;
  if (path) json.path = path;
  const m = error.message;
  let match: RegExpExecArray | null;
  if ((match = /^Cannot query field "(.+?)" on type "(.+?)"\./.exec(m))) {
    json.message = `Field '${match[1]}' doesn't exist on type '${match[2]}'`;
    json.extensions = { code: "undefinedField", typeName: match[2], fieldName: match[1] };
  } else if ((match = /^Unknown argument "(.+?)" on field "(.+?)\.(.+?)"\./.exec(m))) {
    json.message = `Field '${match[3]}' doesn't accept argument '${match[1]}'`;
    json.extensions = { code: "argumentNotAccepted", name: match[3], typeName: "Field", argumentName: match[1] };
  } else if ((match = /^Field "(.+?)" argument "(.+?)" of type "(.+?)" is required, but it was not provided\./.exec(m))) {
    json.message = `Field '${match[1]}' is missing required arguments: ${match[2]}`;
    json.extensions = { code: "missingRequiredArguments", className: "Field", name: match[1], arguments: match[2] };
  } else if ((match = /^Field "(.+?)" of type "(.+?)" must have a selection of subfields/.exec(m))) {
    const typeName = namedTypeOf(match[2]);
    json.message = `Field must have selections (field '${match[1]}' returns ${typeName} but has no selections. Did you mean '${match[1]} { ... }'?)`;
    json.extensions = { code: "selectionMismatch", nodeName: `field '${match[1]}'`, typeName };
  } else if ((match = /^Field "(.+?)" must not have a selection since type "(.+?)" has no subfields\./.exec(m))) {
    const typeName = namedTypeOf(match[2]);
    json.message = `Selections can't be made on scalars (field '${match[1]}' returns ${typeName} but has selections)`;
    json.extensions = { code: "selectionMismatch", nodeName: `field '${match[1]}'`, typeName };
  } else if ((match = /^Variable "\$(.+?)" is never used/.exec(m))) {
    json.message = `Variable $${match[1]} is declared by ${operationLabel(document)} but not used`;
    json.extensions = { code: "variableNotUsed", variableName: match[1] };
  } else if ((match = /^Variable "\$(.+?)" is not defined/.exec(m))) {
    json.message = `Variable $${match[1]} is used by ${operationLabel(document)} but not declared`;
    json.extensions = { code: "variableNotDefined", variableName: match[1] };
  } else if ((match = /^Unknown type "(.+?)"\./.exec(m))) {
    json.extensions = { code: "undefinedType", typeName: match[1] };
  }
  return json;
}

/** A syntax error, keeping graphql-js's wording (Shopify's parser words these differently). */
export function shopifyParseError(error: GraphQLError): ShopifyErrorJson {
  const json: ShopifyErrorJson = { message: error.message };
  if (error.locations?.length) json.locations = error.locations.map(({ line, column }) => ({ line, column }));
  return json;
}

/** An execution error as JSON: message, locations, path, and extensions when there are any. */
export function executionErrorJson(error: GraphQLError): ShopifyErrorJson {
  const json: ShopifyErrorJson = { message: error.message };
  if (error.locations?.length) json.locations = error.locations.map(({ line, column }) => ({ line, column }));
  if (error.path) json.path = [...error.path];
  if (error.extensions && Object.keys(error.extensions).length > 0) json.extensions = { ...error.extensions };
  return json;
}
