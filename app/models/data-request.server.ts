import prisma from "../db.server";
import { cancelUnsentEmail, createOutboundEmail, type NewOutboundEmail } from "./outbound-email.server";

export interface DataRequestInput {
  shop: string;
  webhookEventId: string;
  shopifyRequestId: string | null;
  customerId: string | null;
  email: string | null;
  phone: string | null;
  ordersRequested: string[];
  requestedAt: Date;
}

/** Records a customers/data_request once per delivery, with the export assembled for it. */
export function saveDataRequest(input: DataRequestInput, exported: unknown) {
  const data = {
    shopifyRequestId: input.shopifyRequestId,
    customerId: input.customerId,
    email: input.email,
    phone: input.phone,
    ordersRequested: JSON.stringify(input.ordersRequested),
    requestedAt: input.requestedAt,
    status: "ready",
    export: JSON.stringify(exported, null, 2),
    readyAt: new Date(),
  };
  return prisma.dataRequest.upsert({
    where: { shop_webhookEventId: { shop: input.shop, webhookEventId: input.webhookEventId } },
    create: { shop: input.shop, webhookEventId: input.webhookEventId, ...data },
    update: data,
  });
}

const DELIVERY_FIELDS = {
  deliveryEmailId: true,
  deliveryEmailBy: true,
  deliveredAt: true,
  deliveredVia: true,
  deliveredTo: true,
  deliveredBy: true,
} as const;

export function dataRequestsForShop(shop: string, take = 50) {
  return prisma.dataRequest.findMany({
    where: { shop },
    orderBy: { requestedAt: "desc" },
    take,
    select: {
      id: true,
      shopifyRequestId: true,
      customerId: true,
      email: true,
      status: true,
      requestedAt: true,
      readyAt: true,
      ...DELIVERY_FIELDS,
    },
  });
}

export function dataRequestExport(shop: string, id: string) {
  return prisma.dataRequest.findFirst({
    where: { shop, id },
    select: { id: true, customerId: true, export: true, status: true, requestedAt: true },
  });
}

/** One request with its export and where its delivery stands (null: not this shop's). */
export function dataRequestForDelivery(shop: string, id: string) {
  return prisma.dataRequest.findFirst({
    where: { shop, id },
    select: { id: true, email: true, status: true, export: true, requestedAt: true, ...DELIVERY_FIELDS },
  });
}

class AlreadyClaimed extends Error {}

/**
 * Writes the delivery email and points the request at it, together, only while the request
 * still points at `expectedEmailId` (null: no email yet). A second click of the same button (in
 * any process) finds the request moved on and writes nothing: one email. Null when it had.
 */
export async function claimEmailDelivery(
  shop: string,
  id: string,
  expectedEmailId: string | null,
  staffName: string,
  email: NewOutboundEmail,
): Promise<{ id: string } | null> {
  try {
    return await prisma.$transaction(async (tx) => {
      const row = await createOutboundEmail(shop, { ...email, dataRequestId: id }, tx);
      const { count } = await tx.dataRequest.updateMany({
        where: { shop, id, status: "ready", deliveryEmailId: expectedEmailId },
        data: { deliveryEmailId: row.id, deliveryEmailBy: staffName },
      });
      if (count !== 1) throw new AlreadyClaimed();
      return { id: row.id };
    });
  } catch (error) {
    if (error instanceof AlreadyClaimed) return null;
    throw error;
  }
}

/** SMTP accepted the request's current email: that is its delivery, by whoever asked for it. */
export async function recordEmailDelivered(shop: string, id: string, emailId: string, to: string, sentAt: Date) {
  const row = await prisma.dataRequest.findFirst({
    where: { shop, id, deliveryEmailId: emailId },
    select: { deliveryEmailBy: true },
  });
  if (!row) return;
  await prisma.dataRequest.updateMany({
    where: { shop, id, deliveryEmailId: emailId },
    data: { deliveredAt: sentAt, deliveredVia: "email", deliveredTo: to, deliveredBy: row.deliveryEmailBy },
  });
}

/**
 * The merchant delivered the export another way: recorded once (false when it already was),
 * and an email still waiting to go is cancelled, so the customer does not get it twice.
 */
export async function markDeliveredElsewhere(shop: string, id: string, staffName: string, at = new Date()) {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.dataRequest.updateMany({
      where: { shop, id, status: "ready", deliveredAt: null },
      data: { deliveredAt: at, deliveredVia: "other", deliveredTo: null, deliveredBy: staffName },
    });
    if (count !== 1) return false;
    const row = await tx.dataRequest.findFirst({ where: { shop, id }, select: { deliveryEmailId: true } });
    if (row?.deliveryEmailId) await cancelUnsentEmail(shop, row.deliveryEmailId, tx);
    return true;
  });
}

type SubjectMatch = { customerId: string | null; email: string | null };

function subjectWhere(shop: string, match: SubjectMatch) {
  const or = [
    ...(match.customerId ? [{ customerId: match.customerId }] : []),
    ...(match.email ? [{ email: match.email }] : []),
  ];
  return or.length === 0 ? null : { shop, OR: or };
}

/** Earlier requests by the subject, without their exports (an export of an export says nothing new). */
export function dataRequestsBySubject(shop: string, match: SubjectMatch) {
  const where = subjectWhere(shop, match);
  if (!where) return Promise.resolve([]);
  return prisma.dataRequest.findMany({
    where,
    select: {
      id: true,
      shopifyRequestId: true,
      requestedAt: true,
      status: true,
      deliveredAt: true,
      deliveredVia: true,
    },
  });
}

/** The ids of the subject's requests (their delivery emails are erased with them). */
export async function dataRequestIdsBySubject(shop: string, match: SubjectMatch): Promise<string[]> {
  const where = subjectWhere(shop, match);
  if (!where) return [];
  return (await prisma.dataRequest.findMany({ where, select: { id: true } })).map((r) => r.id);
}

/** customers/redact: the requests stay as anonymous records; who asked, what was sent and where go. */
export async function anonymizeDataRequests(shop: string, match: SubjectMatch) {
  const where = subjectWhere(shop, match);
  if (!where) return 0;
  const { count } = await prisma.dataRequest.updateMany({
    where,
    data: {
      customerId: null,
      email: null,
      phone: null,
      ordersRequested: "[]",
      export: null,
      status: "redacted",
      deliveredTo: null,
    },
  });
  return count;
}
