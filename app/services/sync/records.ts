/**
 * Shopify's customers and orders, as the app stores them. Two sources speak two dialects:
 * Admin GraphQL (bulk export, reconciliation pages, refreshes) and the REST-shaped webhook
 * bodies. Both are turned into the same rows here; nothing in this file touches the database.
 *
 * A webhook row leaves out what its payload does not carry (`undefined`), so applying it never
 * blanks a field only GraphQL knows (e.g. a fulfillment's estimated delivery).
 */

export interface CustomerRow {
  shopifyId: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  locale?: string | null;
  tags?: string;
  state?: string | null;
  emailMarketingState?: string | null;
  emailConsentUpdatedAt?: Date | null;
  numberOfOrders?: number;
  amountSpent?: string | null;
  shopifyCreatedAt?: Date | null;
  shopifyUpdatedAt: Date | null;
}

export interface OrderRow {
  shopifyId: string;
  name: string;
  number?: number | null;
  customerShopifyId?: string | null;
  email?: string | null;
  phone?: string | null;
  customerLocale?: string | null;
  tags?: string;
  financialStatus?: string | null;
  fulfillmentStatus?: string | null;
  currencyCode?: string | null;
  totalPrice?: string | null;
  processedAt?: Date | null;
  cancelledAt?: Date | null;
  cancelReason?: string | null;
  closedAt?: Date | null;
  shopifyCreatedAt?: Date | null;
  shopifyUpdatedAt: Date | null;
}

export interface LineItemRow {
  shopifyId: string;
  orderShopifyId: string;
  title: string;
  variantTitle?: string | null;
  sku?: string | null;
  quantity: number;
  price?: string | null;
}

export interface FulfillmentOrderRow {
  shopifyId: string;
  orderShopifyId: string;
  status: string;
  requestStatus?: string | null;
  fulfillAt?: Date | null;
  fulfillBy?: Date | null;
  /** JSON of [{ reason, reasonNotes }]. */
  holds?: string;
  shopifyUpdatedAt: Date | null;
}

export interface TrackingEntry {
  company: string | null;
  number: string | null;
  url: string | null;
}

export interface FulfillmentRow {
  shopifyId: string;
  orderShopifyId: string;
  name?: string | null;
  status?: string | null;
  displayStatus?: string | null;
  /** JSON of TrackingEntry[]. */
  tracking?: string;
  estimatedDeliveryAt?: Date | null;
  inTransitAt?: Date | null;
  deliveredAt?: Date | null;
  shopifyCreatedAt?: Date | null;
  shopifyUpdatedAt: Date | null;
}

/** An order with everything under it, as one unit of sync. */
export interface OrderBundle {
  order: OrderRow;
  lineItems: LineItemRow[];
  fulfillmentOrders: FulfillmentOrderRow[];
  fulfillments: FulfillmentRow[];
}

// ── helpers ───────────────────────────────────────────────────────────────────────────────

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const str = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : null);
const num = (value: unknown): number | null => {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : null;
};

