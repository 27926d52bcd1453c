/**
 * Resolvers for the parts of the Admin API the app uses. Anything else on QueryRoot or Mutation
 * answers null with a NOT_IMPLEMENTED_IN_EMULATOR error; other fields resolve by name from the
 * store's records, and are null (or an empty connection or list) when the records lack the data.
 */
import {
  getNamedType,
  isListType,
  isNonNullType,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type GraphQLTypeResolver,
} from "graphql";
import { isoSeconds } from "../store/seed";
import type { Customer, Fulfillment, FulfillmentOrder, LineItem, MailingAddress, Order, ShopData } from "../store/types";
import type { BulkExecution, BulkOperationRecord, BulkOperations } from "./bulk";
import { checkPageArgs, EMPTY_CONNECTION, paginate, sortIndex, type Connection, type PageArgs, type SortedIndex, type SortKey } from "./connection";
import { isConnectionType } from "./cost";
import { appMetafield, currentAppInstallation, setMetafields } from "./metafields";
import { EmulatorError, notImplemented } from "./errors";
import {
  booleanField,
  compileSearch,
  dateField,
  legacyId,
  numberField,
  textField,
  type SearchSpec,
  type SearchTerm,
  type SearchWarning,
} from "./search";

export interface SearchNote {
  path: readonly (string | number)[];
  query: string;
  warnings: SearchWarning[];
}

export interface RequestContext {
  shop: ShopData;
  now: () => number;
  /** Shopify reports ignored search fields under `extensions.search`. */
  searchNotes: SearchNote[];
  /** The emulator's bulk operations, for the bulk mutations and queries. */
  bulkOperations?: BulkOperations;
  /** Set while a bulk query runs: connections are unpaged, the top-level one is read in batches. */
  bulk?: BulkExecution;
}

type Resolver = (source: any, args: any, ctx: RequestContext, info: GraphQLResolveInfo) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

// ---- money and ids --------------------------------------------------------------------------

const money = (amount: string, currencyCode: string) => ({ amount, currencyCode });
const moneyBag = (amount: string, currencyCode: string) => {
  const m = money(amount, currencyCode);
  return { shopMoney: m, presentmentMoney: m };
};
const times = (amount: string, quantity: number) => {
  const cents = Math.round(Number(amount) * 100) * quantity;
  const fixed = (cents / 100).toFixed(2);
  return fixed.endsWith("0") ? fixed.slice(0, -1) : fixed;
};

const GID = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/;

function parseGid(id: unknown): { type: string; id: string } {
  const match = typeof id === "string" ? GID.exec(id) : null;
  if (!match) throw new EmulatorError(`Invalid global id '${String(id)}'`, "argumentLiteralsIncompatible", { typeName: "CoercionError" });
  return { type: match[1], id: `gid://shopify/${match[1]}/${match[2]}` };
}

function findNode(shop: ShopData, rawId: unknown): unknown {
  const { type, id } = parseGid(rawId);
  switch (type) {
    case "Customer":
      return shop.customerById(id) ?? null;
    case "Order":
      return shop.orderById(id) ?? null;
    case "FulfillmentOrder":
      return shop.fulfillmentOrderById(id) ?? null;
    case "Fulfillment":
      return shop.fulfillmentById(id) ?? null;
    case "Shop":
      return id === shop.info.id ? shop.info : null;
    default:
      return null;
  }
}

function expectType<T extends { __typename: string }>(shop: ShopData, rawId: unknown, typename: T["__typename"]): T | null {
  const node = findNode(shop, rawId) as T | null;
  return node && node.__typename === typename ? node : null;
}

// ---- sorting and searching ------------------------------------------------------------------

const time = (iso: string) => Date.parse(iso);

const CUSTOMER_SORTS: Record<string, (c: Customer) => SortKey> = {
  ID: (c) => [c.legacyResourceId, c.legacyResourceId],
  RELEVANCE: (c) => [c.legacyResourceId, c.legacyResourceId],
  CREATED_AT: (c) => [time(c.createdAt), c.legacyResourceId],
  UPDATED_AT: (c) => [time(c.updatedAt), c.legacyResourceId],
  NAME: (c) => [c.displayName.toLowerCase(), c.legacyResourceId],
};

const ORDER_SORTS: Record<string, (o: Order) => SortKey> = {
  ID: (o) => [o.legacyResourceId, o.legacyResourceId],
  RELEVANCE: (o) => [o.legacyResourceId, o.legacyResourceId],
  ORDER_NUMBER: (o) => [o.number, o.legacyResourceId],
  CREATED_AT: (o) => [time(o.createdAt), o.legacyResourceId],
  UPDATED_AT: (o) => [time(o.updatedAt), o.legacyResourceId],
  PROCESSED_AT: (o) => [time(o.processedAt), o.legacyResourceId],
  TOTAL_PRICE: (o) => [Number(o.totalPrice), o.legacyResourceId],
  CURRENT_TOTAL_PRICE: (o) => [Number(o.totalPrice), o.legacyResourceId],
  FINANCIAL_STATUS: (o) => [o.displayFinancialStatus, o.legacyResourceId],
  FULFILLMENT_STATUS: (o) => [o.displayFulfillmentStatus, o.legacyResourceId],
  CUSTOMER_NAME: (o) => [(o.shippingAddress?.name ?? "").toLowerCase(), o.legacyResourceId],
};

