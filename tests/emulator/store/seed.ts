import { emailLocalPart, ORDER_NOTES, SEED_LANGUAGES, type SeedCountry, type SeedLanguage } from "./locales";
import type {
  CancelReason,
  Customer,
  CustomerState,
  EmailMarketingConsent,
  FinancialStatus,
  Fulfillment,
  FulfillmentDisplayStatus,
  FulfillmentHold,
  FulfillmentHoldReason,
  FulfillmentOrder,
  FulfillmentOrderStatus,
  LineItem,
  MailingAddress,
  Order,
  OrderFulfillmentStatus,
  SeedLocale,
  ShopInfo,
} from "./types";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** mulberry32: small, fast and good enough to make the same store from the same seed. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)];
  }
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    return entries[entries.length - 1][0];
  }
  digits(n: number): string {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(Math.floor(this.next() * 10));
    return out.join("");
  }
}

export function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Concatenate into one flat string. Template literals build V8 cons-string trees, which cost
 * several times the characters in memory; a 100k-order store holds millions of these strings.
 */
export function flat(...parts: (string | number)[]): string {
  return parts.join("");
}

const pad2 = (n: number) => (n < 10 ? "0" + n : String(n));

/**
 * Shopify writes times to the second, with a Z. Hand-rolled (civil-from-days) because a large
 * store formats millions of times and Date#toISOString dominated its seeding time.
 */
export function isoSeconds(ms: number): string {
  const secs = Math.floor(ms / 1000);
  const days = Math.floor(secs / 86400);
  const rem = secs - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const h = Math.floor(rem / 3600);
  const m = Math.floor((rem % 3600) / 60);
  return flat(year, "-", pad2(month), "-", pad2(day), "T", pad2(h), ":", pad2(m), ":", pad2(rem % 60), "Z");
}

/** Shopify's Decimal: "42.0", "12.5", "32.45". */
export function decimal(value: number): string {
  const fixed = (Math.round(value * 100) / 100).toFixed(2);
  return fixed.endsWith("0") ? fixed.slice(0, -1) : fixed;
}

// Distinct numeric ranges per resource so ids look like Shopify's and never collide across types.
const ID_BASE = {
  Shop: 60_000_000_000,
  Customer: 7_400_000_000_000,
  Order: 5_600_000_000_000,
  LineItem: 14_200_000_000_000,
  FulfillmentOrder: 6_300_000_000_000,
  Fulfillment: 5_100_000_000_000,
  FulfillmentHold: 1_200_000_000_000,
  MailingAddress: 8_900_000_000_000,
} as const;
const SHOP_ID_SPACING = 1_000_000_000;

export type IdKind = keyof typeof ID_BASE;

export class IdAllocator {
  private next: Record<IdKind, number>;
  constructor(shopIndex: number) {
    this.next = { ...ID_BASE };
    for (const kind of Object.keys(this.next) as IdKind[]) {
      this.next[kind] += kind === "Shop" ? shopIndex + 1 : shopIndex * SHOP_ID_SPACING + 1;
    }
  }
  take(kind: IdKind): { id: string; legacyResourceId: number } {
    const n = this.next[kind]++;
    return { id: flat("gid://shopify/", kind, "/", n), legacyResourceId: n };
  }
}

interface CatalogueProduct {
  title: string;
  vendor: string;
  variants: readonly (readonly [string | null, string, number])[];
}

