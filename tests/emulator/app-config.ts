/**
 * The parts of shopify.app.toml the emulator acts on: who the app is, what it may read,
 * where its webhooks go and where its App Proxy points. Shopify reads the same file
 * when the CLI deploys the app.
 */
import { readFileSync } from "node:fs";
import { parse } from "smol-toml";

export interface WebhookSubscription {
  topics: string[];
  /** Absolute delivery URL (relative `uri`s in the toml are resolved against the app URL). */
  uri: string;
  compliance: boolean;
}

export interface AppProxyConfig {
  /** Where Shopify forwards storefront requests, rebased onto the running app. */
  url: string;
  subpath: string;
  prefix: string;
}

export interface AppConfig {
  clientId: string;
  name: string;
  /** Comma-separated, exactly as the toml's [access_scopes] scopes. */
  scopes: string;
  webhooksApiVersion: string;
  subscriptions: WebhookSubscription[];
  appProxy?: AppProxyConfig;
}

export function loadAppConfig(path: string, appUrl: string): AppConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`Cannot read the app configuration ${path}: ${(error as Error).message}`);
  }
  try {
    return parseAppConfig(text, appUrl);
  } catch (error) {
    throw new Error(`Invalid app configuration ${path}: ${(error as Error).message}`);
  }
}

export function parseAppConfig(text: string, appUrl: string): AppConfig {
  const toml = parse(text) as Record<string, unknown>;
  const base = appUrl.replace(/\/+$/, "");
  const applicationUrl = stringAt(toml, "application_url");

  const webhooks = tableAt(toml, "webhooks");
  const subscriptions = arrayAt(webhooks, "subscriptions").map((entry, index): WebhookSubscription => {
    const table = entry as Record<string, unknown>;
    const topics = stringsAt(table, "topics");
    const complianceTopics = stringsAt(table, "compliance_topics");
    const uri = stringAt(table, "uri");
    if (!uri) throw new Error(`webhooks.subscriptions[${index}] has no uri`);
    if (topics.length + complianceTopics.length === 0) {
      throw new Error(`webhooks.subscriptions[${index}] has neither topics nor compliance_topics`);
    }
    return {
      topics: [...topics, ...complianceTopics],
      uri: resolveAppUrl(uri, base, applicationUrl),
      compliance: complianceTopics.length > 0,
    };
  });

  const proxy = tableAt(toml, "app_proxy");
  const proxyUrl = stringAt(proxy, "url");
  const appProxy = proxyUrl
    ? {
        // `shopify app dev` points the proxy at the running app in the same way.
        url: rebaseOntoApp(proxyUrl, base),
        subpath: stringAt(proxy, "subpath") ?? "",
        prefix: stringAt(proxy, "prefix") ?? "apps",
      }
    : undefined;
  if (appProxy && !appProxy.subpath) throw new Error("[app_proxy] has a url but no subpath");

  return {
    clientId: stringAt(toml, "client_id") ?? "",
    name: stringAt(toml, "name") ?? "App",
    scopes: stringAt(tableAt(toml, "access_scopes"), "scopes") ?? "",
    webhooksApiVersion: stringAt(webhooks, "api_version") ?? "",
    subscriptions,
    appProxy,
  };
}

/** The absolute URL the toml subscribes for a topic, if any. */
export function webhookUriFor(config: AppConfig, topic: string): string | undefined {
  return config.subscriptions.find((s) => s.topics.includes(topic))?.uri;
}

export function subscribedTopics(config: AppConfig): string[] {
  return [...new Set(config.subscriptions.flatMap((s) => s.topics))];
}

/** Relative URIs hang off the app URL; absolute ones on the toml's application_url move with the app. */
function resolveAppUrl(uri: string, base: string, applicationUrl: string | undefined): string {
  if (uri.startsWith("/")) return `${base}${uri}`;
  if (applicationUrl && sameOrigin(uri, applicationUrl)) return rebaseOntoApp(uri, base);
  return uri;
}

function rebaseOntoApp(url: string, base: string): string {
  if (url.startsWith("/")) return `${base}${url}`;
  const parsed = new URL(url);
  return `${base}${parsed.pathname.replace(/\/+$/, "")}${parsed.search}`;
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

function tableAt(source: Record<string, unknown> | undefined, key: string): Record<string, unknown> | undefined {
  const value = source?.[key];
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function arrayAt(source: Record<string, unknown> | undefined, key: string): unknown[] {
  const value = source?.[key];
  return Array.isArray(value) ? value : [];
}

function stringAt(source: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = source?.[key];
  return typeof value === "string" ? value : undefined;
}

function stringsAt(source: Record<string, unknown> | undefined, key: string): string[] {
  return arrayAt(source, key).filter((v): v is string => typeof v === "string");
}
