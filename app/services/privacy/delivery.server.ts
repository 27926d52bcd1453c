import { claimEmailDelivery, dataRequestForDelivery, markDeliveredElsewhere } from "../../models/data-request.server";
import { outboundEmailForShop } from "../../models/outbound-email.server";
import { supportSettings } from "../../models/support-settings.server";
import { formatAddress, textToHtml, withSignature } from "../email/render";
import { enqueueSend, newMessageId, retrySendNow } from "../email/send.server";
import { supportedLanguage } from "../tickets/auto-ack-text";
import type { Staff } from "../tickets/tickets.server";
import {
  BAD_ADDRESS_REASON,
  exportedProfile,
  exportEmailText,
  exportFileName,
  isDeliverableAddress,
  NO_ADDRESS_REASON,
  type ExportDocument,
} from "./export-email";

/**
 * Delivering a data request's export to the customer, which is the merchant's duty once Shopify
 * asked: by email from the app (the export attached, a summary in the body, the shop's sender),
 * or recorded as delivered another way. Sending is idempotent per click: the form names the
 * email it saw, and only a request still at that email gets a new one.
 */

export type DeliveryOutcome =
  | { ok: true; message: string }
  | { ok: false; status: 404 | 409 | 422; message: string; field?: string };

const notFound = { ok: false, status: 404, message: "This data request is not in your shop." } as const;

function readExport(json: string): ExportDocument {
  try {
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === "object" && parsed !== null ? (parsed as ExportDocument) : {};
  } catch {
    return {};
  }
}

/**
 * Emails the export to the address on the request. `expectedEmailId` is the delivery email the
 * merchant's page showed (null: none): a repeated click finds another and sends nothing more.
 */
export async function emailExportToCustomer(
  shop: string,
  id: string,
  staff: Staff,
  expectedEmailId: string | null,
): Promise<DeliveryOutcome> {
  const request = await dataRequestForDelivery(shop, id);
  if (!request) return notFound;
  if (request.status !== "ready" || !request.export)
    return { ok: false, status: 409, message: "This request has no export to send." };
  if (!request.email) return { ok: false, status: 422, field: "email", message: NO_ADDRESS_REASON };
  if (!isDeliverableAddress(request.email))
    return { ok: false, status: 422, field: "email", message: BAD_ADDRESS_REASON };
  if (request.deliveryEmailId !== expectedEmailId)
    return { ok: true, message: "The export is already on its way to the customer." };
  if (request.deliveryEmailId) {
    const current = await outboundEmailForShop(shop, request.deliveryEmailId);
    if (current?.status === "queued")
      return { ok: false, status: 409, message: "The export is still being sent; wait for it or retry it." };
  }
  const settings = await supportSettings(shop);
  const document = readExport(request.export);
  const profile = exportedProfile(document);
  const language = supportedLanguage(profile.locale, settings.shopLocale);
  const { subject, text } = exportEmailText({
    language,
    document,
    shopName: settings.shopName,
    fileName: exportFileName(request.id, request.requestedAt),
  });
  const body = withSignature(text, settings.signature);
  const name = [profile.firstName, profile.lastName].filter(Boolean).join(" ") || null;
  const claimed = await claimEmailDelivery(shop, id, expectedEmailId, staff.name, {
    purpose: "data_export",
    messageId: newMessageId(settings.fromEmail),
    fromAddress: formatAddress(settings.fromName, settings.fromEmail),
    toAddress: formatAddress(name, request.email),
    subject,
    text: body,
    html: textToHtml(body),
    language,
  });
  // Another click (or another staff member) got there first: its email is the one that goes.
  if (!claimed) return { ok: true, message: "The export is already on its way to the customer." };
  await enqueueSend(shop, claimed.id);
  return { ok: true, message: `Sending the export to ${request.email}` };
}

/** The request's delivery email, tried again now after it failed. */
export async function retryExportEmail(shop: string, id: string, emailId: string): Promise<DeliveryOutcome> {
  const request = await dataRequestForDelivery(shop, id);
  if (!request || request.deliveryEmailId !== emailId) return notFound;
  if (!(await retrySendNow(shop, emailId)))
    return { ok: false, status: 409, message: "This email has nothing to retry: it was sent or is being sent now." };
  return { ok: true, message: "Trying to send the export again" };
}

/** The merchant delivered the export themselves (a download sent another way, a letter). */
export async function markExportDelivered(shop: string, id: string, staff: Staff): Promise<DeliveryOutcome> {
  const request = await dataRequestForDelivery(shop, id);
  if (!request) return notFound;
  if (request.status !== "ready") return { ok: false, status: 409, message: "This request has no export to deliver." };
  if (!(await markDeliveredElsewhere(shop, id, staff.name)))
    return { ok: true, message: "The export was already recorded as delivered." };
  return { ok: true, message: "Marked as delivered" };
}
