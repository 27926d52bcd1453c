/** Shopify's enum values in the merchant's words, and the badge tone that goes with them. */

type Tone = "success" | "info" | "attention" | "warning" | "critical" | undefined;

/** "IN_TRANSIT" → "In transit"; unknown values still read as words. */
export function words(value: string | null | undefined): string {
  if (!value) return "—";
  const text = value.replace(/_/g, " ").toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const languageNames = new Intl.DisplayNames(["en"], { type: "language", fallback: "code" });

/** "sw" → "Swahili", "ta-IN" → "Tamil (India)"; a code Intl does not know is shown as is. */
export function languageName(locale: string | null | undefined): string {
  if (!locale) return "—";
  try {
    return languageNames.of(locale) ?? locale;
  } catch {
    return locale;
  }
}

const MARKETING: Record<string, { label: string; tone: Tone }> = {
  SUBSCRIBED: { label: "Subscribed", tone: "success" },
  PENDING: { label: "Pending confirmation", tone: "attention" },
  NOT_SUBSCRIBED: { label: "Not subscribed", tone: undefined },
  UNSUBSCRIBED: { label: "Unsubscribed", tone: undefined },
  REDACTED: { label: "Redacted", tone: undefined },
  INVALID: { label: "Invalid address", tone: "warning" },
};

export function marketingLabel(state: string | null | undefined): { label: string; tone: Tone } {
  if (!state) return { label: "Unknown", tone: undefined };
  return MARKETING[state] ?? { label: words(state), tone: undefined };
}

const HOLD_REASONS: Record<string, string> = {
  AWAITING_PAYMENT: "Awaiting payment",
  HIGH_RISK_OF_FRAUD: "High risk of fraud",
  INCORRECT_ADDRESS: "Incorrect address",
  INVENTORY_OUT_OF_STOCK: "Out of stock",
  UNKNOWN_DELIVERY_DATE: "Unknown delivery date",
  ONLINE_STORE_POST_PURCHASE_CROSS_SELL: "Post-purchase offer pending",
  AWAITING_RETURN_ITEMS: "Awaiting returned items",
  OTHER: "Other",
};

export const holdReason = (reason: string) => HOLD_REASONS[reason] ?? words(reason);

const FULFILLMENT_TONES: Record<string, Tone> = {
  FULFILLED: "success",
  DELIVERED: "success",
  IN_TRANSIT: "info",
  OUT_FOR_DELIVERY: "info",
  PICKED_UP: "info",
  READY_FOR_PICKUP: "info",
  CONFIRMED: "info",
  LABEL_PRINTED: "info",
  LABEL_PURCHASED: "info",
  MARKED_AS_FULFILLED: "success",
  ATTEMPTED_DELIVERY: "attention",
  DELAYED: "warning",
  FAILURE: "critical",
  CANCELED: undefined,
  UNFULFILLED: "attention",
  PARTIALLY_FULFILLED: "attention",
  ON_HOLD: "warning",
  SCHEDULED: "info",
  OPEN: "attention",
  IN_PROGRESS: "info",
  CLOSED: "success",
  INCOMPLETE: "critical",
  PAID: "success",
  PENDING: "attention",
  REFUNDED: undefined,
  PARTIALLY_REFUNDED: undefined,
  VOIDED: undefined,
  AUTHORIZED: "info",
};

export function statusBadge(status: string | null | undefined): { label: string; tone: Tone } {
  return { label: words(status), tone: status ? FULFILLMENT_TONES[status] : undefined };
}
