/** Outgoing email states and kinds in the merchant's words. */

export const EMAIL_FILTERS = ["all", "outbox", "queued", "sent", "failed"] as const;

type Tone = "success" | "info" | "attention" | "critical" | undefined;

const STATUS: Record<string, { label: string; tone: Tone }> = {
  sent: { label: "Sent", tone: "success" },
  queued: { label: "Waiting to send", tone: "attention" },
  outbox: { label: "In outbox (no mail server)", tone: "info" },
  failed: { label: "Failed", tone: "critical" },
};

export const emailStatusBadge = (status: string) => STATUS[status] ?? { label: status, tone: undefined };

const PURPOSE: Record<string, string> = { reply: "Reply", auto_ack: "Acknowledgement", notice: "Delay notice" };

export const emailPurpose = (purpose: string) => PURPOSE[purpose] ?? purpose;
