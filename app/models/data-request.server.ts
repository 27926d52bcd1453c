import prisma from "../db.server";

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

export function dataRequestsForShop(shop: string, take = 50) {
  return prisma.dataRequest.findMany({
    where: { shop },
    orderBy: { requestedAt: "desc" },
    take,
    select: { id: true, shopifyRequestId: true, customerId: true, email: true, status: true, requestedAt: true, readyAt: true },
  });
}

export function dataRequestExport(shop: string, id: string) {
  return prisma.dataRequest.findFirst({ where: { shop, id }, select: { id: true, customerId: true, export: true, status: true, requestedAt: true } });
}

/** Earlier requests by the subject, without their exports (an export of an export says nothing new). */
export function dataRequestsBySubject(shop: string, match: { customerId: string | null; email: string | null }) {
  const or = [
    ...(match.customerId ? [{ customerId: match.customerId }] : []),
    ...(match.email ? [{ email: match.email }] : []),
  ];
  if (or.length === 0) return Promise.resolve([]);
  return prisma.dataRequest.findMany({
    where: { shop, OR: or },
    select: { id: true, shopifyRequestId: true, requestedAt: true, status: true },
  });
}

/** customers/redact: the requests stay as anonymous records; who asked and what was sent go. */
export async function anonymizeDataRequests(shop: string, match: { customerId: string | null; email: string | null }) {
  const or = [
    ...(match.customerId ? [{ customerId: match.customerId }] : []),
    ...(match.email ? [{ email: match.email }] : []),
  ];
  if (or.length === 0) return 0;
  const { count } = await prisma.dataRequest.updateMany({
    where: { shop, OR: or },
    data: { customerId: null, email: null, phone: null, ordersRequested: "[]", export: null, status: "redacted" },
  });
  return count;
}