const CATALOGUE: readonly CatalogueProduct[] = [
  { title: "Ceramic Pour-Over Set", vendor: "Kiln & Co", variants: [["Sand", "CPO-SND", 42], ["Charcoal", "CPO-CHR", 42]] },
  { title: "Merino Wool Beanie", vendor: "Northfold", variants: [["Forest Green", "MWB-GRN", 29], ["Oat", "MWB-OAT", 29], ["Navy", "MWB-NVY", 29]] },
  { title: "Linen Tea Towel", vendor: "Loomhouse", variants: [["Single", "LTT-1", 12.5], ["Pack of 3", "LTT-3", 32]] },
  { title: "Handwoven Kikoy Throw", vendor: "Pwani Weavers", variants: [["Indigo Stripe", "KKT-IND", 58], ["Sunset Stripe", "KKT-SUN", 58]] },
  { title: "Cast Iron Skillet", vendor: "Forge Kitchen", variants: [["20 cm", "CIS-20", 39], ["26 cm", "CIS-26", 49]] },
  { title: "Beeswax Candle", vendor: "Hive Light", variants: [["Tall", "BWC-T", 14], ["Pillar", "BWC-P", 18]] },
  { title: "Organic Cotton Tote", vendor: "Loomhouse", variants: [[null, "OCT-1", 16]] },
  { title: "Enamel Camping Mug", vendor: "Northfold", variants: [["White", "ECM-WHT", 15], ["Red", "ECM-RED", 15]] },
  { title: "Leather Notebook Cover", vendor: "Atölye Deri", variants: [["A5 / Tan", "LNC-A5T", 45], ["A5 / Black", "LNC-A5B", 45]] },
  { title: "Bamboo Cutting Board", vendor: "Forge Kitchen", variants: [["Medium", "BCB-M", 24], ["Large", "BCB-L", 34]] },
  { title: "Spiced Chai Blend", vendor: "Nilgiri Leaf", variants: [["100 g", "SCB-100", 9.5], ["250 g", "SCB-250", 19]] },
  { title: "Wool Felt Slippers", vendor: "Saaremaa Vill", variants: [["EU 38", "WFS-38", 54], ["EU 41", "WFS-41", 54], ["EU 44", "WFS-44", 54]] },
];

/** Line-item names built once: a 100k-order store shares these strings instead of repeating them. */
const VARIANT_NAMES: readonly (readonly string[])[] = CATALOGUE.map((p) =>
  p.variants.map(([variant]) => (variant ? `${p.title} - ${variant}` : p.title)),
);

// Shared, frozen empties: most orders have no holds, tags or fulfillments, and a large store has many.
const NO_HOLDS: FulfillmentHold[] = Object.freeze([]) as unknown as FulfillmentHold[];
const NO_FULFILLMENTS: Fulfillment[] = Object.freeze([]) as unknown as Fulfillment[];
const NO_TAGS: string[] = Object.freeze([]) as unknown as string[];

const LINE_COUNTS = [[1, 60], [2, 30], [3, 10]] as const;
const QUANTITIES = [[1, 75], [2, 20], [3, 5]] as const;
const ORDER_TAGS = ["gift", "priority", "fragile", "wholesale"] as const;

const HOLDS: Record<FulfillmentHoldReason, { display: string; notes: string }> = {
  AWAITING_PAYMENT: { display: "Awaiting payment", notes: "Bank transfer not received yet." },
  AWAITING_RETURN_ITEMS: { display: "Awaiting return items", notes: "Waiting for the original item to come back." },
  HIGH_RISK_OF_FRAUD: { display: "High risk of fraud", notes: "Billing and shipping countries differ; confirming with the customer." },
  INCORRECT_ADDRESS: { display: "Incorrect address", notes: "Courier could not validate the street number." },
  INVENTORY_OUT_OF_STOCK: { display: "Inventory out of stock", notes: "Restock expected next week." },
  ONLINE_STORE_POST_PURCHASE_CROSS_SELL: { display: "Post-purchase upsell", notes: "" },
  OTHER: { display: "Other", notes: "Customer asked us to hold the parcel until they are back from travel." },
  UNKNOWN_DELIVERY_DATE: { display: "Unknown delivery date", notes: "Supplier has not confirmed a ship date." },
};

/**
 * What happens to an order. The mix is chosen so the demo shows every case a support desk meets:
 * delivered, on its way, late, stuck on hold, not shipped past its promise, scheduled, cancelled.
 */
type Scenario =
  | "delivered"
  | "in_transit"
  | "out_for_delivery"
  | "delayed"
  | "attempted"
  | "failure"
  | "on_hold"
  | "overdue"
  | "open"
  | "in_progress"
  | "scheduled"
  | "cancelled";

const SCENARIO_WEIGHTS: readonly (readonly [Scenario, number])[] = [
  ["delivered", 38],
  ["in_transit", 14],
  ["out_for_delivery", 4],
  ["delayed", 7],
  ["attempted", 3],
  ["failure", 2],
  ["on_hold", 7],
  ["overdue", 7],
  ["open", 8],
  ["in_progress", 3],
  ["scheduled", 3],
  ["cancelled", 4],
];

