import { languageName } from "./labels";

/** Ticket fields in the merchant's words, with their badge tones. */

type Tone = "success" | "info" | "attention" | "warning" | "critical" | undefined;

const STATUS: Record<string, { label: string; tone: Tone }> = {
  open: { label: "Open", tone: "attention" },
  pending: { label: "Pending", tone: "info" },
  solved: { label: "Solved", tone: "success" },
  closed: { label: "Closed", tone: undefined },
};

export const ticketStatusBadge = (status: string) => STATUS[status] ?? { label: status, tone: undefined };

const PRIORITY: Record<string, { label: string; tone: Tone }> = {
  low: { label: "Low", tone: undefined },
  normal: { label: "Normal", tone: undefined },
  high: { label: "High", tone: "warning" },
  urgent: { label: "Urgent", tone: "critical" },
};

/** Every priority has its badge (normal too: an empty cell read as "no priority"). */
export const priorityBadge = (priority: string) => PRIORITY[priority] ?? { label: priority, tone: undefined };
export const priorityLabel = (priority: string) => priorityBadge(priority).label;

const CHANNELS: Record<string, string> = {
  storefront: "Storefront form",
  email: "Email",
  delay_notice: "Delay notice",
  staff: "Created by staff",
  chat: "Chat",
};

export const channelLabel = (channel: string) => CHANNELS[channel] ?? channel;

const EVENTS: Record<string, (data: Record<string, unknown>) => string> = {
  status_changed: (d) => `${d.by ?? "Someone"} changed the status from ${ticketStatusBadge(String(d.from)).label} to ${ticketStatusBadge(String(d.to)).label}`,
  assigned: (d) => (d.to ? `${d.by ?? "Someone"} assigned the ticket to ${d.to}` : `${d.by ?? "Someone"} unassigned the ticket`),
  tagged: (d) => {
    const tags = Array.isArray(d.tags) ? d.tags.join(", ") : "";
    return tags ? `${d.by ?? "Someone"} set the tags: ${tags}` : `${d.by ?? "Someone"} removed the tags`;
  },
  created_by_staff: (d) => `${d.by ?? "Staff"} created the ticket`,
  acknowledged: (d) => `Acknowledgement emailed${typeof d.language === "string" ? ` in ${languageName(d.language)}` : ""}`,
  priority_changed: (d) => `${d.by ?? "Someone"} set the priority to ${priorityLabel(String(d.to))}`,
  survey_sent: (d) =>
    `${d.in === "chat" ? "Satisfaction rating asked in the chat" : "Satisfaction survey emailed"}${typeof d.language === "string" ? ` in ${languageName(d.language)}` : ""}`,
  transcript_sent: (d) => `Chat transcript emailed to the shopper${typeof d.language === "string" ? ` in ${languageName(d.language)}` : ""}`,
};

export function eventText(event: string | null, eventData: string | null): string {
  let data: Record<string, unknown> = {};
  try {
    data = eventData ? (JSON.parse(eventData) as Record<string, unknown>) : {};
  } catch {
    data = {};
  }
  const describe = event ? EVENTS[event] : undefined;
  return describe ? describe(data) : (event ?? "Event").replace(/_/g, " ");
}
