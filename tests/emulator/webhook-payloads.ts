/**
 * Default webhook bodies, shaped like the samples in Shopify's webhook reference and
 * filled from the emulated store. Add a topic by adding a builder to `payloadBuilders`.
 * Resource topics (customers/*, orders/*, fulfillments/*) carry REST resources: numeric `id`
 * beside `admin_graphql_api_id`, lowercase enums, two-decimal money and times in the shop's zone.
 */
import { createHash } from "node:crypto";
import { bulkFinishPayload } from "./graphql/bulk";

import type { BulkOperationRecord } from "./graphql/bulk";
import type {
  Customer,
  Fulfillment,
  FulfillmentHold,
  FulfillmentOrder,
  FulfillmentOrderStatus,
  LineItem,
  MailingAddress,
  Order,
  ShopData,
} from "./store/types";

/** Which records a default payload is built from (the CLI's --customer, --order, …). */
export interface PayloadSelection {
  /** A customer id (numeric or gid) or email; otherwise the first seeded customer. */
  customer?: string;
  /** An order id (numeric or gid), or its name or number (#1001, 1001). */
  order?: string;
  /** A fulfillment id (numeric or gid). */
  fulfillment?: string;
  /** A fulfillment order id (numeric or gid). */
  fulfillmentOrder?: string;
  /** For fulfillment_events/create: the carrier's status (delayed, failure, attempted_delivery, in_transit, …); default delayed. */
  eventStatus?: string;
}

export interface PayloadContext extends PayloadSelection {
  shop: string;
  data: ShopData;
  /** The app's granted scopes, comma-separated. */
  scopes: string;
  now: Date;
  /** For bulk_operations/finish: the shop's newest bulk operation. */
  latestBulkOperation?: BulkOperationRecord;
}

export type PayloadBuilder = (context: PayloadContext) => unknown;

