import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Survey links carry a token: the survey id and an expiry, signed with the app's secret and
 * bound to the shop. Forged, altered or another shop's tokens fail; old ones expire.
 */

export const SURVEY_LINK_DAYS = 30;

function secret(): string {
  const value = process.env.SHOPIFY_API_SECRET;
  if (!value) throw new Error("SHOPIFY_API_SECRET is not set");
  return value;
}

const mac = (shop: string, surveyId: string, expires: number) => createHmac("sha256", secret()).update(`csat|${shop}|${surveyId}|${expires}`).digest("base64url").slice(0, 32);

export function surveyToken(shop: string, surveyId: string, now = Date.now()): string {
  const expires = Math.floor(now / 1000) + SURVEY_LINK_DAYS * 86_400;
  return `${surveyId}.${expires}.${mac(shop, surveyId, expires)}`;
}

export type TokenCheck = { ok: true; surveyId: string } | { ok: false; reason: "malformed" | "forged" | "expired" };

export function checkSurveyToken(shop: string, token: string, now = Date.now()): TokenCheck {
  const match = /^([A-Za-z0-9_-]{10,40})\.(\d{9,11})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!match) return { ok: false, reason: "malformed" };
  const [, surveyId, expiresText, given] = match;
  const expires = Number(expiresText);
  const expected = Buffer.from(mac(shop, surveyId, expires));
  if (expected.length !== given.length || !timingSafeEqual(expected, Buffer.from(given))) return { ok: false, reason: "forged" };
  if (expires * 1000 < now) return { ok: false, reason: "expired" };
  return { ok: true, surveyId };
}