export function date(value: unknown): Date | null {
  if (typeof value !== "string" || value === "") return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Tags as Shopify's REST API writes them: "vip, wholesale". */
export function tagList(value: unknown): string {
  const tags = Array.isArray(value) ? value.filter((t): t is string => typeof t === "string") : typeof value === "string" ? value.split(",") : [];
  return tags
    .map((t) => t.trim())
    .filter(Boolean)
    .join(", ");
}

/** gid://shopify/Order/123 from a REST id (123) or an admin_graphql_api_id. */
export function gid(resource: string, value: unknown, graphqlId?: unknown): string | null {
  if (typeof graphqlId === "string" && graphqlId.startsWith("gid://shopify/")) return graphqlId;
  if (typeof value === "string" && value.startsWith("gid://shopify/")) return value;
  const id = num(value);
  return id !== null && Number.isInteger(id) && id > 0 ? `gid://shopify/${resource}/${id}` : null;
}

/** The numeric id at the end of a gid (what REST payloads and compliance requests carry). */
export function legacyId(shopifyId: string): string {
  return shopifyId.slice(shopifyId.lastIndexOf("/") + 1);
}

const nodesOf = (connection: unknown): unknown[] => {
  if (!isObject(connection)) return [];
  if (Array.isArray(connection.nodes)) return connection.nodes;
  if (Array.isArray(connection.edges)) return connection.edges.map((e) => (isObject(e) ? e.node : null)).filter(Boolean);
  return [];
};

const money = (value: unknown): string | null => {
  if (!isObject(value)) return str(value);
  if (isObject(value.shopMoney)) return str(value.shopMoney.amount);
  return str(value.amount);
};

// ── Admin GraphQL → rows ──────────────────────────────────────────────────────────────────

export function customerFromGraphql(node: Json): CustomerRow {
  const email = isObject(node.defaultEmailAddress) ? node.defaultEmailAddress : null;
  const phone = isObject(node.defaultPhoneNumber) ? node.defaultPhoneNumber : null;
  return {
    shopifyId: String(node.id),
    firstName: str(node.firstName),
    lastName: str(node.lastName),
    email: str(email?.emailAddress),
    phone: str(phone?.phoneNumber),
    locale: str(node.locale),
    tags: tagList(node.tags),
    state: str(node.state),
    emailMarketingState: str(email?.marketingState),
    emailConsentUpdatedAt: date(email?.marketingUpdatedAt),
    numberOfOrders: num(node.numberOfOrders) ?? 0,
    amountSpent: money(node.amountSpent),
    shopifyCreatedAt: date(node.createdAt),
    shopifyUpdatedAt: date(node.updatedAt),
  };
}

/** An order node without its children (bulk lines carry those separately). */
export function orderFromGraphql(node: Json): OrderRow {
  return {
    shopifyId: String(node.id),
    name: str(node.name) ?? String(node.id),
    number: num(node.number),
    customerShopifyId: isObject(node.customer) ? str(node.customer.id) : null,
    email: str(node.email),
    phone: str(node.phone),
    customerLocale: str(node.customerLocale),
    tags: tagList(node.tags),
    financialStatus: str(node.displayFinancialStatus),
    fulfillmentStatus: str(node.displayFulfillmentStatus),
    currencyCode: str(node.currencyCode),
    totalPrice: money(node.totalPriceSet),
    processedAt: date(node.processedAt),
    cancelledAt: date(node.cancelledAt),
    cancelReason: str(node.cancelReason),
    closedAt: date(node.closedAt),
    shopifyCreatedAt: date(node.createdAt),
    shopifyUpdatedAt: date(node.updatedAt),
  };
}

export function lineItemFromGraphql(node: Json, orderShopifyId: string): LineItemRow {
  return {
    shopifyId: String(node.id),
    orderShopifyId,
    title: str(node.title) ?? "",
    variantTitle: str(node.variantTitle),
    sku: str(node.sku),
    quantity: num(node.quantity) ?? 0,
    price: money(node.originalUnitPriceSet),
  };
}

const holdsJson = (holds: unknown) =>
  JSON.stringify(
    (Array.isArray(holds) ? holds : []).filter(isObject).map((h) => ({ reason: str(h.reason), reasonNotes: str(h.reasonNotes ?? h.reason_notes) })),
  );

export function fulfillmentOrderFromGraphql(node: Json, orderShopifyId: string): FulfillmentOrderRow {
  return {
    shopifyId: String(node.id),
    orderShopifyId: str(node.orderId) ?? orderShopifyId,
    status: str(node.status) ?? "OPEN",
    requestStatus: str(node.requestStatus),
    fulfillAt: date(node.fulfillAt),
    fulfillBy: date(node.fulfillBy),
    holds: holdsJson(node.fulfillmentHolds),
    shopifyUpdatedAt: date(node.updatedAt),
  };
}

export function fulfillmentFromGraphql(node: Json, orderShopifyId: string): FulfillmentRow {
  const tracking: TrackingEntry[] = (Array.isArray(node.trackingInfo) ? node.trackingInfo : [])
    .filter(isObject)
    .map((t) => ({ company: str(t.company), number: str(t.number), url: str(t.url) }));
  return {
    shopifyId: String(node.id),
    orderShopifyId,
    name: str(node.name),
    status: str(node.status),
    displayStatus: str(node.displayStatus),
    tracking: JSON.stringify(tracking),
    estimatedDeliveryAt: date(node.estimatedDeliveryAt),
    inTransitAt: date(node.inTransitAt),
    deliveredAt: date(node.deliveredAt),
    shopifyCreatedAt: date(node.createdAt),
    shopifyUpdatedAt: date(node.updatedAt),
  };
}

/** A whole order node from a page or a refresh (children nested, possibly truncated). */
export function orderBundleFromGraphql(node: Json): OrderBundle {
  const order = orderFromGraphql(node);
  return {
    order,
    lineItems: nodesOf(node.lineItems).filter(isObject).map((n) => lineItemFromGraphql(n, order.shopifyId)),
    fulfillmentOrders: nodesOf(node.fulfillmentOrders).filter(isObject).map((n) => fulfillmentOrderFromGraphql(n, order.shopifyId)),
    fulfillments: (Array.isArray(node.fulfillments) ? node.fulfillments : []).filter(isObject).map((n) => fulfillmentFromGraphql(n, order.shopifyId)),
  };
}

// ── webhook bodies (REST shape) → rows ────────────────────────────────────────────────────

const upper = (value: unknown): string | null => str(value)?.toUpperCase() ?? null;

/** REST fulfillment_status → GraphQL displayFulfillmentStatus. */
const REST_FULFILLMENT_STATUS: Record<string, string> = {
  fulfilled: "FULFILLED",
  partial: "PARTIALLY_FULFILLED",
  restocked: "RESTOCKED",
  unfulfilled: "UNFULFILLED",
  in_progress: "IN_PROGRESS",
  on_hold: "ON_HOLD",
  scheduled: "SCHEDULED",
  pending_fulfillment: "PENDING_FULFILLMENT",
  open: "OPEN",
};

export function customerFromWebhook(body: Json): CustomerRow | null {
  const shopifyId = gid("Customer", body.id, body.admin_graphql_api_id);
  if (!shopifyId) return null;
  const row: CustomerRow = { shopifyId, shopifyUpdatedAt: date(body.updated_at) };
  if ("first_name" in body) row.firstName = str(body.first_name);
  if ("last_name" in body) row.lastName = str(body.last_name);
  if ("email" in body) row.email = str(body.email);
  if ("phone" in body) row.phone = str(body.phone);
  if ("locale" in body) row.locale = str(body.locale);
  if ("tags" in body) row.tags = tagList(body.tags);
  if ("state" in body) row.state = upper(body.state);
  if (isObject(body.email_marketing_consent)) {
    row.emailMarketingState = upper(body.email_marketing_consent.state);
    row.emailConsentUpdatedAt = date(body.email_marketing_consent.consent_updated_at);
  }
  if ("orders_count" in body) row.numberOfOrders = num(body.orders_count) ?? 0;
  if ("total_spent" in body) row.amountSpent = str(body.total_spent);
  if ("created_at" in body) row.shopifyCreatedAt = date(body.created_at);
  return row;
}

export function fulfillmentFromWebhook(body: Json, orderShopifyId?: string): FulfillmentRow | null {
  const shopifyId = gid("Fulfillment", body.id, body.admin_graphql_api_id);
  const order = orderShopifyId ?? gid("Order", body.order_id);
  if (!shopifyId || !order) return null;
  const numbers = Array.isArray(body.tracking_numbers) ? body.tracking_numbers : body.tracking_number ? [body.tracking_number] : [];
  const urls = Array.isArray(body.tracking_urls) ? body.tracking_urls : body.tracking_url ? [body.tracking_url] : [];
  const tracking: TrackingEntry[] = numbers.map((n: unknown, i: number) => ({
    company: str(body.tracking_company),
    number: str(n),
    url: str(urls[i]),
  }));
  const row: FulfillmentRow = { shopifyId, orderShopifyId: order, shopifyUpdatedAt: date(body.updated_at) };
  if ("name" in body) row.name = str(body.name);
  if ("status" in body) row.status = upper(body.status);
  // shipment_status is the carrier's latest word (in_transit, delayed, …); null before any.
  if ("shipment_status" in body) row.displayStatus = upper(body.shipment_status) ?? (row.status === "SUCCESS" ? "FULFILLED" : null);
  if ("tracking_numbers" in body || "tracking_number" in body) row.tracking = JSON.stringify(tracking);
  if ("created_at" in body) row.shopifyCreatedAt = date(body.created_at);
  return row;
}

export function orderBundleFromWebhook(body: Json): OrderBundle | null {
  const shopifyId = gid("Order", body.id, body.admin_graphql_api_id);
  if (!shopifyId) return null;
  const order: OrderRow = { shopifyId, name: str(body.name) ?? `#${str(body.order_number) ?? legacyId(shopifyId)}`, shopifyUpdatedAt: date(body.updated_at) };
  if ("order_number" in body || "number" in body) order.number = num(body.order_number ?? body.number);
  if ("customer" in body) order.customerShopifyId = isObject(body.customer) ? gid("Customer", body.customer.id, body.customer.admin_graphql_api_id) : null;
  if ("email" in body) order.email = str(body.email);
  if ("phone" in body) order.phone = str(body.phone);
  if ("customer_locale" in body) order.customerLocale = str(body.customer_locale);
  if ("tags" in body) order.tags = tagList(body.tags);
  if ("financial_status" in body) order.financialStatus = upper(body.financial_status);
  if ("fulfillment_status" in body) {
    const status = str(body.fulfillment_status);
    order.fulfillmentStatus = status ? (REST_FULFILLMENT_STATUS[status] ?? status.toUpperCase()) : "UNFULFILLED";
  }
  if ("currency" in body) order.currencyCode = str(body.currency);
  if ("total_price" in body) order.totalPrice = str(body.total_price);
  if ("processed_at" in body) order.processedAt = date(body.processed_at);
  if ("cancelled_at" in body) order.cancelledAt = date(body.cancelled_at);
  if ("cancel_reason" in body) order.cancelReason = upper(body.cancel_reason);
  if ("closed_at" in body) order.closedAt = date(body.closed_at);
  if ("created_at" in body) order.shopifyCreatedAt = date(body.created_at);

  const lineItems: LineItemRow[] = (Array.isArray(body.line_items) ? body.line_items : []).filter(isObject).flatMap((item) => {
    const id = gid("LineItem", item.id, item.admin_graphql_api_id);
    if (!id) return [];
    return [
      {
        shopifyId: id,
        orderShopifyId: shopifyId,
        title: str(item.title) ?? str(item.name) ?? "",
        variantTitle: str(item.variant_title),
        sku: str(item.sku),
        quantity: num(item.quantity) ?? 0,
        price: str(item.price),
      },
    ];
  });
  const fulfillments = (Array.isArray(body.fulfillments) ? body.fulfillments : [])
    .filter(isObject)
    .map((f) => fulfillmentFromWebhook(f, shopifyId))
    .filter((f): f is FulfillmentRow => f !== null);
  return { order, lineItems, fulfillmentOrders: [], fulfillments };
}