const SHIPPED: Partial<Record<Scenario, FulfillmentDisplayStatus>> = {
  delivered: "DELIVERED",
  in_transit: "IN_TRANSIT",
  out_for_delivery: "OUT_FOR_DELIVERY",
  delayed: "DELAYED",
  attempted: "ATTEMPTED_DELIVERY",
  failure: "FAILURE",
};

/** How many days before the reference time an order in each scenario was placed. */
function ageInDays(rng: Rng, scenario: Scenario, historyDays: number): number {
  switch (scenario) {
    case "delivered":
      return rng.between(8, historyDays);
    case "in_transit":
      return rng.between(1.5, 6);
    case "out_for_delivery":
      return rng.between(2, 6);
    case "delayed":
      return rng.between(7, 16);
    case "attempted":
      return rng.between(4, 9);
    case "failure":
      return rng.between(6, 15);
    case "on_hold":
      return rng.between(0.5, 10);
    case "overdue":
      return rng.between(4, 12);
    case "open":
      return rng.between(0.05, 1.5);
    case "in_progress":
      return rng.between(1, 4);
    case "scheduled":
      return rng.between(0.5, 5);
    case "cancelled":
      return rng.between(3, 60);
  }
}

export interface SeedShopOptions {
  domain: string;
  shopIndex: number;
  seed: number;
  customers: number;
  orders: number;
  /** The moment the seeded history leads up to (ms). Nothing seeded happens after it, except promises. */
  referenceTime: number;
}

export interface SeededShop {
  info: ShopInfo;
  customers: Customer[];
  orders: Order[];
  ids: IdAllocator;
}

interface Contact {
  locale: SeedLocale;
  firstName: string;
  lastName: string;
  email: string;
  phone: string | null;
  address: MailingAddress;
  country: SeedCountry;
}

