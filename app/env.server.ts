import { z } from "zod";

const optionalUrl = z
  .string()
  .trim()
  .transform((v) => v.replace(/\/+$/, ""))
  .pipe(z.string().url())
  .optional()
  .or(z.literal("").transform(() => undefined));

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  SHOPIFY_API_KEY: z.string().min(1, "SHOPIFY_API_KEY (the app's client id) is required"),
  SHOPIFY_API_SECRET: z.string().min(1, "SHOPIFY_API_SECRET (the app's client secret) is required"),
  SHOPIFY_APP_URL: z.string().url("SHOPIFY_APP_URL must be the app's public URL"),
  SCOPES: z.string().optional(),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  DATABASE_URL: z.string().optional(),
  /** smtp(s)://user:pass@host:port — where email goes. Unset (the demo): mail waits in the admin's outbox. */
  SMTP_URL: z
    .string()
    .trim()
    .regex(/^smtps?:\/\//, "SMTP_URL must start with smtp:// or smtps://")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** The one seam to the local Shopify emulator: every shop's admin origin is this instead of https://<shop>. */
  SHOPIFY_ADMIN_ORIGIN: optionalUrl,
  /** Shared secret of POST /inbound/email (your mail provider's inbound webhook). Unset: the endpoint is off. */
  INBOUND_EMAIL_SECRET: z.string().min(16, "INBOUND_EMAIL_SECRET must be at least 16 characters").optional().or(z.literal("").transform(() => undefined)),
  /** The app's own inbound mail domain: each shop gets <token>@this domain to forward its support mailbox to. */
  INBOUND_EMAIL_DOMAIN: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, "INBOUND_EMAIL_DOMAIN must be a mail domain, like in.example.com")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Where survey links point (a storefront whose App Proxy reaches the app); default the shop's primary domain. */
  STOREFRONT_URL: optionalUrl,
  /** How long a job's lease lasts without a heartbeat (renewed every third of it); a dead worker's job runs again after it. */
  JOB_LEASE_MS: z
    .string()
    .trim()
    .regex(/^\d+$/, "JOB_LEASE_MS must be a whole number of milliseconds")
    .transform(Number)
    .pipe(z.number().min(1_000, "JOB_LEASE_MS must be at least 1000 (the lease is renewed every third of it)").max(24 * 60 * 60 * 1_000, "JOB_LEASE_MS must be at most a day"))
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Proxies in front of the app that append to X-Forwarded-For (Shopify's App Proxy: 1); the shopper is that many entries from the end. */
  TRUSTED_PROXY_HOPS: z.coerce.number().int("TRUSTED_PROXY_HOPS must be a whole number").min(0).max(10).default(1),
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

/** The environment, validated once; a missing or malformed variable stops the app with a clear message. */
export function env(): Env {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}\nSee README.md, "Configuration".`);
  }
  cached = parsed.data;
  return cached;
}
