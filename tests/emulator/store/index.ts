import { decimal, isoSeconds, seedShop, type IdAllocator } from "./seed";
import type {
  Customer,
  EmulatorStore,
  Fulfillment,
  FulfillmentOrder,
  Gid,
  LineItem,
  NewCustomer,
  NewFulfillment,
  NewOrder,
  Order,
  ShopData,
  StoreChange,
} from "./types";

export type * from "./types";

export const DEFAULT_SHOP = "support-desk-demo.myshopify.com";

export interface CreateStoreOptions {
  shops?: string[];
  seed?: number;
  /** Default 60. Large counts (50 000) are fine; generation is linear. */
  customersPerShop?: number;
  /** Default 150. Large counts (100 000) are fine; generation is linear. */
  ordersPerShop?: number;
  /**
   * The moment the seeded history leads up to. Defaults to the start of the current hour, so the
   * demo's "in transit" and "overdue" orders are relative to today; pass a fixed time for tests.
   */
  referenceTime?: number | Date;
}

export function createStore(opts: CreateStoreOptions = {}): EmulatorStore {
  const seed = opts.seed ?? 1;
  const customersPerShop = opts.customersPerShop ?? 60;
  const ordersPerShop = opts.ordersPerShop ?? 150;
  const referenceTime =
    opts.referenceTime === undefined ? Math.floor(Date.now() / 3_600_000) * 3_600_000 : Number(opts.referenceTime);

  const shops = new Map<string, ShopState>();
  const listeners = new Set<(change: StoreChange) => void>();
  const emit = (change: StoreChange) => {
    for (const listener of listeners) listener(change);
  };

  const store: EmulatorStore = {
    shopDomains: () => [...shops.keys()],
    shop: (domain) => shops.get(domain),
    addShop(domain) {
      const existing = shops.get(domain);
      if (existing) return existing;
      const seeded = seedShop({
        domain,
        shopIndex: shops.size,
        seed,
        customers: customersPerShop,
        orders: ordersPerShop,
        referenceTime,
      });
      const state = new ShopState(domain, seeded.info, seeded.customers, seeded.orders, seeded.ids, emit);
      shops.set(domain, state);
      return state;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };

  for (const domain of opts.shops ?? [DEFAULT_SHOP]) store.addShop(domain);
  return store;
}

class ShopState implements ShopData {
  version = 0;
  private readonly customersById = new Map<Gid, Customer>();
  private readonly ordersById = new Map<Gid, Order>();
  private readonly fulfillmentOrdersById = new Map<Gid, FulfillmentOrder>();
  private readonly fulfillmentsById = new Map<Gid, Fulfillment>();
  private readonly ordersByCustomer = new Map<Gid, Order[]>();

  constructor(
    private readonly domain: string,
    readonly info: ShopData["info"],
    readonly customers: Customer[],
    readonly orders: Order[],
    private readonly ids: IdAllocator,
    private readonly emit: (change: StoreChange) => void,
  ) {
    for (const c of customers) this.customersById.set(c.id, c);
    for (const o of orders) this.indexOrder(o);
  }

  private indexOrder(o: Order) {
    this.ordersById.set(o.id, o);
    for (const fo of o.fulfillmentOrders) this.fulfillmentOrdersById.set(fo.id, fo);
    for (const f of o.fulfillments) this.fulfillmentsById.set(f.id, f);
    if (o.customerId) {
      const list = this.ordersByCustomer.get(o.customerId);
      if (list) list.push(o);
      else this.ordersByCustomer.set(o.customerId, [o]);
    }
  }

  customerById = (id: Gid) => this.customersById.get(id);
  orderById = (id: Gid) => this.ordersById.get(id);
  fulfillmentOrderById = (id: Gid) => this.fulfillmentOrdersById.get(id);
  fulfillmentById = (id: Gid) => this.fulfillmentsById.get(id);
  ordersForCustomer = (id: Gid): readonly Order[] => this.ordersByCustomer.get(id) ?? [];

  updateCustomer(id: Gid, patch: Partial<Customer>): Customer | undefined {
    const customer = this.customersById.get(id);
    if (!customer) return undefined;
    Object.assign(customer, patch);
    this.version++;
    this.emit({ shop: this.domain, kind: "customer", action: "update", record: customer });
    return customer;
  }

  updateOrder(id: Gid, patch: Partial<Order>): Order | undefined {
    const order = this.ordersById.get(id);
    if (!order) return undefined;
    Object.assign(order, patch);
    this.version++;
    this.emit({ shop: this.domain, kind: "order", action: "update", record: order });
    return order;
  }

  updateFulfillment(id: Gid, patch: Partial<Fulfillment>): Fulfillment | undefined {
    const fulfillment = this.fulfillmentsById.get(id);
    if (!fulfillment) return undefined;
    Object.assign(fulfillment, patch);
    const order = this.touchOrder(fulfillment.orderId, fulfillment.updatedAt);
    this.version++;
    this.emit({ shop: this.domain, kind: "fulfillment", action: "update", record: fulfillment, order });
    return fulfillment;
  }

  updateFulfillmentOrder(id: Gid, patch: Partial<FulfillmentOrder>): FulfillmentOrder | undefined {
    const fulfillmentOrder = this.fulfillmentOrdersById.get(id);
    if (!fulfillmentOrder) return undefined;
    Object.assign(fulfillmentOrder, patch);
    const order = this.touchOrder(fulfillmentOrder.orderId, fulfillmentOrder.updatedAt);
    this.version++;
    this.emit({ shop: this.domain, kind: "fulfillmentOrder", action: "update", record: fulfillmentOrder, order });
    return fulfillmentOrder;
  }

  addFulfillment(input: NewFulfillment): Fulfillment {
    const order = this.ordersById.get(input.orderId);
    if (!order) throw new Error(`No order ${input.orderId} in ${this.domain}`);
    const fulfillmentOrder = input.fulfillmentOrderId
      ? order.fulfillmentOrders.find((fo) => fo.id === input.fulfillmentOrderId)
      : order.fulfillmentOrders[0];
    if (!fulfillmentOrder) throw new Error(`Order ${order.name} has no fulfillment order ${input.fulfillmentOrderId ?? ""}`.trim());
    const at = input.createdAt ?? isoSeconds(Date.now());
    const { id, legacyResourceId } = this.ids.take("Fulfillment");
    const fulfillment: Fulfillment = {
      __typename: "Fulfillment",
      id,
      legacyResourceId,
      orderId: order.id,
      fulfillmentOrderId: fulfillmentOrder.id,
      name: `${order.name}.${order.fulfillments.length + 1}`,
      status: input.status ?? "SUCCESS",
      displayStatus: input.displayStatus === undefined ? "FULFILLED" : input.displayStatus,
      trackingInfo: input.trackingInfo ?? [],
      estimatedDeliveryAt: input.estimatedDeliveryAt ?? null,
      inTransitAt: null,
      deliveredAt: null,
      totalQuantity: order.lineItems.reduce((n, l) => n + l.quantity, 0),
      requiresShipping: order.lineItems.some((l) => l.requiresShipping),
      createdAt: at,
      updatedAt: at,
    };
    // Seeded orders share frozen empty arrays, so children are added by replacing the array.
    order.fulfillments = [...order.fulfillments, fulfillment];
    this.fulfillmentsById.set(id, fulfillment);
    // The emulator fulfills a whole fulfillment order at a time.
    Object.assign(fulfillmentOrder, { status: "CLOSED", updatedAt: at });
    const allClosed = order.fulfillmentOrders.every((fo) => fo.status === "CLOSED" || fo.status === "CANCELLED");
    order.displayFulfillmentStatus = allClosed ? "FULFILLED" : "PARTIALLY_FULFILLED";
    this.touchOrder(order.id, at);
    this.version++;
    this.emit({ shop: this.domain, kind: "fulfillment", action: "create", record: fulfillment, order });
    return fulfillment;
  }

  addOrder(input: NewOrder): Order {
    if (input.lineItems.length === 0) throw new Error("An order needs at least one line item");
    const customer = input.customerId ? this.customersById.get(input.customerId) : undefined;
    if (input.customerId && !customer) throw new Error(`No customer ${input.customerId} in ${this.domain}`);
    const at = input.createdAt ?? isoSeconds(Date.now());
    const { id, legacyResourceId } = this.ids.take("Order");
    const number = (this.orders[this.orders.length - 1]?.number ?? 1000) + 1;
    const lineItems: LineItem[] = input.lineItems.map((line) => ({
      __typename: "LineItem",
      id: this.ids.take("LineItem").id,
      title: line.title,
      name: line.variantTitle ? `${line.title} - ${line.variantTitle}` : line.title,
      variantTitle: line.variantTitle ?? null,
      sku: line.sku ?? null,
      vendor: line.vendor ?? null,
      quantity: line.quantity,
      price: line.price,
      requiresShipping: line.requiresShipping ?? true,
    }));
    const subtotal = lineItems.reduce((sum, l) => sum + Number(l.price) * l.quantity, 0);
    const address = input.shippingAddress === undefined ? (customer?.defaultAddress ?? null) : input.shippingAddress;
    const fulfillmentOrder: FulfillmentOrder = {
      __typename: "FulfillmentOrder",
      id: this.ids.take("FulfillmentOrder").id,
      orderId: id,
      status: "OPEN",
      requestStatus: "UNSUBMITTED",
      fulfillAt: at,
      fulfillBy: null,
      fulfillmentHolds: [],
      createdAt: at,
      updatedAt: at,
    };
    const order: Order = {
      __typename: "Order",
      id,
      legacyResourceId,
      name: `#${number}`,
      number,
      customerId: customer?.id ?? null,
      email: input.email === undefined ? (customer?.email ?? null) : input.email,
      phone: input.phone === undefined ? (customer?.phone ?? null) : input.phone,
      customerLocale: customer?.locale ?? null,
      note: input.note ?? null,
      tags: [...(input.tags ?? [])],
      test: false,
      createdAt: at,
      updatedAt: at,
      processedAt: at,
      cancelledAt: null,
      cancelReason: null,
      closed: false,
      closedAt: null,
      displayFinancialStatus: input.displayFinancialStatus ?? "PAID",
      displayFulfillmentStatus: "UNFULFILLED",
      currencyCode: this.info.currencyCode,
      subtotalPrice: decimal(subtotal),
      totalShippingPrice: "0.0",
      totalTax: decimal((subtotal * 0.2) / 1.2),
      totalPrice: decimal(subtotal),
      lineItems,
      shippingAddress: address,
      billingAddress: address,
      fulfillmentOrders: [fulfillmentOrder],
      fulfillments: [],
    };
    this.orders.push(order);
    this.indexOrder(order);
    if (customer) {
      // Placing an order touches the customer too, as on Shopify.
      customer.numberOfOrders += 1;
      customer.amountSpent = decimal(Number(customer.amountSpent) + subtotal);
      if (Date.parse(at) > Date.parse(customer.updatedAt)) customer.updatedAt = at;
    }
    this.version++;
    this.emit({ shop: this.domain, kind: "order", action: "create", record: order });
    return order;
  }

  deleteCustomer(id: Gid, opts: { force?: boolean } = {}): Customer | undefined {
    const customer = this.customersById.get(id);
    if (!customer) return undefined;
    const orders = this.ordersByCustomer.get(id) ?? [];
    if (orders.length > 0 && !opts.force) {
      throw new Error(`Shopify does not delete customers with orders (${customer.displayName} has ${orders.length}); pass { force: true }`);
    }
    for (const order of orders) order.customerId = null;
    this.ordersByCustomer.delete(id);
    this.customersById.delete(id);
    // Customers are sorted by id, so the position is found by bisection.
    const at = lowerBound(this.customers, customer.legacyResourceId);
    if (this.customers[at] === customer) this.customers.splice(at, 1);
    this.version++;
    this.emit({ shop: this.domain, kind: "customer", action: "delete", record: customer });
    return customer;
  }

  /** Moves the order's updatedAt up to a child's (never back), as Shopify touches a parent. */
  private touchOrder(orderId: Gid, childUpdatedAt: string): Order {
    const order = this.ordersById.get(orderId)!;
    if (Date.parse(childUpdatedAt) > Date.parse(order.updatedAt)) order.updatedAt = childUpdatedAt;
    return order;
  }

  addCustomer(input: NewCustomer): Customer {
    const { id, legacyResourceId } = this.ids.take("Customer");
    const now = input.createdAt ?? isoSeconds(Date.now());
    const customer: Customer = {
      __typename: "Customer",
      id,
      legacyResourceId,
      firstName: input.firstName,
      lastName: input.lastName,
      displayName: `${input.firstName} ${input.lastName}`.trim() || input.email,
      email: input.email,
      phone: input.phone ?? null,
      locale: input.locale ?? "en",
      note: null,
      tags: [...(input.tags ?? [])],
      state: "DISABLED",
      verifiedEmail: false,
      taxExempt: false,
      emailMarketingConsent: { marketingState: "NOT_SUBSCRIBED", marketingOptInLevel: null, consentUpdatedAt: null },
      defaultAddress: null,
      numberOfOrders: 0,
      amountSpent: decimal(0),
      createdAt: now,
      updatedAt: now,
    };
    this.customers.push(customer);
    this.customersById.set(id, customer);
    this.version++;
    this.emit({ shop: this.domain, kind: "customer", action: "create", record: customer });
    return customer;
  }
}

function lowerBound(customers: readonly Customer[], legacyId: number): number {
  let lo = 0;
  let hi = customers.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (customers[mid].legacyResourceId < legacyId) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
