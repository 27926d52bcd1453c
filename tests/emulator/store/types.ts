/**
 * Plain records of the emulator's seeded store. Field names follow the Admin GraphQL schema
 * (2026-10) wherever a record maps onto a GraphQL object, so most fields resolve by name.
 * Money is a decimal string in the shop's currency; times are ISO-8601 UTC strings.
 */

export type Gid = string;
export type IsoDateTime = string;
export type Decimal = string;

export interface MailingAddress {
  __typename: "MailingAddress";
  id: Gid;
  firstName: string | null;
  lastName: string | null;
  name: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  provinceCode: string | null;
  zip: string | null;
  country: string | null;
  countryCodeV2: string | null;
  phone: string | null;
}

export interface ShopInfo {
  __typename: "Shop";
  id: Gid;
  legacyResourceId: number;
  name: string;
  email: string;
  contactEmail: string;
  shopOwnerName: string;
  myshopifyDomain: string;
  primaryDomainHost: string;
  ianaTimezone: string;
  currencyCode: string;
  primaryLocale: string;
  /** Plan as `ShopPlan.publicDisplayName` shows it, e.g. "Basic". */
  planName: string;
  partnerDevelopment: boolean;
  description: string | null;
  address: MailingAddress;
  weightUnit: "KILOGRAMS" | "GRAMS" | "POUNDS" | "OUNCES";
  unitSystem: "METRIC_SYSTEM" | "IMPERIAL_SYSTEM";
  taxesIncluded: boolean;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

export type EmailMarketingState = "NOT_SUBSCRIBED" | "PENDING" | "SUBSCRIBED" | "UNSUBSCRIBED" | "REDACTED" | "INVALID";
export type MarketingOptInLevel = "SINGLE_OPT_IN" | "CONFIRMED_OPT_IN" | "UNKNOWN";

export interface EmailMarketingConsent {
  marketingState: EmailMarketingState;
  marketingOptInLevel: MarketingOptInLevel | null;
  consentUpdatedAt: IsoDateTime | null;
}

export type CustomerState = "DECLINED" | "DISABLED" | "ENABLED" | "INVITED";

/** Languages the seeded customers speak; `locale` on Customer and `customerLocale` on Order. */
export type SeedLocale = "en" | "sw" | "et" | "ta" | "ro" | "tr";

export interface Customer {
  __typename: "Customer";
  id: Gid;
  legacyResourceId: number;
  firstName: string | null;
  lastName: string | null;
  displayName: string;
  email: string | null;
  phone: string | null;
  locale: string;
  note: string | null;
  tags: string[];
  state: CustomerState;
  verifiedEmail: boolean;
  taxExempt: boolean;
  emailMarketingConsent: EmailMarketingConsent | null;
  defaultAddress: MailingAddress | null;
  numberOfOrders: number;
  amountSpent: Decimal;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

export type FinancialStatus =
  | "AUTHORIZED"
  | "EXPIRED"
  | "PAID"
  | "PARTIALLY_PAID"
  | "PARTIALLY_REFUNDED"
  | "PENDING"
  | "REFUNDED"
  | "VOIDED";

export type OrderFulfillmentStatus =
  | "FULFILLED"
  | "IN_PROGRESS"
  | "ON_HOLD"
  | "OPEN"
  | "PARTIALLY_FULFILLED"
  | "PENDING_FULFILLMENT"
  | "SCHEDULED"
  | "UNFULFILLED";

export type CancelReason = "CUSTOMER" | "DECLINED" | "FRAUD" | "INVENTORY" | "OTHER" | "STAFF";

export interface LineItem {
  __typename: "LineItem";
  id: Gid;
  title: string;
  name: string;
  variantTitle: string | null;
  sku: string | null;
  vendor: string | null;
  quantity: number;
  /** Unit price before discounts. */
  price: Decimal;
  requiresShipping: boolean;
}

export type FulfillmentOrderStatus = "CANCELLED" | "CLOSED" | "INCOMPLETE" | "IN_PROGRESS" | "ON_HOLD" | "OPEN" | "SCHEDULED";

export type FulfillmentHoldReason =
  | "AWAITING_PAYMENT"
  | "AWAITING_RETURN_ITEMS"
  | "HIGH_RISK_OF_FRAUD"
  | "INCORRECT_ADDRESS"
  | "INVENTORY_OUT_OF_STOCK"
  | "ONLINE_STORE_POST_PURCHASE_CROSS_SELL"
  | "OTHER"
  | "UNKNOWN_DELIVERY_DATE";

export interface FulfillmentHold {
  __typename: "FulfillmentHold";
  id: Gid;
  reason: FulfillmentHoldReason;
  reasonNotes: string | null;
  displayReason: string;
  handle: string | null;
  heldByRequestingApp: boolean;
}

export interface FulfillmentOrder {
  __typename: "FulfillmentOrder";
  id: Gid;
  orderId: Gid;
  status: FulfillmentOrderStatus;
  requestStatus: "UNSUBMITTED" | "SUBMITTED" | "ACCEPTED" | "REJECTED" | "CLOSED";
  fulfillAt: IsoDateTime | null;
  fulfillBy: IsoDateTime | null;
  fulfillmentHolds: FulfillmentHold[];
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

export type FulfillmentDisplayStatus =
  | "ATTEMPTED_DELIVERY"
  | "CANCELED"
  | "CARRIER_PICKED_UP"
  | "CONFIRMED"
  | "DELAYED"
  | "DELIVERED"
  | "FAILURE"
  | "FULFILLED"
  | "IN_TRANSIT"
  | "LABEL_PRINTED"
  | "LABEL_PURCHASED"
  | "LABEL_VOIDED"
  | "MARKED_AS_FULFILLED"
  | "NOT_DELIVERED"
  | "OUT_FOR_DELIVERY"
  | "PICKED_UP"
  | "READY_FOR_PICKUP"
  | "SUBMITTED";

export interface TrackingInfo {
  company: string | null;
  number: string | null;
  url: string | null;
}

export interface Fulfillment {
  __typename: "Fulfillment";
  id: Gid;
  legacyResourceId: number;
  orderId: Gid;
  fulfillmentOrderId: Gid;
  name: string;
  status: "CANCELLED" | "ERROR" | "FAILURE" | "SUCCESS";
  displayStatus: FulfillmentDisplayStatus | null;
  trackingInfo: TrackingInfo[];
  estimatedDeliveryAt: IsoDateTime | null;
  inTransitAt: IsoDateTime | null;
  deliveredAt: IsoDateTime | null;
  totalQuantity: number;
  requiresShipping: boolean;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
}

export interface Order {
  __typename: "Order";
  id: Gid;
  legacyResourceId: number;
  name: string;
  number: number;
  customerId: Gid | null;
  email: string | null;
  phone: string | null;
  customerLocale: string | null;
  note: string | null;
  tags: string[];
  test: boolean;
  createdAt: IsoDateTime;
  updatedAt: IsoDateTime;
  processedAt: IsoDateTime;
  cancelledAt: IsoDateTime | null;
  cancelReason: CancelReason | null;
  closed: boolean;
  closedAt: IsoDateTime | null;
  displayFinancialStatus: FinancialStatus;
  displayFulfillmentStatus: OrderFulfillmentStatus;
  currencyCode: string;
  subtotalPrice: Decimal;
  totalShippingPrice: Decimal;
  totalTax: Decimal;
  totalPrice: Decimal;
  lineItems: LineItem[];
  shippingAddress: MailingAddress | null;
  billingAddress: MailingAddress | null;
  fulfillmentOrders: FulfillmentOrder[];
  fulfillments: Fulfillment[];
}

export type StoreChange =
  | { shop: string; kind: "customer"; action: "create" | "update" | "delete"; record: Customer }
  | { shop: string; kind: "order"; action: "create" | "update"; record: Order }
  | { shop: string; kind: "fulfillment"; action: "create" | "update"; record: Fulfillment; order: Order }
  | { shop: string; kind: "fulfillmentOrder"; action: "update"; record: FulfillmentOrder; order: Order };

export interface ShopData {
  info: ShopInfo;
  /** Sorted by id ascending (which is also creation order). Treat as read-only; use the update helpers. */
  customers: readonly Customer[];
  orders: readonly Order[];
  /** Bumped on every change, so readers can cache derived indexes. */
  readonly version: number;
  customerById(id: Gid): Customer | undefined;
  orderById(id: Gid): Order | undefined;
  fulfillmentOrderById(id: Gid): FulfillmentOrder | undefined;
  fulfillmentById(id: Gid): Fulfillment | undefined;
  ordersForCustomer(id: Gid): readonly Order[];
  updateCustomer(id: Gid, patch: Partial<Omit<Customer, "__typename" | "id" | "legacyResourceId">>): Customer | undefined;
  updateOrder(id: Gid, patch: Partial<Omit<Order, "__typename" | "id" | "legacyResourceId">>): Order | undefined;
  addCustomer(input: NewCustomer): Customer;
  /**
   * Changes a fulfillment. Set `updatedAt` in the patch yourself (the store does not invent times);
   * the order's `updatedAt` is moved up to it, as Shopify touches an order when a child changes.
   */
  updateFulfillment(id: Gid, patch: Partial<Omit<Fulfillment, "__typename" | "id" | "legacyResourceId" | "orderId">>): Fulfillment | undefined;
  /** As updateFulfillment, for a fulfillment order (status, holds, fulfillAt…). */
  updateFulfillmentOrder(id: Gid, patch: Partial<Omit<FulfillmentOrder, "__typename" | "id" | "orderId">>): FulfillmentOrder | undefined;
  /** Ships (part of) an order: a new fulfillment on one of its fulfillment orders. */
  addFulfillment(input: NewFulfillment): Fulfillment;
  /** Places an order with one open fulfillment order; the customer's order count and spend follow. */
  addOrder(input: NewOrder): Order;
  /**
   * Deletes a customer. Shopify refuses while the customer has orders; `force` detaches the orders
   * instead (their `customerId` becomes null), which is what a test of a vanished customer wants.
   */
  deleteCustomer(id: Gid, opts?: { force?: boolean }): Customer | undefined;
}

export interface NewLineItem {
  title: string;
  quantity: number;
  price: Decimal;
  variantTitle?: string | null;
  sku?: string | null;
  vendor?: string | null;
  requiresShipping?: boolean;
}

export interface NewOrder {
  /** A guest order when omitted. */
  customerId?: Gid | null;
  email?: string | null;
  phone?: string | null;
  lineItems: NewLineItem[];
  tags?: string[];
  note?: string | null;
  /** Default: now. Also the order's updatedAt and processedAt. */
  createdAt?: IsoDateTime;
  displayFinancialStatus?: FinancialStatus;
  shippingAddress?: MailingAddress | null;
}

export interface NewFulfillment {
  orderId: Gid;
  /** Default: the order's first fulfillment order. */
  fulfillmentOrderId?: Gid;
  displayStatus?: FulfillmentDisplayStatus | null;
  status?: Fulfillment["status"];
  trackingInfo?: TrackingInfo[];
  estimatedDeliveryAt?: IsoDateTime | null;
  /** Default: now. Also updatedAt, and the order's updatedAt moves up to it. */
  createdAt?: IsoDateTime;
}

export interface NewCustomer {
  firstName: string;
  lastName: string;
  email: string;
  locale?: string;
  phone?: string | null;
  tags?: string[];
  createdAt?: IsoDateTime;
}

export interface EmulatorStore {
  shopDomains(): string[];
  shop(domain: string): ShopData | undefined;
  addShop(domain: string): ShopData;
  /** Called after every change made through the ShopData helpers (e.g. by a mutation). */
  onChange(listener: (change: StoreChange) => void): () => void;
}
