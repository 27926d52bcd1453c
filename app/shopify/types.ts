/** The `admin.graphql` function shopify-app-remix hands to request handlers and hooks. */
export type AdminGraphql = (
  query: string,
  options?: { variables?: Record<string, unknown> },
) => Promise<Response>;

export interface GraphqlError {
  message: string;
  extensions?: { code?: string };
}

/** Reads a GraphQL response body, throwing a readable error when Shopify answered with errors. */
export async function readGraphqlData<T>(response: Response, operation: string): Promise<T> {
  const body = (await response.json()) as { data?: T; errors?: GraphqlError[] | string };
  if (body.errors) {
    const messages = Array.isArray(body.errors) ? body.errors.map((e) => e.message).join("; ") : body.errors;
    throw new Error(`${operation} failed: ${messages}`);
  }
  if (!body.data) throw new Error(`${operation} returned no data`);
  return body.data;
}