const FULFILLMENT_ORDER_SORTS: Record<string, (fo: FulfillmentOrder) => SortKey> = {
  ID: (fo) => [legacyId(fo.id), legacyId(fo.id)],
  UPDATED_AT: (fo) => [time(fo.updatedAt), legacyId(fo.id)],
};

const byPosition = <T extends { id: string }>(item: T): SortKey => [legacyId(item.id), legacyId(item.id)];

function sortFor<T>(sorts: Record<string, (r: T) => SortKey>, sortKey: unknown, info: GraphQLResolveInfo) {
  const key = typeof sortKey === "string" ? sortKey : "ID";
  const fn = sorts[key];
  if (!fn) {
    throw new EmulatorError(
      `sortKey ${key} on ${info.parentType.name}.${info.fieldName} is not implemented by the local Shopify emulator.`,
      "NOT_IMPLEMENTED_IN_EMULATOR",
    );
  }
  return { key, fn };
}

/** Sorted views of a shop's records, rebuilt when the shop changes. */
const indexCache = new WeakMap<ShopData, Map<string, { version: number; index: SortedIndex<unknown> }>>();

function cachedIndex<T>(shop: ShopData, name: string, records: () => readonly T[], keyOf: (r: T) => SortKey): SortedIndex<T> {
  let perShop = indexCache.get(shop);
  if (!perShop) indexCache.set(shop, (perShop = new Map()));
  const hit = perShop.get(name);
  if (hit && hit.version === shop.version) return hit.index as SortedIndex<T>;
  const index = sortIndex(records(), keyOf);
  perShop.set(name, { version: shop.version, index: index as SortedIndex<unknown> });
  return index;
}

const tagNot = <T>(get: (r: T) => readonly string[]) => {
  const has = textField(get);
  return (r: T, term: SearchTerm) => !has(r, term);
};

const CUSTOMER_SEARCH: SearchSpec<Customer> = {
  fields: {
    email: textField((c) => c.email),
    first_name: textField((c) => c.firstName),
    last_name: textField((c) => c.lastName),
    phone: textField((c) => c.phone),
    tag: textField((c) => c.tags),
    tag_not: tagNot((c) => c.tags),
    updated_at: dateField((c) => c.updatedAt),
    created_at: dateField((c) => c.createdAt),
    id: numberField((c) => c.legacyResourceId),
    country: textField((c) => [c.defaultAddress?.country ?? null, c.defaultAddress?.countryCodeV2 ?? null]),
    state: textField((c) => c.state),
    orders_count: numberField((c) => c.numberOfOrders),
    total_spent: numberField((c) => c.amountSpent),
    amount_spent: numberField((c) => c.amountSpent),
    accepts_marketing: booleanField((c) => c.emailMarketingConsent?.marketingState === "SUBSCRIBED"),
  },
  text: (c) => [c.displayName, c.email, c.phone],
};

const FULFILLMENT_STATUS_FILTER: Record<string, readonly string[]> = {
  shipped: ["FULFILLED"],
  fulfilled: ["FULFILLED"],
  partial: ["PARTIALLY_FULFILLED"],
  unshipped: ["UNFULFILLED"],
  unfulfilled: ["UNFULFILLED", "PARTIALLY_FULFILLED"],
  on_hold: ["ON_HOLD"],
  scheduled: ["SCHEDULED"],
  in_progress: ["IN_PROGRESS"],
};

