/** A timestamp rendered the same on server and client: ISO in the markup, readable text in UTC. */
export function DateTime({ value, timeZone }: { value: string | Date | null | undefined; timeZone?: string | null }) {
  if (!value) return <>—</>;
  const date = typeof value === "string" ? new Date(value) : value;
  const text = new Intl.DateTimeFormat("en", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: timeZone || "UTC",
  }).format(date);
  return <time dateTime={date.toISOString()}>{text}</time>;
}
