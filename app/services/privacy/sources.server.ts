import {
  REDACTED_PAYLOAD,
  redactWebhookPayloads,
  webhooksContaining,
} from "../../models/webhook-event.server";
import { anonymizeDataRequests, dataRequestsBySubject } from "../../models/data-request.server";
import { redactSyncedCustomers, redactSyncedOrders, syncedCustomersOf, syncedOrdersOf } from "../../models/synced-personal-data.server";
import { redactTickets, ticketsOf } from "../../models/ticket-personal-data.server";
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
  redact: (shop, subject) => anonymizeDataRequests(shop, subject),
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

export const personalDataSources: PersonalDataSource[] = [syncedCustomers, syncedOrders, tickets, webhookDeliveries, dataRequests];
