import { beforeAll, describe, expect, it } from "vitest";
import { checkChatToken, chatToken, visitorHashOf } from "../../app/services/chat/chat.server";
import { isOpenAt, parseSchedule, type WeeklySchedule } from "../../app/services/support/business-hours";

/** The chat socket's token (bound to shop, visitor and customer; forged, altered and old ones refused) and "open now". */

beforeAll(() => {
  process.env.SHOPIFY_API_SECRET ??= "unit-test-secret";
});

describe("chat token", () => {
  const visitor = visitorHashOf("a-visitor-secret-of-enough-length");
  const now = Date.UTC(2026, 11, 3, 12, 0, 0);

  it("reads back the shop, the visitor and the logged-in customer it was issued for", () => {
    const { token, expiresAt } = chatToken("a.myshopify.com", visitor, "42", now);
    expect(checkChatToken(token, now)).toEqual({ ok: true, shop: "a.myshopify.com", visitorHash: visitor, customerId: "42" });
    expect(new Date(expiresAt).getTime() - now).toBe(10 * 60_000);
  });

  it("refuses a token expired, altered to another shop, re-signed badly, or not a token", () => {
    const { token } = chatToken("a.myshopify.com", visitor, null, now);
    expect(checkChatToken(token, now + 11 * 60_000)).toEqual({ ok: false, reason: "expired" });
    const [payload, mac] = token.split(".");
    const other = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), s: "b.myshopify.com" })).toString("base64url");
    expect(checkChatToken(`${other}.${mac}`, now)).toEqual({ ok: false, reason: "forged" });
    expect(checkChatToken(`${payload}.${"A".repeat(32)}`, now)).toEqual({ ok: false, reason: "forged" });
    expect(checkChatToken("", now)).toEqual({ ok: false, reason: "malformed" });
    expect(checkChatToken("<script>.x", now)).toEqual({ ok: false, reason: "malformed" });
  });

  it("hashes a visitor's secret the same way every time, and two secrets apart", () => {
    expect(visitorHashOf("one-secret-one-secret-1")).toBe(visitorHashOf("one-secret-one-secret-1"));
    expect(visitorHashOf("one-secret-one-secret-1")).not.toBe(visitorHashOf("one-secret-one-secret-2"));
  });
});

describe("open now", () => {
  const { schedule } = parseSchedule('{"mon":[["09:00","17:00"]],"tue":[],"wed":[],"thu":[["09:00","17:00"]],"fri":[],"sat":[],"sun":[]}') as {
    schedule: WeeklySchedule;
  };

  it("is open inside the hours in the shop's zone and closed at closing time", () => {
    // Thursday 3 December 2026: 09:00 in Tallinn is 07:00 UTC.
    expect(isOpenAt(new Date("2026-12-03T06:59:00Z"), schedule, "Europe/Tallinn")).toBe(false);
    expect(isOpenAt(new Date("2026-12-03T07:00:00Z"), schedule, "Europe/Tallinn")).toBe(true);
    expect(isOpenAt(new Date("2026-12-03T14:59:00Z"), schedule, "Europe/Tallinn")).toBe(true);
    expect(isOpenAt(new Date("2026-12-03T15:00:00Z"), schedule, "Europe/Tallinn")).toBe(false);
    expect(isOpenAt(new Date("2026-12-02T10:00:00Z"), schedule, "Europe/Tallinn")).toBe(false);
  });
});
