import prisma, { type Transaction } from "../../db.server";
import { runningJobsOfShop } from "../../models/job.server";
import { COMPLIANCE_WEBHOOK_JOB } from "../webhooks/process.server";
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
  // Nothing of the shop may be written after this: work of the shop still running (on any worker)
  // is waited for, by failing now and being retried, since it could write again after the erasure.
  const [sessions, webhooks, dataRequests, jobs, shops, customers, orders] = await prisma.$transaction(
    async (tx) => {
      const running = await runningJobsOfShop(tx, shop, { kind: COMPLIANCE_WEBHOOK_JOB, key: delivery.id });
      if (running > 0) throw new Error(`shop/redact waits for ${running} running job${running === 1 ? "" : "s"} of the shop to finish`);
      return eraseShopRows(tx, shop);
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
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

/** Every row of the shop, table by table (the counts of the first seven are reported). */
async function eraseShopRows(tx: Transaction, shop: string) {
  const counts: { count: number }[] = [];
  for (const erase of [
    () => tx.session.deleteMany({ where: { shop } }),
    () => tx.webhookEvent.deleteMany({ where: { shop } }),
    () => tx.dataRequest.deleteMany({ where: { shop } }),
    () => tx.job.deleteMany({ where: { shop } }),
    () => tx.shop.deleteMany({ where: { shop } }),
    () => tx.customer.deleteMany({ where: { shop } }),
    () => tx.order.deleteMany({ where: { shop } }),
    () => tx.orderLineItem.deleteMany({ where: { shop } }),
    () => tx.fulfillmentOrder.deleteMany({ where: { shop } }),
    () => tx.fulfillment.deleteMany({ where: { shop } }),
    () => tx.syncRun.deleteMany({ where: { shop } }),
    () => tx.syncState.deleteMany({ where: { shop } }),
    () => tx.ticket.deleteMany({ where: { shop } }),
    () => tx.ticketMessage.deleteMany({ where: { shop } }),
    () => tx.outboundEmail.deleteMany({ where: { shop } }),
    () => tx.supportSettings.deleteMany({ where: { shop } }),
    () => tx.cannedReplyVariant.deleteMany({ where: { shop } }),
    () => tx.cannedReply.deleteMany({ where: { shop } }),
    () => tx.staffMember.deleteMany({ where: { shop } }),
    () => tx.ticketTag.deleteMany({ where: { shop } }),
    () => tx.faqVote.deleteMany({ where: { shop } }),
    () => tx.faqTranslation.deleteMany({ where: { shop } }),
    () => tx.faqArticle.deleteMany({ where: { shop } }),
    () => tx.faqCategory.deleteMany({ where: { shop } }),
    () => tx.faqSearch.deleteMany({ where: { shop } }),
    () => tx.helpVisit.deleteMany({ where: { shop } }),
    () => tx.helpVisitDay.deleteMany({ where: { shop } }),
    () => tx.rateLimitBucket.deleteMany({ where: { shop } }),
    () => tx.faqState.deleteMany({ where: { shop } }),
    () => tx.delayNotice.deleteMany({ where: { shop } }),
    () => tx.delayNoticeSettings.deleteMany({ where: { shop } }),
    () => tx.satisfactionSurvey.deleteMany({ where: { shop } }),
    () => tx.checkIn.deleteMany({ where: { shop } }),
    () => tx.chatConversation.deleteMany({ where: { shop } }),
    () => tx.staffPresence.deleteMany({ where: { shop } }),
  ]) {
    counts.push(await erase());
  }
  return counts;
}
