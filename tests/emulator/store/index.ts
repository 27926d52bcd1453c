import { decimal, isoSeconds, seedShop, type IdAllocator } from "./seed";
import type { Customer, EmulatorStore, Fulfillment, FulfillmentOrder, Gid, NewCustomer, Order, ShopData, StoreChange } from "./types";

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
