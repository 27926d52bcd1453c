/** Outgoing email states and kinds in the merchant's words. */

export const EMAIL_FILTERS = ["all", "outbox", "queued", "sent", "failed"] as const;

type Tone = "success" | "info" | "attention" | "critical" | undefined;

const STATUS: Record<string, { label: string; tone: Tone }> = {
  sent: { label: "Sent", tone: "success" },
  queued: { label: "Waiting to send", tone: "attention" },
  outbox: { label: "In outbox (no mail server)", tone: "info" },
  failed: { label: "Failed", tone: "critical" },
  cancelled: { label: "Cancelled (not sent)", tone: undefined },
};

export const emailStatusBadge = (status: string) => STATUS[status] ?? { label: status, tone: undefined };

/** Every kind of email the app sends (`OutboundEmail.purpose`), as the merchant would name it. */
export const EMAIL_PURPOSES: Record<string, string> = {
  reply: "Reply",
  auto_ack: "Acknowledgement",
  notice: "Delay notice",
  csat: "Satisfaction survey",
  checkin: "Post-purchase check-in",
  data_export: "Data export to the customer",
  chat_transcript: "Chat transcript",
};

/** A kind without a label of its own still reads as words ("some_kind" → "Some kind"), never as a code. */
export const emailPurpose = (purpose: string) => {
  const label = EMAIL_PURPOSES[purpose];
  if (label) return label;
  const words = purpose.replace(/[_-]+/g, " ").trim().toLowerCase();
  return words ? words[0].toUpperCase() + words.slice(1) : "Email";
};
