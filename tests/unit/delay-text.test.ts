import { describe, expect, it } from "vitest";
import { DELAY_TRIGGERS, SUPPORTED_LANGUAGES, defaultTemplate, fillTemplate, holdReasonText } from "../../app/services/delay-notices/text";
import { addBusinessDays } from "../../app/services/delay-notices/notices.server";
import { parseSchedule, type WeeklySchedule } from "../../app/services/support/business-hours";

describe("delay notice wording", () => {
  const values = { first_name: "Mari", order_name: "#1042", items: "1 × Wool socks", new_date: "4 December 2026", tracking_link: "https://t.example/1", support_email: "help@shop.example", shop_name: "Linen & Co" };

  it("fills every default template in every language, naming the order", () => {
    for (const trigger of DELAY_TRIGGERS) {
      for (const lang of SUPPORTED_LANGUAGES) {
        const filled = fillTemplate(defaultTemplate(trigger, lang), { ...values, reason: holdReasonText("OTHER", lang) });
        expect(filled.subject).toContain("#1042");
        expect(filled.body).toContain("#1042");
        expect(filled.body).toContain("Mari");
        expect(filled.body).not.toMatch(/\{\w+\}/);
        expect(`${filled.subject}\n${filled.body}`).not.toContain("{{");
      }
    }
  });

  it("drops a line whose value is missing, and the name from a greeting without one", () => {
    const filled = fillTemplate(defaultTemplate("carrier_delayed", "en"), { ...values, first_name: null, new_date: null, tracking_link: null });
    expect(filled.body.startsWith("Hi,\n\n")).toBe(true);
    expect(filled.body).not.toContain("New expected date");
    expect(filled.body).not.toContain("Follow your parcel");
    expect(filled.body).toContain("In this order: 1 × Wool socks.");
    expect(fillTemplate(defaultTemplate("carrier_delayed", "et"), { ...values, first_name: null }).body.startsWith("Tere!\n\n")).toBe(true);
  });

  it("fills {{placeholders}} only: text in single braces is left alone, an unknown placeholder's line left out", () => {
    const filled = fillTemplate({ subject: "{{order_name}} for {{ last_name }}", body: "Use code {SAVE10} on {{order_name}}\nYour {{coupon}} here" }, { ...values, last_name: "Tamm" });
    expect(filled).toEqual({ subject: "#1042 for Tamm", body: "Use code {SAVE10} on #1042" });
  });

  it("says hold reasons in the shopper's words, an unknown reason as 'other'", () => {
    expect(holdReasonText("INCORRECT_ADDRESS", "ro")).toBe("trebuie să verificăm împreună adresa de livrare");
    expect(holdReasonText("SOMETHING_NEW", "en")).toBe("we need a little more time to prepare it");
  });
});

describe("handling time in business days", () => {
  const weekdays = (parseSchedule('{"mon":[["09:00","17:00"]],"tue":[["09:00","17:00"]],"wed":[["09:00","17:00"]],"thu":[["09:00","17:00"]],"fri":[["09:00","17:00"]],"sat":[],"sun":[]}') as { schedule: WeeklySchedule }).schedule;
  it("skips the days the shop is closed", () => {
    // Friday noon + 3 business days = Wednesday noon.
    expect(addBusinessDays(new Date("2026-11-27T12:00:00Z"), 3, weekdays, "UTC").toISOString()).toBe("2026-12-02T12:00:00.000Z");
    expect(addBusinessDays(new Date("2026-11-23T12:00:00Z"), 1, weekdays, "UTC").toISOString()).toBe("2026-11-24T12:00:00.000Z");
  });
});

describe("the notice's status line for Track my order", () => {
  it("is one short line in each language: what happened and the new date", async () => {
    const { noticeStatusLine, formatNoticeDate } = await import("../../app/services/delay-notices/text");
    const { SUPPORTED_LANGUAGES } = await import("../../app/services/delay-notices/text");
    for (const language of SUPPORTED_LANGUAGES) {
      const date = formatNoticeDate(new Date("2026-12-12T12:00:00Z"), language, "UTC");
      const line = noticeStatusLine("carrier_delayed", language, { order_name: "#1042", new_date: date });
      expect(line, language).toContain("#1042");
      expect(line, language).toContain(date);
      expect(line, language).not.toContain("\n");
      expect(line.length, language).toBeLessThan(220);
    }
    expect(noticeStatusLine("on_hold", "en", { order_name: "#7", reason: "an item is out of stock" })).toBe("Your order #7 is on hold for now: an item is out of stock.");
    expect(noticeStatusLine("late_to_ship", "en", { order_name: "#7" })).toBe("Your order #7 is taking longer than planned to leave us.");
  });
});
