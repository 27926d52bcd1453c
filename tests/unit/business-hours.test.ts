import { describe, expect, it } from "vitest";
import { addBusinessHours, businessMillisBetween, formatSchedule, parseSchedule, type WeeklySchedule } from "../../app/services/support/business-hours";

const NINE_TO_FIVE = JSON.stringify({
  mon: [["09:00", "17:00"]],
  tue: [["09:00", "17:00"]],
  wed: [["09:00", "17:00"]],
  thu: [["09:00", "17:00"]],
  fri: [["09:00", "17:00"]],
  sat: [],
  sun: [],
});

function schedule(json = NINE_TO_FIVE): WeeklySchedule {
  const parsed = parseSchedule(json);
  if (!("schedule" in parsed)) throw new Error(JSON.stringify(parsed.errors));
  return parsed.schedule;
}

const HOUR = 3_600_000;

describe("business hours", () => {
  it("adds hours inside one day, across the night and across the weekend, in the shop's zone", () => {
    const week = schedule();
    // Tallinn is UTC+2 in November: Friday 2026-11-20 10:00 local = 08:00Z.
    expect(addBusinessHours(new Date("2026-11-20T08:00:00Z"), 3, week, "Europe/Tallinn").toISOString()).toBe("2026-11-20T11:00:00.000Z");
    // Friday 16:00 local + 8 h: 1 h on Friday, 7 h on Monday → Monday 16:00 local.
    expect(addBusinessHours(new Date("2026-11-20T14:00:00Z"), 8, week, "Europe/Tallinn").toISOString()).toBe("2026-11-23T14:00:00.000Z");
    // Saturday: the clock starts on Monday at opening.
    expect(addBusinessHours(new Date("2026-11-21T12:00:00Z"), 1, week, "Europe/Tallinn").toISOString()).toBe("2026-11-23T08:00:00.000Z");
    // 24 business hours = three working days.
    expect(addBusinessHours(new Date("2026-11-23T07:00:00Z"), 24, week, "Europe/Tallinn").toISOString()).toBe("2026-11-25T15:00:00.000Z");
  });

  it("follows daylight saving time", () => {
    const week = schedule();
    // New York switched to EDT (UTC−4) on Sunday 2026-03-08: Friday 16:00 EST + 2 h → Monday 10:00 EDT.
    expect(addBusinessHours(new Date("2026-03-06T21:00:00Z"), 2, week, "America/New_York").toISOString()).toBe("2026-03-09T14:00:00.000Z");
  });

  it("counts business time between two instants, for response-time metrics", () => {
    const week = schedule();
    // Friday 16:00 → Monday 10:00 (Tallinn): 1 h + 1 h.
    expect(businessMillisBetween(new Date("2026-11-20T14:00:00Z"), new Date("2026-11-23T08:00:00Z"), week, "Europe/Tallinn")).toBe(2 * HOUR);
    expect(businessMillisBetween(new Date("2026-11-23T08:00:00Z"), new Date("2026-11-20T14:00:00Z"), week, "Europe/Tallinn")).toBe(0);
  });

  it("handles split days and round-trips its stored form", () => {
    const split = schedule(JSON.stringify({ mon: [["13:00", "17:00"], ["08:00", "12:00"]], sat: [["10:00", "14:00"]] }));
    expect(split.mon).toEqual([[480, 720], [780, 1020]]);
    // Monday 11:00 UTC + 3 h: 1 h before lunch, 2 h after → 15:00.
    expect(addBusinessHours(new Date("2026-11-23T11:00:00Z"), 3, split, "UTC").toISOString()).toBe("2026-11-23T15:00:00.000Z");
    expect(schedule(formatSchedule(split))).toEqual(split);
  });

  it("explains a bad schedule instead of throwing", () => {
    expect(parseSchedule("{oops")).toEqual({ errors: { schedule: "Business hours are not valid JSON." } });
    expect(parseSchedule({ mon: [["17:00", "09:00"]] })).toEqual({ errors: { mon: "Closing time must be after opening time." } });
    expect(parseSchedule({ tue: [["9am", "5pm"]] })).toEqual({ errors: { tue: "Use times like 09:00–17:00." } });
    expect(parseSchedule({ wed: [["09:00", "13:00"], ["12:00", "15:00"]] })).toEqual({ errors: { wed: "Opening times overlap." } });
    expect(parseSchedule({})).toEqual({ errors: { schedule: "Open on at least one day." } });
  });
});
