import { z } from "zod";

const optionalUrl = z
  .string()
  .trim()
  .transform((v) => v.replace(/\/+$/, ""))
  .pipe(z.string().url())
  .optional()
  .or(z.literal("").transform(() => undefined));

/** A retention window in whole days, with a floor no setting can go under (see README, "Retention"). */
const days = (name: string, fallback: number, floor = 1) =>
  z.coerce
    .number()
    .int(`${name} must be a whole number of days`)
    .min(floor, `${name} must be at least ${floor} day${floor === 1 ? "" : "s"}`)
    .max(3_650, `${name} must be at most 3650 days`)
    .default(fallback);

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
  // Retention (app/services/retention): how long rows that grow with every webhook or storefront request are kept.
  /** Succeeded and cancelled jobs, and finished sync runs (the newest of each kind always stays). */
  RETENTION_JOB_DAYS: days("RETENTION_JOB_DAYS", 7),
  /** Dead jobs and failed webhook deliveries, kept longer to find out why (Retry now works until then). */
  RETENTION_FAILED_DAYS: days("RETENTION_FAILED_DAYS", 90),
  /** Processed webhook deliveries, payload and all; a day at least, past Shopify's 4-hour retry window. */
  RETENTION_WEBHOOK_DAYS: days("RETENTION_WEBHOOK_DAYS", 7),
  /** FAQ searches not repeated since, help-panel visits and votes (counted per day and article first). */
  RETENTION_LOG_DAYS: days("RETENTION_LOG_DAYS", 90),
  /** The text and HTML of sent emails (the ticket's thread keeps what staff and shoppers wrote). */
  RETENTION_EMAIL_BODY_DAYS: days("RETENTION_EMAIL_BODY_DAYS", 180),
  /** Rows one statement deletes at most: each batch is a short write, so webhooks are never held up behind it. */
  RETENTION_BATCH_SIZE: z.coerce
    .number()
    .int()
    .min(10, "RETENTION_BATCH_SIZE must be at least 10")
    .max(5_000, "RETENTION_BATCH_SIZE must be at most 5000")
    .default(500),
  /** A batch that takes longer than this halves the next one (down to 10 rows); a quick one doubles it back. */
  RETENTION_BATCH_MS: z.coerce.number().int().min(5, "RETENTION_BATCH_MS must be at least 5").default(100),
  /** How often each shop's retention pass runs (default hourly). */
  RETENTION_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(60_000, "RETENTION_INTERVAL_MS must be at least 60000")
    .default(3_600_000),
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
