import {
  REDACTED_PAYLOAD,
  redactWebhookPayloads,
  webhooksContaining,
} from "../../models/webhook-event.server";
import {
  anonymizeDataRequests,
  dataRequestIdsBySubject,
  dataRequestsBySubject,
} from "../../models/data-request.server";
import { eraseDataRequestEmails } from "../../models/outbound-email.server";
import { eraseJobTraces, jobsContaining } from "../../models/job.server";
import { redactSyncedCustomers, redactSyncedOrders, syncedCustomersOf, syncedOrdersOf } from "../../models/synced-personal-data.server";
import { redactTickets, ticketIdsOf, ticketsOf } from "../../models/ticket-personal-data.server";
import { redactStorefrontTraces, storefrontTracesOf, type StorefrontTraces } from "../../models/storefront-personal-data.server";
import { mentionsSubject, subjectPatterns, subjectSearchTerms, type DataSubject } from "./subject";

/**
 * A place where the app keeps personal data about shoppers. customers/data_request
 * exports from every source; customers/redact erases from every source. A feature that
 * stores shopper data adds its source here (tests check every table is covered).
 */
export interface PersonalDataSource {
  name: string;
  export(shop: string, subject: DataSubject): Promise<unknown[]>;
  redact(shop: string, subject: DataSubject): Promise<number>;
}

async function webhooksAbout(shop: string, subject: DataSubject) {
  const patterns = subjectPatterns(subject);
  const candidates = await webhooksContaining(shop, subjectSearchTerms(subject));
  return candidates.filter((event) => event.payload !== REDACTED_PAYLOAD && mentionsSubject(event.payload, patterns));
}

const webhookDeliveries: PersonalDataSource = {
  name: "webhookDeliveries",
  async export(shop, subject) {
    const events = await webhooksAbout(shop, subject);
    return events.map((event) => ({ topic: event.topic, receivedAt: event.receivedAt, payload: JSON.parse(event.payload) }));
  },
  async redact(shop, subject) {
    const events = await webhooksAbout(shop, subject);
    return redactWebhookPayloads(shop, events.map((event) => event.id));
  },
};

const dataRequests: PersonalDataSource = {
  name: "dataRequests",
  export: (shop, subject) => dataRequestsBySubject(shop, subject),
  async redact(shop, subject) {
    // The emails that delivered their exports go with them (the attachment was read from the export).
    await eraseDataRequestEmails(shop, await dataRequestIdsBySubject(shop, subject));
    return anonymizeDataRequests(shop, subject);
  },
};

/** Background work whose payload or error names the subject (a mail server's refusal quotes the address). */
async function jobsAbout(shop: string, subject: DataSubject) {
  const patterns = subjectPatterns(subject);
  const candidates = await jobsContaining(shop, subjectSearchTerms(subject));
  return candidates
    .map((job) => ({
      job,
      inPayload: mentionsSubject(job.payload, patterns),
      inError: Boolean(job.lastError && mentionsSubject(job.lastError, patterns)),
    }))
    .filter((trace) => trace.inPayload || trace.inError);
}

const backgroundWork: PersonalDataSource = {
  name: "backgroundWork",
  async export(shop, subject) {
    const traces = await jobsAbout(shop, subject);
    return traces.map(({ job }) => ({
      kind: job.kind,
      status: job.status,
      createdAt: job.createdAt,
      payload: JSON.parse(job.payload) as unknown,
      error: job.lastError,
    }));
  },
  async redact(shop, subject) {
    const traces = await jobsAbout(shop, subject);
    return eraseJobTraces(shop, traces.map(({ job, inPayload, inError }) => ({ id: job.id, inPayload, inError })));
  },
};

const syncedCustomers: PersonalDataSource = {
  name: "customers",
  export: syncedCustomersOf,
  redact: redactSyncedCustomers,
};

const syncedOrders: PersonalDataSource = {
  name: "orders",
  export: syncedOrdersOf,
  redact: redactSyncedOrders,
};

const tickets: PersonalDataSource = {
  name: "tickets",
  export: ticketsOf,
  redact: redactTickets,
};

/** The street lines of every address in a stored payload (shipping, billing, the customer's own). */
function streetLinesIn(payload: string): string[] {
  const lines: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        if ((key === "address1" || key === "address2") && typeof child === "string") lines.push(child);
        else walk(child);
      }
    }
  };
  try {
    walk(JSON.parse(payload));
  } catch {
    // Not JSON: nothing to read.
  }
  return lines;
}

/**
 * The words that name the subject (their synced names too, and their street as Shopify's
 * payloads about them give it: the app keeps no addresses of its own) and the tickets their
 * help visits led to.
 */
async function storefrontTraces(shop: string, subject: DataSubject): Promise<StorefrontTraces> {
  const [customers, ticketIds, webhooks] = await Promise.all([
    syncedCustomersOf(shop, subject),
    ticketIdsOf(shop, subject),
    webhooksAbout(shop, subject),
  ]);
  const names = customers.flatMap((c) => [c.firstName, c.lastName]);
  // A street line is only theirs with its number or a few words ("Apt 4" alone says little).
  const streets = webhooks.flatMap((w) => streetLinesIn(w.payload)).filter((line) => line.trim().length >= 6);
  const terms = [subject.email, ...names, ...streets].filter((t): t is string => Boolean(t && t.trim().length >= 2));
  return { terms: [...new Set(terms)], phone: subject.phone, ticketIds };
}

const storefrontHelp: PersonalDataSource = {
  name: "storefrontHelp",
  export: async (shop, subject) => storefrontTracesOf(shop, await storefrontTraces(shop, subject)),
  redact: async (shop, subject) => redactStorefrontTraces(shop, await storefrontTraces(shop, subject)),
};

// Storefront help first: it finds the subject through the customer and tickets the later sources erase.
export const personalDataSources: PersonalDataSource[] = [
  storefrontHelp,
  syncedCustomers,
  syncedOrders,
  tickets,
  webhookDeliveries,
  backgroundWork,
  dataRequests,
];
