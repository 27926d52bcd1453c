import { z } from "zod";

// Shopify sends numeric ids as JSON numbers; keep them as strings (64-bit safe).
const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);

const customerRef = z.object({
  id: id.optional().nullable(),
  email: z.string().optional().nullable(),
  phone: z.string().optional().nullable(),
});

/** customers/data_request: a shopper asked the merchant for their data. */
export const CustomersDataRequestSchema = z.object({
  shop_id: id.optional(),
  shop_domain: z.string(),
  orders_requested: z.array(id).default([]),
  customer: customerRef,
  data_request: z.object({ id: id }).partial().optional(),
});

/** customers/redact: erase a shopper's personal data (sent 10 days after the request, or 6 months after their last order). */
export const CustomersRedactSchema = z.object({
  shop_id: id.optional(),
  shop_domain: z.string(),
  customer: customerRef,
  orders_to_redact: z.array(id).default([]),
});

/** shop/redact: 48 hours after uninstall, erase everything the app holds for the shop. */
export const ShopRedactSchema = z.object({
  shop_id: id.optional(),
  shop_domain: z.string(),
});

/** app/scopes_update */
export const ScopesUpdateSchema = z.object({
  previous: z.array(z.string()).default([]),
  current: z.array(z.string()),
  updated_at: z.string().optional(),
});

export type CustomersDataRequest = z.infer<typeof CustomersDataRequestSchema>;
export type CustomersRedact = z.infer<typeof CustomersRedactSchema>;