const ORDER_SEARCH: SearchSpec<Order> = {
  fields: {
    name: (o, t) => {
      const wanted = t.value.replace(/^#/, "").toLowerCase();
      return String(o.number) === wanted || o.name.toLowerCase() === `#${wanted}` || o.name.toLowerCase() === wanted;
    },
    email: textField((o) => o.email),
    status: (o, t) => {
      switch (t.value.toLowerCase()) {
        case "open":
          return !o.closed && o.cancelledAt === null;
        case "closed":
          return o.closed;
        case "cancelled":
          return o.cancelledAt !== null;
        case "not_closed":
          return !o.closed;
        case "any":
          return true;
        default:
          return false;
      }
    },
    financial_status: textField((o) => o.displayFinancialStatus),
    fulfillment_status: (o, t) => {
      const value = t.value.toLowerCase();
      if (value === "any") return true;
      return (FULFILLMENT_STATUS_FILTER[value] ?? [value.toUpperCase()]).includes(o.displayFulfillmentStatus);
    },
    tag: textField((o) => o.tags),
    tag_not: tagNot((o) => o.tags),
    updated_at: dateField((o) => o.updatedAt),
    created_at: dateField((o) => o.createdAt),
    processed_at: dateField((o) => o.processedAt),
    id: numberField((o) => o.legacyResourceId),
    customer_id: numberField((o) => (o.customerId ? legacyId(o.customerId) : null)),
    sku: textField((o) => o.lineItems.map((l) => l.sku)),
    test: booleanField((o) => o.test),
  },
  text: (o) => [o.name, o.email, o.shippingAddress?.name ?? null],
};

const FULFILLMENT_ORDER_SEARCH: SearchSpec<FulfillmentOrder> = {
  fields: {
    status: textField((fo) => fo.status),
    updated_at: dateField((fo) => fo.updatedAt),
    id: numberField((fo) => legacyId(fo.id)),
    order_id: numberField((fo) => legacyId(fo.orderId)),
  },
  text: () => [],
};

function search<T>(spec: SearchSpec<T>, query: unknown, ctx: RequestContext, info: GraphQLResolveInfo) {
  const compiled = compileSearch(typeof query === "string" ? query : null, spec);
  if (compiled.warnings.length > 0) {
    ctx.searchNotes.push({ path: pathOf(info), query: String(query), warnings: compiled.warnings });
  }
  return compiled.matches;
}

function pathOf(info: GraphQLResolveInfo): (string | number)[] {
  const path: (string | number)[] = [];
  for (let p: GraphQLResolveInfo["path"] | undefined = info.path; p; p = p.prev) path.unshift(p.key);
  return path;
}

function customersConnection(shop: ShopData, args: PageArgs & { query?: string; sortKey?: string }, ctx: RequestContext, info: GraphQLResolveInfo) {
  const sort = sortFor(CUSTOMER_SORTS, args.sortKey, info);
  const index = cachedIndex(shop, `customers:${sort.key}`, () => shop.customers, sort.fn);
  return paginate(index, args, search(CUSTOMER_SEARCH, args.query, ctx, info));
}

function ordersConnection(
  shop: ShopData,
  records: readonly Order[] | null,
  args: PageArgs & { query?: string; sortKey?: string },
  ctx: RequestContext,
  info: GraphQLResolveInfo,
) {
  const sort = sortFor(ORDER_SORTS, args.sortKey, info);
  const index = records ? sortIndex(records, sort.fn) : cachedIndex(shop, `orders:${sort.key}`, () => shop.orders, sort.fn);
  return paginate(index, args, search(ORDER_SEARCH, args.query, ctx, info));
}

function countOf<T>(records: readonly T[], matches: ((r: T) => boolean) | null, limit: unknown) {
  const cap = typeof limit === "number" ? limit : Number.POSITIVE_INFINITY;
  let count = 0;
  for (const r of records) {
    if (matches === null || matches(r)) count++;
    if (count > cap) return { count: cap, precision: "AT_LEAST" };
  }
  return { count, precision: "EXACT" };
}

const allFulfillmentOrders = (shop: ShopData) => shop.orders.flatMap((o) => o.fulfillmentOrders);

// ---- resolvers by type ------------------------------------------------------------------------

const shopFields: Record<string, Resolver> = {
  url: (s: ShopData["info"]) => `https://${s.primaryDomainHost}`,
  primaryDomain: (s: ShopData["info"]) => ({
    __typename: "Domain",
    id: s.id.replace("/Shop/", "/Domain/"),
    host: s.primaryDomainHost,
    url: `https://${s.primaryDomainHost}`,
    sslEnabled: true,
    localization: null,
    marketWebPresence: null,
  }),
  plan: (s: ShopData["info"]) => ({
    displayName: s.planName,
    publicDisplayName: s.planName,
    partnerDevelopment: s.partnerDevelopment,
    shopifyPlus: false,
  }),
  billingAddress: (s: ShopData["info"]) => shopAddress(s),
  shopAddress: (s: ShopData["info"]) => shopAddress(s),
  enabledPresentmentCurrencies: (s: ShopData["info"]) => [s.currencyCode],
  orderNumberFormatPrefix: () => "#",
  orderNumberFormatSuffix: () => "",
  timezoneOffsetMinutes: (s: ShopData["info"], _a, ctx) => offsetMinutes(s.ianaTimezone, ctx.now()),
  timezoneOffset: (s: ShopData["info"], _a, ctx) => {
    const minutes = offsetMinutes(s.ianaTimezone, ctx.now());
    const abs = Math.abs(minutes);
    return `${minutes < 0 ? "-" : "+"}${String(Math.floor(abs / 60)).padStart(2, "0")}${String(abs % 60).padStart(2, "0")}`;
  },
  timezoneAbbreviation: (s: ShopData["info"], _a, ctx) =>
    new Intl.DateTimeFormat("en-GB", { timeZone: s.ianaTimezone, timeZoneName: "short" })
      .formatToParts(ctx.now())
      .find((p) => p.type === "timeZoneName")?.value ?? "UTC",
  customers: (_s, args, ctx, info) => customersConnection(ctx.shop, args, ctx, info),
  orders: (_s, args, ctx, info) => ordersConnection(ctx.shop, null, args, ctx, info),
};

function shopAddress(s: ShopData["info"]) {
  const a = s.address;
  return {
    ...a,
    __typename: "ShopAddress",
    id: a.id.replace("/MailingAddress/", "/ShopAddress/"),
    countryCode: a.countryCodeV2,
    coordinatesValidated: false,
    formatted: formatAddress(a, true),
    formattedArea: formattedArea(a),
  };
}

function offsetMinutes(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
  return Math.round((local - Math.floor(at / 60_000) * 60_000) / 60_000);
}

function formatAddress(a: MailingAddress, withCompany: boolean, withName = false): string[] {
  const lines: (string | null)[] = [];
  if (withName) lines.push(a.name);
  if (withCompany) lines.push(a.company);
  lines.push(a.address1, a.address2, [a.city, a.province, a.zip].filter(Boolean).join(" ") || null, a.country);
  return lines.filter((l): l is string => Boolean(l));
}

function formattedArea(a: MailingAddress): string | null {
  return [a.city, a.province, a.country].filter(Boolean).join(", ") || null;
}

const mailingAddressFields: Record<string, Resolver> = {
  countryCode: (a: MailingAddress) => a.countryCodeV2,
  formatted: (a: MailingAddress, args: { withCompany?: boolean; withName?: boolean }) =>
    formatAddress(a, args.withCompany !== false, args.withName === true),
  formattedArea: (a: MailingAddress) => formattedArea(a),
  coordinatesValidated: () => false,
  latitude: () => null,
  longitude: () => null,
};

const EMAIL_ADDRESS_STATES = new Set(["INVALID", "NOT_SUBSCRIBED", "PENDING", "SUBSCRIBED", "UNSUBSCRIBED"]);

const customerFields: Record<string, Resolver> = {
  amountSpent: (c: Customer, _a, ctx) => money(c.amountSpent, ctx.shop.info.currencyCode),
  defaultEmailAddress: (c: Customer) => {
    if (!c.email) return null;
    const consent = c.emailMarketingConsent;
    const state = consent?.marketingState ?? "NOT_SUBSCRIBED";
    return {
      emailAddress: c.email,
      marketingState: EMAIL_ADDRESS_STATES.has(state) ? state : "UNSUBSCRIBED",
      marketingOptInLevel: consent?.marketingOptInLevel ?? null,
      marketingUpdatedAt: consent?.consentUpdatedAt ?? null,
      openTrackingLevel: "UNKNOWN",
      validFormat: true,
      sourceLocation: null,
    };
  },
  defaultPhoneNumber: (c: Customer) =>
    c.phone
      ? {
          phoneNumber: c.phone,
          marketingState: "NOT_SUBSCRIBED",
          marketingOptInLevel: null,
          marketingUpdatedAt: null,
          marketingCollectedFrom: null,
          sourceLocation: null,
          smsMarketingConsent: { state: "NOT_SUBSCRIBED", optInLevel: null, updatedAt: null, collectedFrom: null, sourceLocation: null },
        }
      : null,
  smsMarketingConsent: (c: Customer) =>
    c.phone ? { marketingState: "NOT_SUBSCRIBED", marketingOptInLevel: "UNKNOWN", consentUpdatedAt: null, consentCollectedFrom: null } : null,
  addresses: (c: Customer, args: { first?: number }) =>
    (c.defaultAddress ? [c.defaultAddress] : []).slice(0, typeof args.first === "number" ? args.first : undefined),
  addressesV2: (c: Customer, args: PageArgs) =>
    paginate(sortIndex(c.defaultAddress ? [c.defaultAddress] : [], byPosition), args, null),
  orders: (c: Customer, args, ctx, info) => ordersConnection(ctx.shop, ctx.shop.ordersForCustomer(c.id), args, ctx, info),
  lastOrder: (c: Customer, _a, ctx) => {
    const orders = ctx.shop.ordersForCustomer(c.id);
    return orders.length > 0 ? orders[orders.length - 1] : null;
  },
  validEmailAddress: (c: Customer) => c.email !== null,
  canDelete: (c: Customer) => c.numberOfOrders === 0,
  dataSaleOptOut: () => false,
  hasTimelineComment: () => false,
  multipassIdentifier: () => null,
  image: () => null,
};

const ORDER_MONEY: Record<string, (o: Order) => string> = {
  totalPriceSet: (o) => o.totalPrice,
  currentTotalPriceSet: (o) => o.totalPrice,
  originalTotalPriceSet: (o) => o.totalPrice,
  subtotalPriceSet: (o) => o.subtotalPrice,
  currentSubtotalPriceSet: (o) => o.subtotalPrice,
  totalTaxSet: (o) => o.totalTax,
  currentTotalTaxSet: (o) => o.totalTax,
  totalShippingPriceSet: (o) => o.totalShippingPrice,
  currentShippingPriceSet: (o) => o.totalShippingPrice,
  totalDiscountsSet: () => "0.0",
  currentTotalDiscountsSet: () => "0.0",
  currentCartDiscountAmountSet: () => "0.0",
  totalTipReceivedSet: () => "0.0",
  totalCapturableSet: (o) => (o.displayFinancialStatus === "AUTHORIZED" ? o.totalPrice : "0.0"),
  totalOutstandingSet: (o) => (o.displayFinancialStatus === "PENDING" || o.displayFinancialStatus === "AUTHORIZED" ? o.totalPrice : "0.0"),
  totalReceivedSet: (o) => (["PAID", "PARTIALLY_REFUNDED", "REFUNDED"].includes(o.displayFinancialStatus) ? o.totalPrice : "0.0"),
  netPaymentSet: (o) => (["PAID", "PARTIALLY_REFUNDED"].includes(o.displayFinancialStatus) ? o.totalPrice : "0.0"),
  totalRefundedSet: (o) => (o.displayFinancialStatus === "REFUNDED" ? o.totalPrice : "0.0"),
  totalRefundedShippingSet: () => "0.0",
};

const orderFields: Record<string, Resolver> = {
  ...Object.fromEntries(
    Object.entries(ORDER_MONEY).map(([field, amount]): [string, Resolver] => [field, (o: Order) => moneyBag(amount(o), o.currencyCode)]),
  ),
  customer: (o: Order, _a, ctx) => (o.customerId ? (ctx.shop.customerById(o.customerId) ?? null) : null),
  presentmentCurrencyCode: (o: Order) => o.currencyCode,
  displayAddress: (o: Order) => o.shippingAddress,
  lineItems: (o: Order, args: PageArgs) => paginate(sortIndex(o.lineItems, byPosition), args, null),
  fulfillmentOrders: (o: Order, args: PageArgs & { query?: string }, ctx, info) =>
    paginate(sortIndex(o.fulfillmentOrders, byPosition), args, search(FULFILLMENT_ORDER_SEARCH, args.query, ctx, info)),
  fulfillments: (o: Order, args: { first?: number }) =>
    typeof args.first === "number" ? o.fulfillments.slice(0, args.first) : o.fulfillments,
  fulfillmentsCount: (o: Order) => ({ count: o.fulfillments.length, precision: "EXACT" }),
  subtotalLineItemsQuantity: (o: Order) => o.lineItems.reduce((n, l) => n + l.quantity, 0),
  currentSubtotalLineItemsQuantity: (o: Order) => o.lineItems.reduce((n, l) => n + l.quantity, 0),
  fulfillable: (o: Order) => o.cancelledAt === null && o.fulfillmentOrders.some((fo) => fo.status === "OPEN" || fo.status === "IN_PROGRESS"),
  fullyPaid: (o: Order) => o.displayFinancialStatus === "PAID",
  unpaid: (o: Order) => o.displayFinancialStatus === "PENDING" || o.displayFinancialStatus === "AUTHORIZED",
  capturable: (o: Order) => o.displayFinancialStatus === "AUTHORIZED",
  canMarkAsPaid: (o: Order) => o.displayFinancialStatus === "PENDING",
  confirmed: () => true,
  edited: () => false,
  requiresShipping: (o: Order) => o.lineItems.some((l) => l.requiresShipping),
  taxesIncluded: (_o: Order, _a, ctx) => ctx.shop.info.taxesIncluded,
  returnStatus: () => "NO_RETURN",
  totalPrice: (o: Order) => o.totalPrice,
  subtotalPrice: (o: Order) => o.subtotalPrice,
  totalTax: (o: Order) => o.totalTax,
  totalShippingPrice: (o: Order) => o.totalShippingPrice,
  statusPageUrl: (o: Order, _a, ctx) => `https://${ctx.shop.info.primaryDomainHost}/account/orders/${o.legacyResourceId}`,
};

const lineItemFields: Record<string, Resolver> = {
  currentQuantity: (l: LineItem) => l.quantity,
  originalUnitPriceSet: (l: LineItem, _a, ctx) => moneyBag(l.price, ctx.shop.info.currencyCode),
  discountedUnitPriceSet: (l: LineItem, _a, ctx) => moneyBag(l.price, ctx.shop.info.currencyCode),
  discountedUnitPriceAfterAllDiscountsSet: (l: LineItem, _a, ctx) => moneyBag(l.price, ctx.shop.info.currencyCode),
  originalTotalSet: (l: LineItem, _a, ctx) => moneyBag(times(l.price, l.quantity), ctx.shop.info.currencyCode),
  discountedTotalSet: (l: LineItem, _a, ctx) => moneyBag(times(l.price, l.quantity), ctx.shop.info.currencyCode),
  totalDiscountSet: (_l: LineItem, _a, ctx) => moneyBag("0.0", ctx.shop.info.currencyCode),
  isGiftCard: () => false,
  taxable: () => true,
  merchantEditable: () => false,
  image: () => null,
  product: () => null,
  variant: () => null,
};

function fulfillmentOrderLineItem(fo: FulfillmentOrder, line: LineItem) {
  return {
    __typename: "FulfillmentOrderLineItem",
    id: line.id.replace("/LineItem/", "/FulfillmentOrderLineItem/"),
    lineItem: line,
    productTitle: line.title,
    variantTitle: line.variantTitle,
    sku: line.sku,
    vendor: line.vendor,
    totalQuantity: line.quantity,
    remainingQuantity: fo.status === "CLOSED" || fo.status === "CANCELLED" ? 0 : line.quantity,
    requiresShipping: line.requiresShipping,
    warnings: [],
    financialSummaries: [],
    image: null,
    variant: null,
    inventoryItemId: null,
  };
}

const fulfillmentOrderFields: Record<string, Resolver> = {
  order: (fo: FulfillmentOrder, _a, ctx) => ctx.shop.orderById(fo.orderId),
  orderName: (fo: FulfillmentOrder, _a, ctx) => ctx.shop.orderById(fo.orderId)?.name,
  orderProcessedAt: (fo: FulfillmentOrder, _a, ctx) => ctx.shop.orderById(fo.orderId)?.processedAt,
  lineItems: (fo: FulfillmentOrder, args: PageArgs, ctx) => {
    const order = ctx.shop.orderById(fo.orderId);
    const items = (order?.lineItems ?? []).map((line) => fulfillmentOrderLineItem(fo, line));
    return paginate(sortIndex(items, byPosition), args, null);
  },
  fulfillments: (fo: FulfillmentOrder, args: PageArgs, ctx) => {
    const order = ctx.shop.orderById(fo.orderId);
    const own = (order?.fulfillments ?? []).filter((f) => f.fulfillmentOrderId === fo.id);
    return paginate(sortIndex(own, byPosition), args, null);
  },
  destination: (fo: FulfillmentOrder, _a, ctx) => {
    const order = ctx.shop.orderById(fo.orderId);
    const a = order?.shippingAddress;
    if (!order || !a) return null;
    return {
      __typename: "FulfillmentOrderDestination",
      id: fo.id.replace("/FulfillmentOrder/", "/FulfillmentOrderDestination/"),
      address1: a.address1,
      address2: a.address2,
      city: a.city,
      company: a.company,
      countryCode: a.countryCodeV2,
      email: order.email,
      firstName: a.firstName,
      lastName: a.lastName,
      phone: a.phone,
      province: a.province,
      zip: a.zip,
      location: null,
    };
  },
  assignedLocation: (_fo: FulfillmentOrder, _a, ctx) => {
    const a = ctx.shop.info.address;
    return {
      name: `${a.city} warehouse`,
      address1: a.address1,
      address2: a.address2,
      city: a.city,
      countryCode: a.countryCodeV2,
      phone: a.phone,
      province: a.province,
      zip: a.zip,
      location: null,
    };
  },
  deliveryMethod: (fo: FulfillmentOrder) => ({
    __typename: "DeliveryMethod",
    id: fo.id.replace("/FulfillmentOrder/", "/DeliveryMethod/"),
    methodType: "SHIPPING",
  }),
  supportedActions: () => [],
  internationalDuties: () => null,
  channelId: () => null,
};

const fulfillmentHoldFields: Record<string, Resolver> = {
  heldByApp: () => null,
};

const fulfillmentFields: Record<string, Resolver> = {
  order: (f: Fulfillment, _a, ctx) => ctx.shop.orderById(f.orderId),
  fulfillmentOrders: (f: Fulfillment, args: PageArgs, ctx) => {
    const fo = ctx.shop.fulfillmentOrderById(f.fulfillmentOrderId);
    return paginate(sortIndex(fo ? [fo] : [], byPosition), args, null);
  },
  trackingInfo: (f: Fulfillment, args: { first?: number }) =>
    typeof args.first === "number" ? f.trackingInfo.slice(0, args.first) : f.trackingInfo,
  fulfillmentLineItems: (f: Fulfillment, args: PageArgs, ctx) => {
    const order = ctx.shop.orderById(f.orderId);
    const items = (order?.lineItems ?? []).map((line) => ({
      __typename: "FulfillmentLineItem",
      id: line.id.replace("/LineItem/", "/FulfillmentLineItem/"),
      lineItem: line,
      quantity: line.quantity,
      originalTotalSet: moneyBag(times(line.price, line.quantity), order!.currencyCode),
      discountedTotalSet: moneyBag(times(line.price, line.quantity), order!.currencyCode),
    }));
    return paginate(sortIndex(items, byPosition), args, null);
  },
  location: () => null,
  service: () => null,
  originAddress: () => null,
};

// ---- roots --------------------------------------------------------------------------------

function tagsMutation(mode: "add" | "remove"): Resolver {
  return (_root, args: { id: string; tags: string[] }, ctx) => {
    const node = findNode(ctx.shop, args.id) as Customer | Order | null;
    if (!node || (node.__typename !== "Customer" && node.__typename !== "Order")) {
      return { node: null, userErrors: [{ field: ["id"], message: "Resource not found" }] };
    }
    // Shopify accepts a list, each item possibly a comma-separated string.
    const given = args.tags.flatMap((t) => t.split(",")).map((t) => t.trim()).filter(Boolean);
    // Tags compare case-insensitively; the first spelling seen is kept.
    const tags = new Map(node.tags.map((t) => [t.toLowerCase(), t]));
    for (const tag of given) {
      if (mode === "add" && !tags.has(tag.toLowerCase())) tags.set(tag.toLowerCase(), tag);
      if (mode === "remove") tags.delete(tag.toLowerCase());
    }
    const patch = { tags: [...tags.values()].sort((x, y) => x.localeCompare(y)), updatedAt: isoSeconds(ctx.now()) };
    const updated = node.__typename === "Customer" ? ctx.shop.updateCustomer(node.id, patch) : ctx.shop.updateOrder(node.id, patch);
    return { node: updated, userErrors: [] };
  };
}

/** `node(id:)` also finds the app's bulk operations, which live outside the store. */
function nodeFor(ctx: RequestContext, rawId: unknown): unknown {
  const { type, id } = parseGid(rawId);
  if (type === "BulkOperation") return ctx.bulkOperations?.get(ctx.shop.info.myshopifyDomain, id) ?? null;
  return findNode(ctx.shop, rawId);
}

function bulkOperationsOf(ctx: RequestContext): BulkOperations {
  if (!ctx.bulkOperations) throw new EmulatorError("Bulk operations are not enabled in this emulator.", "NOT_IMPLEMENTED_IN_EMULATOR");
  return ctx.bulkOperations;
}

const BULK_OPERATION_SORTS: Record<string, (op: BulkOperationRecord) => SortKey> = {
  CREATED_AT: (op) => [time(op.createdAt), legacyId(op.id)],
  COMPLETED_AT: (op) => [op.completedAt ? time(op.completedAt) : Number.MAX_SAFE_INTEGER, legacyId(op.id)],
};

const BULK_OPERATION_SEARCH: SearchSpec<BulkOperationRecord> = {
  fields: {
    status: textField((op) => op.status),
    operation_type: textField((op) => op.type),
    type: textField((op) => op.type),
    created_at: dateField((op) => op.createdAt),
    id: numberField((op) => legacyId(op.id)),
  },
  text: () => [],
};

const queryRootFields: Record<string, Resolver> = {
  shop: (_r, _a, ctx) => ctx.shop.info,
  customers: (_r, args, ctx, info) => customersConnection(ctx.shop, args, ctx, info),
  customer: (_r, args: { id: string }, ctx) => expectType<Customer>(ctx.shop, args.id, "Customer"),
  customersCount: (_r, args: { query?: string; limit?: number | null }, ctx, info) =>
    countOf(ctx.shop.customers, search(CUSTOMER_SEARCH, args.query, ctx, info), args.limit),
  orders: (_r, args, ctx, info) => ordersConnection(ctx.shop, null, args, ctx, info),
  order: (_r, args: { id: string }, ctx) => expectType<Order>(ctx.shop, args.id, "Order"),
  ordersCount: (_r, args: { query?: string; limit?: number | null }, ctx, info) =>
    countOf(ctx.shop.orders, search(ORDER_SEARCH, args.query, ctx, info), args.limit),
  fulfillmentOrder: (_r, args: { id: string }, ctx) => expectType<FulfillmentOrder>(ctx.shop, args.id, "FulfillmentOrder"),
  fulfillmentOrders: (_r, args: PageArgs & { query?: string; sortKey?: string; includeClosed?: boolean }, ctx, info) => {
    const sort = sortFor(FULFILLMENT_ORDER_SORTS, args.sortKey, info);
    const index = cachedIndex(ctx.shop, `fulfillmentOrders:${sort.key}`, () => allFulfillmentOrders(ctx.shop), sort.fn);
    const matches = search(FULFILLMENT_ORDER_SEARCH, args.query, ctx, info);
    const open = (fo: FulfillmentOrder) => args.includeClosed === true || (fo.status !== "CLOSED" && fo.status !== "CANCELLED");
    return paginate(index, args, (fo) => open(fo) && (matches === null || matches(fo)));
  },
  fulfillment: (_r, args: { id: string }, ctx) => expectType<Fulfillment>(ctx.shop, args.id, "Fulfillment"),
  node: (_r, args: { id: string }, ctx) => nodeFor(ctx, args.id),
  currentAppInstallation: (_r, _a, ctx) => currentAppInstallation(ctx.shop),
  nodes: (_r, args: { ids: string[] }, ctx) => {
    if (args.ids.length > 250) throw new EmulatorError("The ids argument accepts at most 250 ids.", "BAD_REQUEST");
    return args.ids.map((id) => nodeFor(ctx, id));
  },
  bulkOperation: (_r, args: { id: string }, ctx) => {
    const { type, id } = parseGid(args.id);
    return type === "BulkOperation" ? (bulkOperationsOf(ctx).get(ctx.shop.info.myshopifyDomain, id) ?? null) : null;
  },
  currentBulkOperation: (_r, args: { type?: string }, ctx) =>
    bulkOperationsOf(ctx)
      .list(ctx.shop.info.myshopifyDomain)
      .find((op) => op.type === (args.type ?? "QUERY")) ?? null,
  bulkOperations: (_r, args: PageArgs & { query?: string; sortKey?: string }, ctx, info) => {
    const sort = sortFor(BULK_OPERATION_SORTS, args.sortKey ?? "CREATED_AT", info);
    const index = sortIndex(bulkOperationsOf(ctx).list(ctx.shop.info.myshopifyDomain), sort.fn);
    // Newest first unless reversed.
    return paginate(index, { ...args, reverse: args.reverse !== true }, search(BULK_OPERATION_SEARCH, args.query, ctx, info));
  },
};

const mutationFields: Record<string, Resolver> = {
  tagsAdd: tagsMutation("add"),
  tagsRemove: tagsMutation("remove"),
  metafieldsSet: (_r, args: { metafields: Parameters<typeof setMetafields>[1] }, ctx) => setMetafields(ctx.shop, args.metafields, ctx.now()),
  bulkOperationRunQuery: (_r, args: { query: string; groupObjects: boolean }, ctx) =>
    bulkOperationsOf(ctx).run(ctx.shop, args.query, args.groupObjects),
  bulkOperationCancel: (_r, args: { id: string }, ctx) => bulkOperationsOf(ctx).cancel(ctx.shop, parseGid(args.id).id),
};

export const RESOLVERS: Record<string, Record<string, Resolver>> = {
  QueryRoot: queryRootFields,
  Mutation: mutationFields,
  Shop: shopFields,
  MailingAddress: mailingAddressFields,
  Customer: customerFields,
  Order: orderFields,
  LineItem: lineItemFields,
  FulfillmentOrder: fulfillmentOrderFields,
  FulfillmentHold: fulfillmentHoldFields,
  Fulfillment: fulfillmentFields,
  AppInstallation: {
    metafield: (_source, args: { namespace?: string | null; key: string }, ctx) => appMetafield(ctx.shop, args.namespace, args.key),
  },
};

/** Root fields the emulator answers; everything else on QueryRoot and Mutation is an error. */
export const IMPLEMENTED_ROOT_FIELDS = {
  query: Object.keys(queryRootFields),
  mutation: Object.keys(mutationFields),
};

const UNPAGED = { first: Number.MAX_SAFE_INTEGER, last: null, after: null, before: null };

/**
 * One resolver for every field: custom logic where there is some, otherwise the record's property
 * of the same name. Connections are checked for `first`/`last` before anything resolves.
 */
export function createFieldResolver(schema: GraphQLSchema): GraphQLFieldResolver<unknown, RequestContext> {
  const connectionCache = new Map<GraphQLOutputType, boolean>();
  const roots = new Set([schema.getQueryType(), schema.getMutationType()]);
  return (source, args, ctx, info) => {
    const returnType = info.returnType;
    let isConnection = connectionCache.get(returnType);
    if (isConnection === undefined) connectionCache.set(returnType, (isConnection = isConnectionType(getNamedType(returnType))));
    const isTopLevel = info.path.prev === undefined;
    if (isConnection) {
      // A bulk query ignores page sizes: nested connections return everything, and the emulator
      // reads the top-level one in batches of its own choosing.
      if (ctx.bulk) args = isTopLevel ? { ...args, first: ctx.bulk.first, after: ctx.bulk.after, last: null, before: null } : { ...args, ...UNPAGED };
      else checkPageArgs(args as PageArgs);
    }

    const custom = RESOLVERS[info.parentType.name]?.[info.fieldName];
    if (custom) {
      const result = custom(source, args, ctx, info);
      if (ctx.bulk && isConnection && isTopLevel) ctx.bulk.rootPage = result as Connection<unknown>;
      return result;
    }
    if (roots.has(info.parentType)) throw notImplemented(info.parentType.name, info.fieldName);

    const value = source !== null && typeof source === "object" ? (source as Record<string, unknown>)[info.fieldName] : undefined;
    if (value !== undefined) return value;
    if (isConnection) return EMPTY_CONNECTION;
    if (isNonNullType(returnType)) {
      if (isListType(returnType.ofType)) return [];
      throw new EmulatorError(
        `The local Shopify emulator has no data for ${info.parentType.name}.${info.fieldName}; add it to the store or a resolver.`,
        "NO_DATA_IN_EMULATOR",
      );
    }
    return null;
  };
}

/** Records carry `__typename`, which is all Node, interfaces and unions need. */
export const typeResolver: GraphQLTypeResolver<unknown, RequestContext> = (value) =>
  value !== null && typeof value === "object" ? ((value as { __typename?: string }).__typename ?? undefined) : undefined;
