import prisma from "../../db.server";
import { saveDataRequest } from "../../models/data-request.server";
import {
  CustomersDataRequestSchema,
  CustomersRedactSchema,
  ShopRedactSchema,
} from "../../schemas/compliance";
import { personalDataSources } from "./sources.server";
import { subjectFrom, type DataSubject } from "./subject";
import { syncedOrdersOf } from "../../models/synced-personal-data.server";

/**
 * The orders the app synced for the subject count as theirs too, and so do their fulfillment
 * orders and fulfillments (webhooks about those name only them, yet carry hold notes and tracking).
 */
async function withSyncedOrders(shop: string, subject: DataSubject): Promise<DataSubject> {
  const orders = await syncedOrdersOf(shop, subject);
  const ids = orders.map((o) => o.shopifyId.split("/").pop()!).filter((id) => /^\d+$/.test(id));
  const children = orders.flatMap((o) => [...o.fulfillmentOrders, ...o.fulfillments].map((c) => c.shopifyId));
  return {
    ...subject,
    orderIds: [...new Set([...subject.orderIds, ...ids])],
    resourceIds: [...new Set([...(subject.resourceIds ?? []), ...children])],
  };
}

export interface StoredDelivery {
  id: string;
  shop: string;
  payload: string;
  receivedAt: Date;
}

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { message: string } } }, payload: string, topic: string): T {
  const result = schema.safeParse(JSON.parse(payload));
  if (!result.success) throw new Error(`${topic} payload is not in Shopify's shape: ${result.error.message}`);
  return result.data;
}

/** customers/data_request: everything the app holds on the shopper, as one JSON document. */
export async function answerDataRequest(delivery: StoredDelivery) {
  const request = parse(CustomersDataRequestSchema, delivery.payload, "customers/data_request");
  // Everything about them, as the erasure will find it: their synced orders and what hangs off them too.
  const subject = await withSyncedOrders(delivery.shop, subjectFrom(request.customer, request.orders_requested));
  const data: Record<string, unknown[]> = {};
  for (const source of personalDataSources) {
    data[source.name] = await source.export(delivery.shop, subject);
  }
  const exported = {
    shop: delivery.shop,
    customer: { id: subject.customerId, email: subject.email, phone: subject.phone },
    ordersRequested: request.orders_requested,
    dataRequestId: request.data_request?.id ?? null,
    requestedAt: delivery.receivedAt,
    generatedAt: new Date(),
    data,
  };
  return saveDataRequest(
    {
      shop: delivery.shop,
      webhookEventId: delivery.id,
      shopifyRequestId: request.data_request?.id ?? null,
      customerId: subject.customerId,
      email: subject.email,
      phone: subject.phone,
      ordersRequested: request.orders_requested,
      requestedAt: delivery.receivedAt,
    },
    exported,
  );
}

/** customers/redact: the shopper's personal data goes from every source; anonymous records stay. */
export async function redactCustomer(delivery: StoredDelivery) {
  const request = parse(CustomersRedactSchema, delivery.payload, "customers/redact");
  const subject = await withSyncedOrders(delivery.shop, subjectFrom(request.customer, request.orders_to_redact));
  const erased: Record<string, number> = {};
  for (const source of personalDataSources) {
    erased[source.name] = await source.redact(delivery.shop, subject);
  }
  return erased;
}

/**
 * shop/redact: every row the app holds for the shop, this job's own row included
 * (the runner then finds nothing to mark done, which is what erasure means).
 */
export async function redactShop(delivery: StoredDelivery) {
  parse(ShopRedactSchema, delivery.payload, "shop/redact");
  const shop = delivery.shop;
  const [sessions, webhooks, dataRequests, jobs, shops, customers, orders] = await prisma.$transaction([
    prisma.session.deleteMany({ where: { shop } }),
    prisma.webhookEvent.deleteMany({ where: { shop } }),
    prisma.dataRequest.deleteMany({ where: { shop } }),
    prisma.job.deleteMany({ where: { shop } }),
    prisma.shop.deleteMany({ where: { shop } }),
    prisma.customer.deleteMany({ where: { shop } }),
    prisma.order.deleteMany({ where: { shop } }),
    prisma.orderLineItem.deleteMany({ where: { shop } }),
    prisma.fulfillmentOrder.deleteMany({ where: { shop } }),
    prisma.fulfillment.deleteMany({ where: { shop } }),
    prisma.syncRun.deleteMany({ where: { shop } }),
    prisma.syncState.deleteMany({ where: { shop } }),
    prisma.ticket.deleteMany({ where: { shop } }),
    prisma.ticketMessage.deleteMany({ where: { shop } }),
    prisma.outboundEmail.deleteMany({ where: { shop } }),
    prisma.supportSettings.deleteMany({ where: { shop } }),
    prisma.cannedReplyVariant.deleteMany({ where: { shop } }),
    prisma.cannedReply.deleteMany({ where: { shop } }),
    prisma.staffMember.deleteMany({ where: { shop } }),
    prisma.ticketTag.deleteMany({ where: { shop } }),
    prisma.faqVote.deleteMany({ where: { shop } }),
    prisma.faqTranslation.deleteMany({ where: { shop } }),
    prisma.faqArticle.deleteMany({ where: { shop } }),
    prisma.faqCategory.deleteMany({ where: { shop } }),
    prisma.faqSearch.deleteMany({ where: { shop } }),
    prisma.helpVisit.deleteMany({ where: { shop } }),
    prisma.helpVisitDay.deleteMany({ where: { shop } }),
    prisma.rateLimitBucket.deleteMany({ where: { shop } }),
    prisma.faqState.deleteMany({ where: { shop } }),
    prisma.delayNotice.deleteMany({ where: { shop } }),
    prisma.delayNoticeSettings.deleteMany({ where: { shop } }),
    prisma.satisfactionSurvey.deleteMany({ where: { shop } }),
    prisma.checkIn.deleteMany({ where: { shop } }),
  ]);
  return {
    sessions: sessions.count,
    webhooks: webhooks.count,
    dataRequests: dataRequests.count,
    jobs: jobs.count,
    shops: shops.count,
    customers: customers.count,
    orders: orders.count,
  };
}
