/** The shopper a compliance request is about, as Shopify identifies them. */
export interface DataSubject {
  customerId: string | null;
  email: string | null;
  phone: string | null;
  orderIds: string[];
  /** Gids of what hangs off their orders (fulfillment orders, fulfillments): webhooks about those name only them. */
  resourceIds?: string[];
}

export function subjectFrom(customer: { id?: string | null; email?: string | null; phone?: string | null }, orderIds: string[] = []): DataSubject {
  return {
    customerId: customer.id ?? null,
    email: customer.email?.trim() || null,
    phone: customer.phone?.trim() || null,
    orderIds,
  };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Patterns that find the subject inside a stored JSON document: their email and phone,
 * and their customer and order ids in the forms Shopify's payloads use (an id never
 * matches a longer id that starts with the same digits).
 */
export function subjectPatterns(subject: DataSubject): RegExp[] {
  const patterns: RegExp[] = [];
  if (subject.email) patterns.push(new RegExp(escapeRegExp(subject.email), "i"));
  if (subject.phone) patterns.push(new RegExp(escapeRegExp(subject.phone)));
  const idPatterns = (resource: string, field: string, id: string) => [
    new RegExp(`gid://shopify/${resource}/${id}(?!\\d)`),
    new RegExp(`"${field}"\\s*:\\s*"?${id}(?!\\d)`),
  ];
  if (subject.customerId) {
    patterns.push(...idPatterns("Customer", "customer_id", subject.customerId));
    patterns.push(new RegExp(`"customer"\\s*:\\s*\\{\\s*"id"\\s*:\\s*"?${subject.customerId}(?!\\d)`));
  }
  for (const orderId of subject.orderIds) patterns.push(...idPatterns("Order", "order_id", orderId));
  for (const gid of subject.resourceIds ?? []) {
    const [, resource, id] = /^gid:\/\/shopify\/(\w+)\/(\d+)$/.exec(gid) ?? [];
    if (!resource) continue;
    // FulfillmentOrder → "fulfillment_order_id", Fulfillment → "fulfillment_id".
    patterns.push(...idPatterns(resource, `${resource.replace(/(?<=[a-z])(?=[A-Z])/g, "_").toLowerCase()}_id`, id));
  }
  return patterns;
}

/** Substrings a database can search for cheaply before the patterns confirm a match. */
export function subjectSearchTerms(subject: DataSubject): string[] {
  const resourceIds = (subject.resourceIds ?? []).map((gid) => gid.split("/").pop() ?? "");
  const terms = [subject.email, subject.phone, subject.customerId, ...subject.orderIds, ...resourceIds];
  return terms.filter((t): t is string => Boolean(t));
}

export function mentionsSubject(json: string, patterns: RegExp[]): boolean {
  return patterns.some((pattern) => pattern.test(json));
}
