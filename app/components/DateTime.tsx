import { formatShopTime } from "../utils/shop-time";

/** A timestamp rendered the same on server and client: ISO in the markup, readable text in the shop's zone. */
export function DateTime({ value, timeZone }: { value: string | Date | null | undefined; timeZone: string }) {
  if (!value) return <>—</>;
  const date = typeof value === "string" ? new Date(value) : value;
  return <time dateTime={date.toISOString()}>{formatShopTime(date, timeZone)}</time>;
}
