/**
 * Business hours: a weekly schedule in the shop's time zone, and the arithmetic that SLA due
 * times and response-time metrics need ("24 business hours after Friday 16:00 is Tuesday 16:00").
 * Pure functions over Intl; no time-zone library.
 */

export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Opening intervals per weekday, minutes from local midnight, sorted and not overlapping. */
export type WeeklySchedule = Record<Weekday, [number, number][]>;

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

const minutesOf = (text: string) => (text === "24:00" ? 1440 : Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5)));

export type ScheduleErrors = Partial<Record<Weekday | "schedule", string>>;

/** Reads the stored JSON ({ mon: [["09:00","17:00"]], … }); returns field errors rather than throwing. */
export function parseSchedule(input: unknown): { schedule: WeeklySchedule } | { errors: ScheduleErrors } {
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch {
      return { errors: { schedule: "Business hours are not valid JSON." } };
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { errors: { schedule: "Business hours must list each weekday." } };
  const record = value as Record<string, unknown>;
  const errors: ScheduleErrors = {};
  const schedule = {} as WeeklySchedule;
  let open = 0;
  for (const day of WEEKDAYS) {
    const intervals = record[day] ?? [];
    if (!Array.isArray(intervals)) {
      errors[day] = "Give a list of opening times.";
      continue;
    }
    const parsed: [number, number][] = [];
    for (const interval of intervals) {
      if (!Array.isArray(interval) || interval.length !== 2 || !interval.every((t) => typeof t === "string" && TIME.test(t))) {
        errors[day] = "Use times like 09:00–17:00.";
        break;
      }
      const [from, to] = [minutesOf(interval[0]), minutesOf(interval[1])];
      if (to <= from) {
        errors[day] = "Closing time must be after opening time.";
        break;
      }
      parsed.push([from, to]);
    }
    parsed.sort((a, b) => a[0] - b[0]);
    if (parsed.some((interval, i) => i > 0 && interval[0] < parsed[i - 1][1])) errors[day] = "Opening times overlap.";
    schedule[day] = parsed;
    open += parsed.length;
  }
  if (Object.keys(errors).length === 0 && open === 0) errors.schedule = "Open on at least one day.";
  return Object.keys(errors).length ? { errors } : { schedule };
}

/** A schedule back in its stored form. */
export function formatSchedule(schedule: WeeklySchedule): string {
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
  return JSON.stringify(Object.fromEntries(WEEKDAYS.map((day) => [day, schedule[day].map(([a, b]) => [hhmm(a), hhmm(b)])])));
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  weekday: Weekday;
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      weekday: "short",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(value: string): boolean {
  try {
    formatter(value);
    return true;
  } catch {
    return false;
  }
}

export function localParts(at: Date, timeZone: string): LocalParts & { seconds: number } {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: parts.weekday.toLowerCase().slice(0, 3) as Weekday,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    seconds: Number(parts.second),
  };
}

/** The UTC instant of a local wall-clock time (the later one when a DST change repeats it, the shifted one when it skips it). */
export function zonedToUtc(year: number, month: number, day: number, minutes: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day, 0, minutes);
  // Two corrections settle on the offset in force at that local time.
  let utc = guess;
  for (let i = 0; i < 2; i++) {
    const p = localParts(new Date(utc), timeZone);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, 0, p.minutes) + p.seconds * 1000;
    utc += guess - asUtc;
  }
  return new Date(utc);
}

/** `hours` of business time after `start` (start itself may be outside business hours). */
export function addBusinessHours(start: Date, hours: number, schedule: WeeklySchedule, timeZone: string): Date {
  let remaining = Math.round(hours * 60 * 60 * 1000);
  if (remaining <= 0) return start;
  let cursor = start;
  // A day at a time; a schedule open at least once a week ends within a year even for long promises.
  for (let guard = 0; guard < 400 * 7; guard++) {
    const p = localParts(cursor, timeZone);
    for (const [from, to] of schedule[p.weekday]) {
      const opens = zonedToUtc(p.year, p.month, p.day, from, timeZone);
      const closes = zonedToUtc(p.year, p.month, p.day, to, timeZone);
      const begin = Math.max(opens.getTime(), cursor.getTime());
      if (begin >= closes.getTime()) continue;
      const available = closes.getTime() - begin;
      if (remaining <= available) return new Date(begin + remaining);
      remaining -= available;
    }
    // On to the next local midnight.
    cursor = zonedToUtc(p.year, p.month, p.day, 24 * 60, timeZone);
  }
  throw new Error("the schedule has no opening hours");
}

/** Business time between two instants, in milliseconds (0 when `end` is not after `start`). */
export function businessMillisBetween(start: Date, end: Date, schedule: WeeklySchedule, timeZone: string): number {
  let total = 0;
  let cursor = start;
  while (cursor < end) {
    const p = localParts(cursor, timeZone);
    for (const [from, to] of schedule[p.weekday]) {
      const opens = zonedToUtc(p.year, p.month, p.day, from, timeZone).getTime();
      const closes = zonedToUtc(p.year, p.month, p.day, to, timeZone).getTime();
      const begin = Math.max(opens, cursor.getTime());
      const finish = Math.min(closes, end.getTime());
      if (finish > begin) total += finish - begin;
    }
    cursor = zonedToUtc(p.year, p.month, p.day, 24 * 60, timeZone);
  }
  return total;
}

/** Whether `at` falls inside the schedule's opening hours, in the shop's time zone. */
export function isOpenAt(at: Date, schedule: WeeklySchedule, timeZone: string): boolean {
  const p = localParts(at, timeZone);
  return schedule[p.weekday].some(([from, to]) => p.minutes >= from && p.minutes < to);
}
