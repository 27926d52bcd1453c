import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { proxyRequest } from "../services/storefront/proxy.server";
import { readInput } from "../services/input.server";
import { checkSurveyToken } from "../services/csat/token.server";
import { SURVEY_TEXT, fillText } from "../services/csat/text";
import { recordComment, recordRating, surveyWithTicket } from "../models/satisfaction.server";
import { supportedLanguage } from "../services/tickets/auto-ack-text";
import { supportSettings } from "../models/support-settings.server";
import { escapeHtml } from "../services/email/render";

/**
 * GET /apps/support/csat?s=<token>&r=<1–5>: a rating by one click from the survey email (a later
 * click changes it), answered with a small page in the shopper's language; POST adds a comment.
 * Tokens are signed and bound to the shop; forged ones get 403, expired ones 410.
 */

const MAX_COMMENT = 2_000;

function page(status: number, lang: string, title: string, body: string) {
  const html = `<!doctype html>
<html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1c1d1f;max-width:34rem;margin:3rem auto;padding:0 1rem}a,button{font:inherit}.r{display:flex;gap:.5rem;flex-wrap:wrap;padding:0;list-style:none}.r a{display:inline-block;padding:.4rem .8rem;border:1px solid #8a8d91;border-radius:8px;color:inherit;text-decoration:none}.r a[aria-current]{background:#1f5f4f;color:#fff;border-color:#1f5f4f}textarea{width:100%;min-height:6rem;font:inherit}button{margin-top:.5rem;padding:.5rem 1rem;border:0;border-radius:8px;background:#1f5f4f;color:#fff}</style>
</head><body><main>${body}</main></body></html>`;
  return new Response(html, { status, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "private, no-store" } });
}

async function resolve(request: Request) {
  const context = await proxyRequest(request, { capacity: 20, refillPerMinute: 20 });
  if (context instanceof Response) return { response: context };
  const url = new URL(request.url);
  const token = url.searchParams.get("s") ?? "";
  const rating = Number(url.searchParams.get("r"));
  const check = checkSurveyToken(context.shop, token);
  const fallbackLang = supportedLanguage(request.headers.get("accept-language"), "en");
  if (!check.ok) {
    const t = SURVEY_TEXT[fallbackLang];
    const status = check.reason === "expired" ? 410 : check.reason === "forged" ? 403 : 400;
    return { response: page(status, fallbackLang, t.pageTitle, `<p>${escapeHtml(check.reason === "expired" ? t.expired : t.invalid)}</p>`) };
  }
  const found = await surveyWithTicket(context.shop, check.surveyId);
  if (!found) return { response: page(404, fallbackLang, SURVEY_TEXT[fallbackLang].pageTitle, `<p>${escapeHtml(SURVEY_TEXT[fallbackLang].invalid)}</p>`) };
  // The same choice the survey email made, so the page speaks the email's language.
  const lang = supportedLanguage(found.ticket.locale, (await supportSettings(context.shop)).shopLocale);
  return { context, token, rating: Number.isInteger(rating) && rating >= 1 && rating <= 5 ? rating : null, found, lang };
}

function thanksPage(token: string, rating: number, lang: ReturnType<typeof supportedLanguage>, note: string | null) {
  const t = SURVEY_TEXT[lang];
  const links = t.ratings
    .map((label, i) => `<li><a href="?s=${encodeURIComponent(token)}&amp;r=${i + 1}"${i + 1 === rating ? ' aria-current="true"' : ""}>${i + 1} – ${escapeHtml(label)}</a></li>`)
    .join("");
  return page(
    200,
    lang,
    t.pageTitle,
    `<h1>${escapeHtml(t.pageTitle)}</h1><p>${escapeHtml(fillText(t.thanks, { rating }))}</p>` +
      (note ? `<p role="status">${escapeHtml(note)}</p>` : "") +
      `<p>${escapeHtml(t.change)}</p><ul class="r">${links}</ul>` +
      `<form method="post" action="?s=${encodeURIComponent(token)}&amp;r=${rating}"><label for="c">${escapeHtml(t.commentLabel)}</label><textarea id="c" name="comment" maxlength="${MAX_COMMENT}"></textarea><button type="submit">${escapeHtml(t.send)}</button></form>`,
  );
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const resolved = await resolve(request);
  if ("response" in resolved) return resolved.response;
  const { context, token, rating, found, lang } = resolved;
  if (rating === null) return page(400, lang, SURVEY_TEXT[lang].pageTitle, `<p>${escapeHtml(SURVEY_TEXT[lang].invalid)}</p>`);
  await recordRating(context.shop, found.survey.id, rating);
  return thanksPage(token, rating, lang, null);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const resolved = await resolve(request);
  if ("response" in resolved) return resolved.response;
  const { context, token, found, lang } = resolved;
  const input = await readInput(request, { maxBytes: 64 * 1024 });
  const comment = input.ok ? (input.fields.comment ?? "").trim() : "";
  const rating = found.survey.rating ?? resolved.rating;
  if (!input.ok || comment.length > MAX_COMMENT || rating === null) return page(422, lang, SURVEY_TEXT[lang].pageTitle, `<p>${escapeHtml(SURVEY_TEXT[lang].invalid)}</p>`);
  if (comment) await recordComment(context.shop, found.survey.id, comment);
  return thanksPage(token, rating, lang, comment ? SURVEY_TEXT[lang].commentThanks : null);
};
