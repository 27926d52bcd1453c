/**
 * The one way the admin writes a time: in the shop's zone (the desk's business-hours zone, else
 * the shop's zone from Shopify), the same text on the server and in the browser.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone });
    } catch {
      // A zone this runtime does not know: UTC, said so beside the time.
      f = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC", timeZoneName: "short" });
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** "Dec 2, 2026, 11:30 AM" in the shop's zone. */
export function formatShopTime(value: string | Date, timeZone: string): string {
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return "—";
  return formatter(timeZone).format(date);
}
