import { formatShopTime } from "../utils/shop-time";
import { BAD_ADDRESS_REASON, isDeliverableAddress, NO_ADDRESS_REASON } from "../services/privacy/export-email";

/** Where a data request's delivery to the customer stands, in the merchant's words, and what they can do next. */

type Tone = "success" | "info" | "attention" | "critical" | undefined;

export interface DeliveryRow {
  status: string;
  email: string | null;
  deliveryEmailId: string | null;
  deliveredAt: string | Date | null;
  deliveredVia: string | null;
  deliveredTo: string | null;
  deliveredBy: string | null;
}

export interface DeliveryEmail {
  id: string;
  status: string;
  lastError: string | null;
}

export interface DeliveryView {
  badge: { tone: Tone; label: string };
  /** Who delivered it and how, or what happens next. */
  detail: string | null;
  /** The mail server's last answer when sending failed. */
  error: string | null;
  /** The earlier delivery, when a newer email is on its way or failed. */
  previous: string | null;
  /** "Email to customer" / "Send again", with why it cannot be pressed; null: no export to send. */
  email: { label: string; expected: string; disabledReason: string | null } | null;
  /** The delivery email to retry now. */
  retryEmailId: string | null;
  markDelivered: boolean;
  /** Something is happening without the merchant: the page follows it. */
  inFlight: boolean;
}

const STATUS: Record<string, { tone: Tone; label: string }> = {
  pending: { tone: "attention", label: "Being assembled" },
  redacted: { tone: "info", label: "Customer redacted" },
};

function delivered(row: DeliveryRow, timeZone: string): { label: string; detail: string } | null {
  if (!row.deliveredAt) return null;
  const at = formatShopTime(row.deliveredAt, timeZone);
  const by = row.deliveredBy ? ` by ${row.deliveredBy}` : "";
  if (row.deliveredVia === "email")
    return { label: `Sent to customer on ${at}`, detail: `To ${row.deliveredTo ?? "the customer"}${by}` };
  return { label: `Delivered on ${at}`, detail: `Delivered another way, recorded${by || " by staff"}` };
}

export function deliveryView(row: DeliveryRow, email: DeliveryEmail | null, timeZone: string): DeliveryView {
  const none = {
    detail: null,
    error: null,
    previous: null,
    email: null,
    retryEmailId: null,
    markDelivered: false,
    inFlight: false,
  };
  if (row.status !== "ready") return { ...none, badge: STATUS[row.status] ?? { tone: "info", label: row.status } };
  const done = delivered(row, timeZone);
  // The latest email, unless it is the one that delivered it or was cancelled by "Mark as delivered".
  const pending = email && email.status !== "sent" && email.status !== "cancelled" ? email : null;
  const emailButton = (busy: boolean) => ({
    label: done || email ? "Send again" : "Email to customer",
    expected: row.deliveryEmailId ?? "",
    disabledReason: !row.email
      ? NO_ADDRESS_REASON
      : !isDeliverableAddress(row.email)
      ? BAD_ADDRESS_REASON
      : busy
      ? "The export is being sent."
      : null,
  });
  const base = { ...none, previous: pending && done ? done.label : null, markDelivered: !done };
  if (pending?.status === "queued" && !pending.lastError) {
    return {
      ...base,
      badge: { tone: "info", label: "Sending to customer…" },
      email: emailButton(true),
      inFlight: true,
    };
  }
  if (pending?.status === "queued" || pending?.status === "failed") {
    const retrying = pending.status === "queued";
    return {
      ...base,
      badge: { tone: "critical", label: "Failed to send" },
      detail: retrying
        ? "The app keeps trying; retry now once the mail server is back."
        : "The app has stopped trying: retry it now.",
      error: pending.lastError?.split("\n")[0] ?? null,
      email: emailButton(retrying),
      retryEmailId: pending.id,
      inFlight: retrying,
    };
  }
  if (pending?.status === "outbox") {
    return {
      ...base,
      badge: { tone: "attention", label: "Kept in the outbox" },
      detail: "No mail server is set (SMTP_URL), so it was not sent: download the export and deliver it another way.",
      email: emailButton(false),
    };
  }
  if (done)
    return { ...base, badge: { tone: "success", label: done.label }, detail: done.detail, email: emailButton(false) };
  return { ...base, badge: { tone: "attention", label: "Export ready to download" }, email: emailButton(false) };
}
