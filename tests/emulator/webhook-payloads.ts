/**
 * Default webhook bodies, shaped like the samples in Shopify's webhook reference and
 * filled from the emulated store. Add a topic by adding a builder to `payloadBuilders`.
 */

import type { Customer, ShopData } from "./store/types";

export interface PayloadContext {
  shop: string;
  data: ShopData;
  /** `--customer`: a customer id (numeric or gid) or email; otherwise the first seeded customer. */
  customer?: string;
  /** The app's granted scopes, comma-separated. */
  scopes: string;
  now: Date;
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