export const payloadBuilders: Record<string, PayloadBuilder> = {
  "app/uninstalled": (c) => shopResource(c),

  "app/scopes_update": (c) => {
    const current = splitScopes(c.scopes);
    return {
      id: sequenceId(c),
      shop_id: c.data.info.id,
      // A typical update: the last scope was just granted.
      previous: current.slice(0, -1),
      current,
      updated_at: c.now.toISOString(),
    };
  },

  "customers/data_request": (c) => {
    const customer = pickCustomer(c);
    return {
      shop_id: shopId(c),
      shop_domain: c.shop,
      orders_requested: ordersOf(c, customer),
      customer: customerRef(customer),
      data_request: { id: sequenceId(c) },
    };
  },

  "customers/redact": (c) => {
    const customer = pickCustomer(c);
    return {
      shop_id: shopId(c),
      shop_domain: c.shop,
      customer: customerRef(customer),
      orders_to_redact: ordersOf(c, customer),
    };
  },

  "shop/redact": (c) => ({ shop_id: shopId(c), shop_domain: c.shop }),

  "customers/create": (c) => customerResource(c, pickCustomer(c)),
  "customers/update": (c) => customerResource(c, pickCustomer(c)),
  // Shopify sends only ids once a customer is gone, so a customer deleted from the store works too.
  "customers/delete": (c) => {
    const id = customerIdFor(c);
    return { id, tax_exemptions: [], admin_graphql_api_id: `gid://shopify/Customer/${id}` };
  },

  "orders/create": (c) => orderResource(c, pickOrder(c, (o) => o.fulfillments.length > 0)),
  "orders/updated": (c) => orderResource(c, pickOrder(c, (o) => o.fulfillments.length > 0)),
  "orders/cancelled": (c) => orderResource(c, pickOrder(c, (o) => o.cancelledAt !== null)),

  "fulfillments/create": (c) => fulfillmentResource(c, pickFulfillment(c), true),
  // A carrier's tracking event. Shopify also shows it on the fulfillment (display status, a new
  // estimate for a delay), so the store changes with it, as the app will read when it refetches.
  "fulfillment_events/create": (c) => {
    // By default a parcel still on its way: news about a delivered one is no news.
    const onTheWay = c.fulfillment || c.order ? undefined : c.data.orders.flatMap((o) => o.fulfillments).find((x) => !x.deliveredAt && x.status === "SUCCESS");
    const f = onTheWay ?? pickFulfillment(c);
    const order = c.data.orderById(f.orderId)!;
    const status = (c.eventStatus ?? "delayed").toLowerCase();
    const display = status.toUpperCase() as Fulfillment["displayStatus"];
    const now = c.now.toISOString().replace(/\.\d{3}Z$/, "Z");
    const base = Math.max(c.now.getTime(), f.estimatedDeliveryAt ? Date.parse(f.estimatedDeliveryAt) : 0);
    const estimate = status === "delayed" ? new Date(base + 3 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z") : f.estimatedDeliveryAt;
    c.data.updateFulfillment(f.id, {
      displayStatus: display,
      estimatedDeliveryAt: estimate,
      ...(status === "delivered" ? { deliveredAt: now } : {}),
      updatedAt: now,
    });
    const id = sequenceId(c);
    return {
      id,
      fulfillment_id: f.legacyResourceId,
      status,
      message: null,
      happened_at: restTime(c, now),
      city: null,
      province: null,
      country: null,
      zip: null,
      address1: null,
      latitude: null,
      longitude: null,
      shop_id: c.data.info.id,
      created_at: restTime(c, now),
      updated_at: restTime(c, now),
      estimated_delivery_at: restTime(c, estimate),
      order_id: order.legacyResourceId,
      admin_graphql_api_id: `gid://shopify/FulfillmentEvent/${id}`,
    };
  },
  "fulfillments/update": (c) => fulfillmentResource(c, pickFulfillment(c), true),

  "fulfillment_orders/placed_on_hold": (c) => {
    const fo = pickFulfillmentOrder(c, (f) => f.status === "ON_HOLD");
    const holds = fo.fulfillmentHolds.map(holdResource);
    return {
      fulfillment_order: { ...foRef(fo), fulfillment_holds: holds },
      remaining_fulfillment_order: null,
      held_fulfillment_order_line_items: foLineItems(c, fo),
      created_fulfillment_hold: holds.length > 0 ? holds[holds.length - 1] : null,
    };
  },
  "fulfillment_orders/hold_released": (c) => ({ fulfillment_order: foRef(pickFulfillmentOrder(c, (f) => f.status === "OPEN")) }),
  "fulfillment_orders/rescheduled": (c) => {
    const fo = pickFulfillmentOrder(c, (f) => f.status === "SCHEDULED");
    return { fulfillment_order: { ...foRef(fo), fulfill_at: fo.fulfillAt ? restTime(c, fo.fulfillAt) : null } };
  },
  "fulfillment_orders/cancelled": (c) => ({
    fulfillment_order: foRef(pickFulfillmentOrder(c, (f) => f.status === "CANCELLED" || f.status === "CLOSED")),
    replacement_fulfillment_order: null,
  }),
  // The emulator does not really split, merge or move; these carry ids and statuses of the stored
  // fulfillment order, which is all an app should use before it refetches.
  "fulfillment_orders/split": (c) => {
    const fo = pickFulfillmentOrder(c, (f) => f.status === "OPEN");
    return {
      split_line_items: foLineItems(c, fo),
      fulfillment_order: foRef(fo),
      remaining_fulfillment_order: foRef(fo),
      replacement_fulfillment_order: null,
    };
  },
  "fulfillment_orders/merged": (c) => {
    const fo = pickFulfillmentOrder(c, (f) => f.status === "OPEN");
    return {
      merge_intents: [
        {
          fulfillment_order_id: numericId(fo.id),
          fulfillment_order_line_items: foLineItems(c, fo).map((line) => ({ id: numericId(line.id), quantity: line.quantity })),
        },
      ],
      fulfillment_order_merges: { fulfillment_order: foRef(fo) },
    };
  },
  "fulfillment_orders/moved": (c) => {
    const fo = pickFulfillmentOrder(c, (f) => f.status === "OPEN");
    const from = `gid://shopify/Location/${shopId(c) * 10 + 1}`;
    const to = `gid://shopify/Location/${shopId(c) * 10 + 2}`;
    // Moving every line item moves the fulfillment order itself, so both sides name the same one.
    return {
      original_fulfillment_order: { ...foRef(fo), assigned_location_id: to },
      moved_fulfillment_order: { ...foRef(fo), assigned_location_id: to },
      destination_location_id: to,
      fulfillment_order_line_items_requested: foLineItems(c, fo),
      source_location: { id: from },
    };
  },

  "bulk_operations/finish": (c) => {
    if (!c.latestBulkOperation) throw new Error(`${c.shop} has run no bulk operation yet; run one or pass a payload`);
    return bulkFinishPayload(c.latestBulkOperation);
  },
};

export function buildWebhookPayload(topic: string, context: PayloadContext): unknown {
  const builder = payloadBuilders[topic];
  if (!builder) {
    throw new Error(
      `No default payload for topic "${topic}"; pass a payload (--payload <file.json>) or add a builder in ` +
        `tests/emulator/webhook-payloads.ts. Topics with defaults: ${Object.keys(payloadBuilders).join(", ")}`,
    );
  }
  return builder(context);
}

// ------------------------------------------------------------------ helpers

/** The REST Shop resource, as app/uninstalled delivers it. */
function shopResource(c: PayloadContext): Record<string, unknown> {
  const info = c.data.info;
  const address = info.address;
  const currency = info.currencyCode;
  return {
    id: info.legacyResourceId,
    name: info.name,
    email: info.email,
    domain: info.primaryDomainHost,
    province: address.province,
    country: address.countryCodeV2,
    address1: address.address1,
    zip: address.zip,
    city: address.city,
    source: null,
    phone: address.phone,
    latitude: null,
    longitude: null,
    primary_locale: info.primaryLocale,
    address2: address.address2,
    created_at: info.createdAt,
    updated_at: info.updatedAt,
    country_code: address.countryCodeV2,
    country_name: address.country,
    currency,
    customer_email: info.contactEmail,
    timezone: `(${gmtOffset(info.ianaTimezone, c.now)}) ${info.ianaTimezone}`,
    iana_timezone: info.ianaTimezone,
    shop_owner: info.shopOwnerName,
    money_format: "{{amount}}",
    money_with_currency_format: `{{amount}} ${currency}`,
    weight_unit: WEIGHT_UNITS[info.weightUnit],
    province_code: address.provinceCode,
    taxes_included: info.taxesIncluded,
    auto_configure_tax_inclusivity: null,
    tax_shipping: null,
    county_taxes: true,
    plan_display_name: info.planName,
    plan_name: info.partnerDevelopment ? "partner_test" : info.planName.toLowerCase().replace(/\s+/g, "_"),
    has_discounts: false,
    has_gift_cards: false,
    myshopify_domain: info.myshopifyDomain,
    google_apps_domain: null,
    google_apps_login_enabled: null,
    money_in_emails_format: "{{amount}}",
    money_with_currency_in_emails_format: `{{amount}} ${currency}`,
    eligible_for_payments: true,
    requires_extra_payments_agreement: false,
    password_enabled: info.partnerDevelopment,
    has_storefront: true,
    finances: true,
    primary_location_id: null,
    checkout_api_supported: true,
    multi_location_enabled: true,
    setup_required: false,
    pre_launch_enabled: false,
    enabled_presentment_currencies: [currency],
    transactional_sms_disabled: false,
    marketing_sms_consent_enabled_at_checkout: false,
  };
}

const WEIGHT_UNITS = { KILOGRAMS: "kg", GRAMS: "g", POUNDS: "lb", OUNCES: "oz" } as const;

/** "GMT-05:00" for the zone at that moment, as the REST `timezone` field starts. */
function gmtOffset(timeZone: string, at: Date): string {
  try {
    const part = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
      .formatToParts(at)
      .find((p) => p.type === "timeZoneName");
    return part && part.value !== "GMT" ? part.value : "GMT+00:00";
  } catch {
    return "GMT+00:00";
  }
}

// ------------------------------------------------------------- REST resources

/** Webhook bodies are REST resources: times in the shop's zone with an offset, as Shopify sends them. */
function restTime(c: PayloadContext, iso: string): string;
function restTime(c: PayloadContext, iso: string | null): string | null;
function restTime(c: PayloadContext, iso: string | null): string | null {
  if (iso === null) return null;
  const at = Date.parse(iso);
  const timeZone = c.data.info.ianaTimezone;
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  const local = Date.UTC(+get("year"), +get("month") - 1, +get("day"), +get("hour"), +get("minute"), +get("second"));
  const offset = Math.round((local - Math.floor(at / 1000) * 1000) / 60_000);
  const abs = Math.abs(offset);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}:${get("second")}${offset < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** REST money: two decimals ("12.50"), where GraphQL's Decimal says "12.5". */
function restMoney(amount: string | number): string {
  return Number(amount).toFixed(2);
}

function moneySet(amount: string | number, currency: string) {
  const money = { amount: restMoney(amount), currency_code: currency };
  return { shop_money: money, presentment_money: money };
}

function numericId(gid: string): number {
  return Number(gid.slice(gid.lastIndexOf("/") + 1));
}

function restAddress(a: MailingAddress) {
  return {
    first_name: a.firstName,
    address1: a.address1,
    phone: a.phone,
    city: a.city,
    zip: a.zip,
    province: a.province,
    country: a.country,
    last_name: a.lastName,
    address2: a.address2,
    company: a.company,
    latitude: null,
    longitude: null,
    name: a.name,
    country_code: a.countryCodeV2,
    province_code: a.provinceCode,
  };
}

function customerAddress(customer: Customer, a: MailingAddress) {
  return {
    id: numericId(a.id),
    customer_id: customer.legacyResourceId,
    first_name: a.firstName,
    last_name: a.lastName,
    company: a.company,
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    province: a.province,
    country: a.country,
    zip: a.zip,
    phone: a.phone,
    name: a.name,
    province_code: a.provinceCode,
    country_code: a.countryCodeV2,
    country_name: a.country,
    default: true,
  };
}

/** The REST Customer, as customers/create and customers/update deliver it. */
function customerResource(c: PayloadContext, customer: Customer, withAddresses = true): Record<string, unknown> {
  const address = customer.defaultAddress ? customerAddress(customer, customer.defaultAddress) : null;
  const body: Record<string, unknown> = {
    id: customer.legacyResourceId,
    created_at: restTime(c, customer.createdAt),
    updated_at: restTime(c, customer.updatedAt),
    first_name: customer.firstName,
    last_name: customer.lastName,
    state: customer.state.toLowerCase(),
    note: customer.note,
    verified_email: customer.verifiedEmail,
    multipass_identifier: null,
    tax_exempt: customer.taxExempt,
    email: customer.email,
    phone: customer.phone,
    currency: c.data.info.currencyCode,
  };
  if (withAddresses) body.addresses = address ? [address] : [];
  body.tax_exemptions = [];
  body.admin_graphql_api_id = customer.id;
  body.default_address = address;
  return body;
}

/** REST's order fulfillment_status: only fulfilled, partial (or restocked) have a value. */
const ORDER_FULFILLMENT_STATUS: Partial<Record<Order["displayFulfillmentStatus"], string>> = {
  FULFILLED: "fulfilled",
  PARTIALLY_FULFILLED: "partial",
};

/** Fulfillment.displayStatus values that are carrier events, i.e. REST's shipment_status. */
const SHIPMENT_STATUSES = new Set([
  "IN_TRANSIT",
  "OUT_FOR_DELIVERY",
  "DELIVERED",
  "ATTEMPTED_DELIVERY",
  "DELAYED",
  "FAILURE",
  "LABEL_PRINTED",
  "LABEL_PURCHASED",
  "CONFIRMED",
  "READY_FOR_PICKUP",
  "PICKED_UP",
  "CARRIER_PICKED_UP",
]);

export function shipmentStatus(f: Fulfillment): string | null {
  return f.displayStatus && SHIPMENT_STATUSES.has(f.displayStatus) ? f.displayStatus.toLowerCase() : null;
}

function lineItemResource(order: Order, line: LineItem) {
  const fulfilled = order.displayFulfillmentStatus === "FULFILLED";
  const open = !fulfilled && order.cancelledAt === null;
  return {
    id: numericId(line.id),
    admin_graphql_api_id: line.id,
    current_quantity: order.cancelledAt === null ? line.quantity : 0,
    fulfillable_quantity: open ? line.quantity : 0,
    fulfillment_service: "manual",
    fulfillment_status: fulfilled ? "fulfilled" : null,
    gift_card: false,
    grams: 0,
    name: line.name,
    price: restMoney(line.price),
    price_set: moneySet(line.price, order.currencyCode),
    product_exists: true,
    product_id: null,
    properties: [],
    quantity: line.quantity,
    requires_shipping: line.requiresShipping,
    sku: line.sku,
    taxable: true,
    title: line.title,
    total_discount: "0.00",
    total_discount_set: moneySet(0, order.currencyCode),
    variant_id: null,
    variant_inventory_management: null,
    variant_title: line.variantTitle,
    vendor: line.vendor,
    tax_lines: [],
    duties: [],
    discount_allocations: [],
  };
}

/** The REST Fulfillment; the fulfillments/* topics add the order's email and destination. */
function fulfillmentResource(c: PayloadContext, f: Fulfillment, standalone: boolean): Record<string, unknown> {
  const order = c.data.orderById(f.orderId)!;
  const tracking = f.trackingInfo;
  const body: Record<string, unknown> = {
    id: f.legacyResourceId,
    order_id: order.legacyResourceId,
    status: f.status.toLowerCase(),
    created_at: restTime(c, f.createdAt),
    service: "manual",
    updated_at: restTime(c, f.updatedAt),
    tracking_company: tracking[0]?.company ?? null,
    shipment_status: shipmentStatus(f),
    location_id: null,
    origin_address: null,
  };
  if (standalone) {
    body.email = order.email;
    body.destination = order.shippingAddress ? restAddress(order.shippingAddress) : null;
  }
  Object.assign(body, {
    line_items: order.lineItems.map((line) => lineItemResource(order, line)),
    tracking_number: tracking[0]?.number ?? null,
    tracking_numbers: tracking.flatMap((t) => (t.number ? [t.number] : [])),
    tracking_url: tracking[0]?.url ?? null,
    tracking_urls: tracking.flatMap((t) => (t.url ? [t.url] : [])),
    receipt: {},
    name: f.name,
    admin_graphql_api_id: f.id,
  });
  return body;
}

/** The REST Order, as orders/create, orders/updated and orders/cancelled deliver it. */
function orderResource(c: PayloadContext, order: Order): Record<string, unknown> {
  const currency = order.currencyCode;
  const customer = order.customerId ? c.data.customerById(order.customerId) : undefined;
  const cancelled = order.cancelledAt !== null;
  const lineTotal = order.lineItems.reduce((sum, l) => sum + Number(l.price) * l.quantity, 0);
  const token = orderToken(order);
  return {
    id: order.legacyResourceId,
    admin_graphql_api_id: order.id,
    app_id: null,
    browser_ip: null,
    buyer_accepts_marketing: customer?.emailMarketingConsent?.marketingState === "SUBSCRIBED",
    cancel_reason: order.cancelReason ? order.cancelReason.toLowerCase() : null,
    cancelled_at: restTime(c, order.cancelledAt),
    cart_token: null,
    checkout_token: null,
    client_details: null,
    closed_at: restTime(c, order.closedAt),
    confirmation_number: null,
    confirmed: true,
    contact_email: order.email,
    created_at: restTime(c, order.createdAt),
    currency,
    current_subtotal_price: restMoney(cancelled ? 0 : order.subtotalPrice),
    current_total_discounts: "0.00",
    current_total_price: restMoney(cancelled ? 0 : order.totalPrice),
    current_total_tax: restMoney(cancelled ? 0 : order.totalTax),
    customer_locale: order.customerLocale,
    discount_codes: [],
    email: order.email,
    estimated_taxes: false,
    financial_status: order.displayFinancialStatus.toLowerCase(),
    fulfillment_status: ORDER_FULFILLMENT_STATUS[order.displayFulfillmentStatus] ?? null,
    landing_site: null,
    location_id: null,
    name: order.name,
    note: order.note,
    note_attributes: [],
    number: order.number - 1000,
    order_number: order.number,
    order_status_url: `https://${c.data.info.primaryDomainHost}/${shopId(c)}/orders/${token}/authenticate?key=${token.slice(0, 16)}`,
    payment_gateway_names: ["manual"],
    phone: order.phone,
    po_number: null,
    presentment_currency: currency,
    processed_at: restTime(c, order.processedAt),
    reference: null,
    referring_site: null,
    source_name: "web",
    subtotal_price: restMoney(order.subtotalPrice),
    subtotal_price_set: moneySet(order.subtotalPrice, currency),
    tags: order.tags.join(", "),
    tax_exempt: false,
    tax_lines: [],
    taxes_included: c.data.info.taxesIncluded,
    test: order.test,
    token,
    total_discounts: "0.00",
    total_line_items_price: restMoney(lineTotal),
    total_outstanding: restMoney(["PENDING", "AUTHORIZED"].includes(order.displayFinancialStatus) ? order.totalPrice : 0),
    total_price: restMoney(order.totalPrice),
    total_price_set: moneySet(order.totalPrice, currency),
    total_shipping_price_set: moneySet(order.totalShippingPrice, currency),
    total_tax: restMoney(order.totalTax),
    total_tip_received: "0.00",
    total_weight: 0,
    updated_at: restTime(c, order.updatedAt),
    user_id: null,
    billing_address: order.billingAddress ? restAddress(order.billingAddress) : null,
    customer: customer ? customerResource(c, customer, false) : null,
    discount_applications: [],
    fulfillments: order.fulfillments.map((f) => fulfillmentResource(c, f, false)),
    line_items: order.lineItems.map((line) => lineItemResource(order, line)),
    payment_terms: null,
    refunds: [],
    shipping_address: order.shippingAddress ? restAddress(order.shippingAddress) : null,
    shipping_lines: [],
    returns: [],
  };
}

/** A stable stand-in for the order's checkout token. */
function orderToken(order: Order): string {
  return createHash("sha256").update(order.id).digest("hex").slice(0, 32);
}

function foRef(fo: FulfillmentOrder): { id: string; status: string } {
  return { id: fo.id, status: foStatus(fo.status) };
}

function foStatus(status: FulfillmentOrderStatus): string {
  return status.toLowerCase();
}

function holdResource(hold: FulfillmentHold) {
  return {
    id: hold.id,
    reason: hold.reason.toLowerCase(),
    reason_notes: hold.reasonNotes,
    held_by_requesting_app: hold.heldByRequestingApp,
    handle: hold.handle,
    // Seeded holds are the merchant's, not an app's.
    held_by_app: null,
  };
}

/** The fulfillment order's line items as { id, quantity }, ids as the Admin API names them. */
function foLineItems(c: PayloadContext, fo: FulfillmentOrder): { id: string; quantity: number }[] {
  const order = c.data.orderById(fo.orderId);
  return (order?.lineItems ?? []).map((line) => ({
    id: line.id.replace("/LineItem/", "/FulfillmentOrderLineItem/"),
    quantity: line.quantity,
  }));
}

// -------------------------------------------------------------- selection

const matchesId = (gid: string, wanted: string) => gid === wanted || gid.endsWith(`/${wanted}`);

function customerIdFor(c: PayloadContext): number {
  if (c.customer && /^(gid:\/\/shopify\/Customer\/)?\d+$/.test(c.customer.trim())) return numericId(c.customer.trim());
  return pickCustomer(c).legacyResourceId;
}

/** `--order`, else the first order `fallback` accepts (else the first order). */
function pickOrder(c: PayloadContext, fallback: (order: Order) => boolean): Order {
  const orders = c.data.orders;
  if (c.order) {
    const wanted = c.order.trim();
    const byName = /^#?\d{1,9}$/.test(wanted) ? `#${wanted.replace(/^#/, "")}` : null;
    const found = orders.find((o) => matchesId(o.id, wanted) || (byName !== null && o.name === byName));
    if (!found) throw new Error(`No order "${wanted}" in ${c.shop}`);
    return found;
  }
  const found = orders.find(fallback) ?? orders[0];
  if (!found) throw new Error(`${c.shop} has no orders; pass a payload`);
  return found;
}

/** `--fulfillment`, else the first fulfillment of `--order`, else of the first shipped order. */
function pickFulfillment(c: PayloadContext): Fulfillment {
  if (c.fulfillment) {
    const wanted = c.fulfillment.trim();
    const id = wanted.startsWith("gid://") ? wanted : `gid://shopify/Fulfillment/${wanted}`;
    const found = c.data.fulfillmentById(id);
    if (!found) throw new Error(`No fulfillment "${wanted}" in ${c.shop}`);
    return found;
  }
  const order = pickOrder(c, (o) => o.fulfillments.length > 0);
  const found = order.fulfillments[0];
  if (!found) throw new Error(`Order ${order.name} has no fulfillment; pass --fulfillment or another --order`);
  return found;
}

/** `--fulfillment-order`, else the first of `--order`, else the first in a fitting state. */
function pickFulfillmentOrder(c: PayloadContext, fallback: (fo: FulfillmentOrder) => boolean): FulfillmentOrder {
  if (c.fulfillmentOrder) {
    const wanted = c.fulfillmentOrder.trim();
    const id = wanted.startsWith("gid://") ? wanted : `gid://shopify/FulfillmentOrder/${wanted}`;
    const found = c.data.fulfillmentOrderById(id);
    if (!found) throw new Error(`No fulfillment order "${wanted}" in ${c.shop}`);
    return found;
  }
  if (c.order) return pickOrder(c, () => true).fulfillmentOrders[0];
  for (const order of c.data.orders) {
    const found = order.fulfillmentOrders.find(fallback);
    if (found) return found;
  }
  const first = c.data.orders[0]?.fulfillmentOrders[0];
  if (!first) throw new Error(`${c.shop} has no fulfillment orders; pass a payload`);
  return first;
}

function pickCustomer(c: PayloadContext): Customer {
  const customers = c.data.customers;
  if (c.customer) {
    const wanted = c.customer.trim();
    const found = customers.find(
      (customer) =>
        customer.id === wanted ||
        String(customer.legacyResourceId) === wanted ||
        (customer.email !== null && customer.email.toLowerCase() === wanted.toLowerCase()),
    );
    if (!found) throw new Error(`No customer "${wanted}" in ${c.shop}`);
    return found;
  }
  const first = customers[0];
  if (!first) throw new Error(`${c.shop} has no customers; pass a payload`);
  return first;
}

function customerRef(customer: Customer) {
  return { id: customer.legacyResourceId, email: customer.email, phone: customer.phone };
}

/** Numeric ids of the customer's orders. */
function ordersOf(c: PayloadContext, customer: Customer): number[] {
  return c.data.ordersForCustomer(customer.id).map((order) => order.legacyResourceId);
}

function shopId(c: PayloadContext): number {
  return c.data.info.legacyResourceId;
}

/** A plausible numeric id for the request itself (Shopify's own record of it). */
function sequenceId(c: PayloadContext): number {
  return Math.floor(c.now.getTime() / 1000) % 1_000_000_000;
}

function splitScopes(scopes: string): string[] {
  return scopes
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}
