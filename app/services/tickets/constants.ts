/** Ticket vocabularies, shared by the server and the admin's pages. */
export const TICKET_STATUSES = ["open", "pending", "solved", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export const TICKET_CHANNELS = ["storefront", "email", "delay_notice", "staff", "chat"] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];
export const INBOX_VIEWS = ["open", "mine", "unassigned", "overdue", "solved", "all"] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];
export const INBOX_SORTS = ["activity", "newest", "oldest", "due"] as const;
export type InboxSort = (typeof INBOX_SORTS)[number];
/** A storefront chat with no staff answer within this long counts as missed (dashboard). */
export const CHAT_MISSED_MINUTES = 5;