function titleFromDomain(domain: string): string {
  const handle = domain.replace(/\.myshopify\.com$/, "");
  return handle
    .split(/[-_.]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(" ");
}

export function seedShop(opts: SeedShopOptions): SeededShop {
  const rng = new Rng(opts.seed ^ hashString(opts.domain));
  const ids = new IdAllocator(opts.shopIndex);
  const ref = opts.referenceTime;
  const handle = opts.domain.replace(/\.myshopify\.com$/, "");

  const address: MailingAddress = {
    __typename: "MailingAddress",
    id: ids.take("MailingAddress").id,
    firstName: null,
    lastName: null,
    name: null,
    company: titleFromDomain(opts.domain),
    address1: "Telliskivi 60a",
    address2: null,
    city: "Tallinn",
    province: "Harju maakond",
    provinceCode: null,
    zip: "10412",
    country: "Estonia",
    countryCodeV2: "EE",
    phone: "+3726001234",
  };

  const shopIds = ids.take("Shop");
  const info: ShopInfo = {
    __typename: "Shop",
    id: shopIds.id,
    legacyResourceId: shopIds.legacyResourceId,
    name: titleFromDomain(opts.domain),
    email: `owner@${handle}.example.com`,
    contactEmail: `support@${handle}.example.com`,
    shopOwnerName: "Maarja Saar",
    myshopifyDomain: opts.domain,
    primaryDomainHost: opts.domain,
    ianaTimezone: "Europe/Tallinn",
    currencyCode: "EUR",
    primaryLocale: "en",
    planName: "Basic",
    partnerDevelopment: true,
    description: "Homeware made by small workshops, shipped worldwide.",
    address,
    weightUnit: "KILOGRAMS",
    unitSystem: "METRIC_SYSTEM",
    taxesIncluded: true,
    createdAt: isoSeconds(ref - 800 * DAY),
    updatedAt: isoSeconds(ref - 30 * DAY),
  };

  // Next free suffix per address, so 50 000 customers with shared names stay unique without rescans.
  const emailSuffix = new Map<string, number>();
  const languageWeights = SEED_LANGUAGES.map((l) => [l, l.weight] as const);

  const makeContact = (language: SeedLanguage): Contact => {
    const firstName = rng.pick(language.firstNames);
    const lastName = rng.pick(language.lastNames);
    const local = emailLocalPart(firstName, lastName);
    const domain = rng.pick(["example.com", "example.net", "example.org"]);
    const base = flat(local, "@", domain);
    const n = emailSuffix.get(base) ?? 1;
    emailSuffix.set(base, n + 1);
    const email = n === 1 ? base : flat(local, n, "@", domain);
    const country = rng.pick(language.countries);
    const phone = rng.chance(0.8) ? flat(country.mobilePrefix, rng.digits(country.mobileDigits)) : null;
    const city = rng.pick(country.cities);
    const address: MailingAddress = {
      __typename: "MailingAddress",
      id: ids.take("MailingAddress").id,
      firstName,
      lastName,
      name: flat(firstName, " ", lastName),
      company: rng.chance(0.1) ? `${lastName} & Co` : null,
      address1: country.street(rng.int(1, 180), (list) => rng.pick(list)),
      address2: rng.chance(0.15) ? `Apt ${rng.int(1, 40)}` : null,
      city: city.city,
      province: city.province,
      provinceCode: city.provinceCode,
      zip: city.zip,
      country: country.name,
      countryCodeV2: country.code,
      phone,
    };
    return { locale: language.locale, firstName, lastName, email, phone, address, country };
  };

  // Customers, oldest first, so ids rise with createdAt as on Shopify.
  const customers: Customer[] = [];
  const customerContacts: Contact[] = [];
  const customerTimes: number[] = [];
  const historyStart = ref - 730 * DAY;
  const customerSpan = 729 * DAY;
  for (let i = 0; i < opts.customers; i++) {
    // The first six cover every language, so even a tiny store is multilingual.
    const language = i < SEED_LANGUAGES.length ? SEED_LANGUAGES[i] : rng.weighted(languageWeights);
    const contact = makeContact(language);
    const createdMs = historyStart + ((i + rng.next()) / Math.max(1, opts.customers)) * customerSpan;
    const marketingState = rng.weighted([
      ["SUBSCRIBED", 35],
      ["NOT_SUBSCRIBED", 45],
      ["UNSUBSCRIBED", 12],
      ["PENDING", 8],
    ] as const);
    const consent: EmailMarketingConsent = {
      marketingState,
      marketingOptInLevel: marketingState === "NOT_SUBSCRIBED" ? null : rng.pick(["SINGLE_OPT_IN", "CONFIRMED_OPT_IN"] as const),
      consentUpdatedAt: marketingState === "NOT_SUBSCRIBED" ? null : isoSeconds(createdMs + rng.between(0, 2) * HOUR),
    };
    const tags = new Set<string>();
    const tagCount = rng.weighted([[0, 50], [1, 35], [2, 15]] as const);
    for (let t = 0; t < tagCount; t++) tags.add(rng.pick(["VIP", "newsletter", "wholesale", "repeat-buyer", "returns-risk", "gift-buyer"]));
    const hasAddress = rng.chance(0.95);
    const customerIds = ids.take("Customer");
    customers.push({
      __typename: "Customer",
      id: customerIds.id,
      legacyResourceId: customerIds.legacyResourceId,
      firstName: contact.firstName,
      lastName: contact.lastName,
      displayName: contact.address.name!,
      email: contact.email,
      phone: contact.phone,
      locale: contact.locale,
      note: rng.chance(0.1) ? rng.pick(["Prefers contact by phone.", "Ships to a pick-up point.", "Asked about wholesale pricing."]) : null,
      tags: tags.size ? [...tags].sort() : NO_TAGS,
      state: rng.weighted([
        ["ENABLED", 70],
        ["DISABLED", 20],
        ["INVITED", 10],
      ] as const satisfies readonly (readonly [CustomerState, number])[]),
      verifiedEmail: rng.chance(0.9),
      taxExempt: false,
      emailMarketingConsent: consent,
      defaultAddress: hasAddress ? contact.address : null,
      numberOfOrders: 0,
      amountSpent: "0.0",
      createdAt: isoSeconds(createdMs),
      updatedAt: isoSeconds(Math.min(ref, createdMs + rng.between(0, 30) * DAY)),
    });
    customerContacts.push(contact);
    customerTimes.push(createdMs);
  }

  // Orders: draw what happens to each, then number them in the order they were placed.
  const historyDays = Math.max(120, Math.min(730, Math.ceil(opts.orders / 40)));
  const scenarios: Scenario[] = [];
  if (opts.orders >= SCENARIO_WEIGHTS.length) for (const [s] of SCENARIO_WEIGHTS) scenarios.push(s);
  while (scenarios.length < opts.orders) scenarios.push(rng.weighted(SCENARIO_WEIGHTS));
  const drafts = scenarios.map((scenario) => ({ scenario, createdMs: ref - ageInDays(rng, scenario, historyDays) * DAY }));
  drafts.sort((a, b) => a.createdMs - b.createdMs);

  const orders: Order[] = [];
  const spent = new Float64Array(customers.length);
  const placed = new Uint32Array(customers.length);
  const lastOrderAt = new Float64Array(customers.length);

  drafts.forEach((draft, i) => {
    const { scenario } = draft;
    const created = Math.floor(draft.createdMs / 1000) * 1000;
    const createdIso = atOrBefore(ref, created);

    // Who ordered: mostly registered customers (earlier customers order more), a few guests.
    let customerIndex = -1;
    const eligible = upperBound(customerTimes, created);
    if (eligible > 0 && !rng.chance(0.03)) customerIndex = Math.floor(Math.pow(rng.next(), 1.8) * eligible);
    const contact = customerIndex >= 0 ? customerContacts[customerIndex] : makeContact(rng.weighted(languageWeights));
    const customer = customerIndex >= 0 ? customers[customerIndex] : null;
    const shippingAddress = customer?.defaultAddress ?? contact.address;

    const orderIds = ids.take("Order");
    const number = 1001 + i;
    const name = `#${number}`;

    const lineItems: LineItem[] = [];
    const lineCount = rng.weighted(LINE_COUNTS);
    let usedProducts = 0; // bitmask over CATALOGUE
    let subtotal = 0;
    let quantityTotal = 0;
    for (let l = 0; l < lineCount; l++) {
      let p = rng.int(0, CATALOGUE.length - 1);
      while (usedProducts & (1 << p)) p = (p + 1) % CATALOGUE.length;
      usedProducts |= 1 << p;
      const product = CATALOGUE[p];
      const v = rng.int(0, product.variants.length - 1);
      const [variantTitle, sku, price] = product.variants[v];
      const quantity = rng.weighted(QUANTITIES);
      subtotal += price * quantity;
      quantityTotal += quantity;
      lineItems.push({
        __typename: "LineItem",
        id: ids.take("LineItem").id,
        title: product.title,
        name: VARIANT_NAMES[p][v],
        variantTitle,
        sku,
        vendor: product.vendor,
        quantity,
        price: internedDecimal(price),
        requiresShipping: true,
      });
    }
    const shipping = subtotal >= 75 ? 0 : rng.pick([4.9, 6.9]);
    const total = subtotal + shipping;
    const tax = (total * 0.2) / 1.2;

    // The fulfillment order and, once shipped, its fulfillment.
    let foStatus: FulfillmentOrderStatus = "OPEN";
    let fulfillAt: number | null = created;
    let fulfillBy: number | null = created + 3 * DAY;
    let foUpdated = created;
    let holds = NO_HOLDS;
    let financial: FinancialStatus = "PAID";
    let fulfillmentStatus: OrderFulfillmentStatus = "UNFULFILLED";
    let cancelledAt: number | null = null;
    let cancelReason: CancelReason | null = null;
    let closedAt: number | null = null;
    const tags: string[] = [];
    if (rng.chance(0.2)) tags.push(rng.pick(ORDER_TAGS));

    const foIds = ids.take("FulfillmentOrder");
    let fulfillment: Fulfillment | null = null;
    let fulfillmentUpdated = 0;
    const shippedAs = SHIPPED[scenario];
    if (shippedAs) {
      fulfillmentStatus = "FULFILLED";
      foStatus = "CLOSED";
      const age = ref - created;
      const fulfilled = created + Math.min(rng.between(0.2, 1.5) * DAY, age * 0.4);
      const inTransit = fulfilled + Math.min(rng.between(0.1, 0.5) * DAY, age * 0.1);
      let eta: number;
      let delivered: number | null = null;
      let updated: number;
      switch (scenario) {
        case "delivered":
          eta = fulfilled + rng.between(2, 5) * DAY;
          delivered = Math.max(inTransit + HOUR, Math.min(ref - HOUR, eta + rng.between(-1, 0.8) * DAY));
          updated = delivered;
          break;
        case "in_transit":
          eta = ref + rng.between(0.5, 4) * DAY;
          updated = inTransit + rng.between(0, 1) * (ref - inTransit);
          break;
        case "out_for_delivery":
          eta = ref + rng.between(2, 9) * HOUR;
          updated = ref - rng.between(1, 5) * HOUR;
          break;
        case "delayed":
          eta = Math.max(fulfilled + 2 * DAY, ref - rng.between(1, 5) * DAY);
          updated = eta + rng.between(0.2, 1) * DAY;
          break;
        case "attempted":
          eta = ref - rng.between(0, 1) * DAY;
          updated = ref - rng.between(2, 20) * HOUR;
          break;
        default:
          eta = Math.max(fulfilled + 2 * DAY, ref - rng.between(1, 4) * DAY);
          updated = eta + rng.between(0.3, 1) * DAY;
      }
      updated = Math.max(updated, inTransit);
      fulfillmentUpdated = updated;
      foUpdated = fulfilled;
      if (scenario === "delivered" && rng.chance(0.08)) financial = "PARTIALLY_REFUNDED";
      if (scenario === "delivered" && ref - created > 30 * DAY) closedAt = delivered! + rng.between(0, 3) * DAY;
      const carrier = rng.pick(contact.country.carriers);
      const trackingNumber = trackingNumberFor(rng, carrier, info.address.countryCodeV2 ?? "EE");
      const fIds = ids.take("Fulfillment");
      fulfillment = {
        __typename: "Fulfillment",
        id: fIds.id,
        legacyResourceId: fIds.legacyResourceId,
        orderId: orderIds.id,
        fulfillmentOrderId: foIds.id,
        name: flat(name, ".1"),
        status: "SUCCESS",
        displayStatus: shippedAs,
        trackingInfo: [
          {
            company: carrier,
            number: trackingNumber,
            url: flat("https://tracking.example.com/", carrierSlug(carrier), "/", trackingNumber),
          },
        ],
        estimatedDeliveryAt: isoSeconds(eta),
        inTransitAt: atOrBefore(ref, inTransit),
        deliveredAt: delivered === null ? null : atOrBefore(ref, delivered),
        totalQuantity: quantityTotal,
        requiresShipping: true,
        createdAt: atOrBefore(ref, fulfilled),
        updatedAt: atOrBefore(ref, updated),
      };
    } else if (scenario === "on_hold") {
      foStatus = "ON_HOLD";
      fulfillmentStatus = "ON_HOLD";
      const reason = rng.weighted([
        ["AWAITING_PAYMENT", 3],
        ["INCORRECT_ADDRESS", 3],
        ["INVENTORY_OUT_OF_STOCK", 3],
        ["UNKNOWN_DELIVERY_DATE", 2],
        ["HIGH_RISK_OF_FRAUD", 1],
        ["OTHER", 2],
      ] as const);
      if (reason === "AWAITING_PAYMENT") financial = "PENDING";
      if (reason === "HIGH_RISK_OF_FRAUD") financial = "AUTHORIZED";
      holds = [];
      holds.push({
        __typename: "FulfillmentHold",
        id: ids.take("FulfillmentHold").id,
        reason,
        reasonNotes: HOLDS[reason].notes,
        displayReason: HOLDS[reason].display,
        handle: null,
        heldByRequestingApp: false,
      });
      foUpdated = created + rng.between(0.05, 0.4) * DAY;
    } else if (scenario === "overdue") {
      fulfillBy = created + rng.between(2, 3) * DAY;
    } else if (scenario === "open") {
      if (rng.chance(0.1)) financial = "AUTHORIZED";
    } else if (scenario === "in_progress") {
      foStatus = "IN_PROGRESS";
      fulfillmentStatus = "IN_PROGRESS";
      fulfillBy = created + 4 * DAY;
      foUpdated = created + rng.between(0.2, 0.8) * (ref - created);
    } else if (scenario === "scheduled") {
      foStatus = "SCHEDULED";
      fulfillmentStatus = "SCHEDULED";
      fulfillAt = Math.floor((ref + rng.between(3, 20) * DAY) / DAY) * DAY + 8 * HOUR;
      fulfillBy = fulfillAt + 3 * DAY;
      if (rng.chance(0.5)) financial = "AUTHORIZED";
      tags.push("preorder");
    } else if (scenario === "cancelled") {
      foStatus = "CLOSED";
      cancelReason = rng.weighted([
        ["CUSTOMER", 5],
        ["INVENTORY", 2],
        ["DECLINED", 1],
        ["FRAUD", 1],
        ["OTHER", 1],
      ] as const);
      financial = cancelReason === "DECLINED" ? "VOIDED" : "REFUNDED";
      cancelledAt = created + rng.between(0.05, 2) * DAY;
      closedAt = cancelledAt;
      fulfillBy = null;
      foUpdated = cancelledAt;
    }

    const fulfillmentOrder: FulfillmentOrder = {
      __typename: "FulfillmentOrder",
      id: foIds.id,
      orderId: orderIds.id,
      status: foStatus,
      requestStatus: "UNSUBMITTED",
      fulfillAt: fulfillAt === null ? null : fulfillAt === created ? createdIso : isoSeconds(fulfillAt),
      fulfillBy: fulfillBy === null ? null : isoSeconds(fulfillBy),
      fulfillmentHolds: holds,
      createdAt: createdIso,
      updatedAt: foUpdated === created ? createdIso : atOrBefore(ref, foUpdated),
    };

    const updatedMs = Math.min(
      ref,
      Math.max(created, foUpdated, fulfillmentUpdated, cancelledAt ?? 0, closedAt ?? 0),
    );
    const order: Order = {
      __typename: "Order",
      id: orderIds.id,
      legacyResourceId: orderIds.legacyResourceId,
      name,
      number,
      customerId: customer?.id ?? null,
      email: contact.email,
      phone: contact.phone,
      customerLocale: contact.locale,
      note: rng.chance(0.08) ? rng.pick(ORDER_NOTES[contact.locale]) : null,
      tags: tags.length ? tags.sort() : NO_TAGS,
      test: false,
      createdAt: createdIso,
      updatedAt: updatedMs === created ? createdIso : atOrBefore(ref, updatedMs),
      processedAt: createdIso,
      cancelledAt: cancelledAt === null ? null : atOrBefore(ref, cancelledAt),
      cancelReason,
      closed: closedAt !== null,
      closedAt: closedAt === null ? null : atOrBefore(ref, closedAt),
      displayFinancialStatus: financial,
      displayFulfillmentStatus: fulfillmentStatus,
      currencyCode: info.currencyCode,
      subtotalPrice: internedDecimal(subtotal),
      totalShippingPrice: internedDecimal(shipping),
      totalTax: internedDecimal(tax),
      totalPrice: internedDecimal(total),
      lineItems,
      shippingAddress,
      billingAddress: shippingAddress,
      fulfillmentOrders: [fulfillmentOrder],
      fulfillments: fulfillment ? [fulfillment] : NO_FULFILLMENTS,
    };
    orders.push(order);

    if (customerIndex >= 0) {
      placed[customerIndex]++;
      if (cancelledAt === null) spent[customerIndex] += total;
      lastOrderAt[customerIndex] = Math.max(lastOrderAt[customerIndex], created);
    }
  });

  customers.forEach((c, i) => {
    c.numberOfOrders = placed[i];
    c.amountSpent = decimal(spent[i]);
    if (lastOrderAt[i] > Date.parse(c.updatedAt)) c.updatedAt = isoSeconds(lastOrderAt[i]);
  });

  return { info, customers, orders, ids };
}

/** Seeded times never pass the reference time. */
function atOrBefore(ref: number, ms: number): string {
  return isoSeconds(Math.min(ms, ref));
}

const decimals = new Map<number, string>();
/** Prices repeat across a large store; share their strings. */
function internedDecimal(value: number): string {
  const cents = Math.round(value * 100);
  let s = decimals.get(cents);
  if (s === undefined) {
    s = decimal(cents / 100);
    if (decimals.size < 100_000) decimals.set(cents, s);
  }
  return s;
}

/** Index of the first element greater than `value` in an ascending array. */
function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const carrierSlugs = new Map<string, string>();
function carrierSlug(carrier: string): string {
  let slug = carrierSlugs.get(carrier);
  if (!slug) carrierSlugs.set(carrier, (slug = carrier.toLowerCase().replace(/[^a-z0-9]+/g, "-")));
  return slug;
}

function trackingNumberFor(rng: Rng, carrier: string, originCountry: string): string {
  switch (carrier) {
    case "UPS":
      return flat("1Z", rng.digits(16));
    case "Omniva":
    case "India Post":
    case "Royal Mail":
    case "An Post":
    case "PTT Kargo":
      // UPU S10 shape: two letters, nine digits, the country it was posted in.
      return flat("RR", rng.digits(9), originCountry);
    default:
      return rng.digits(12);
  }
}
