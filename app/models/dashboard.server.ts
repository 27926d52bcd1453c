import prisma from "../db.server";
import { supportSettings } from "./support-settings.server";
import { businessMillisBetween, localParts, zonedToUtc } from "../services/support/business-hours";
import { helpVisitTotals } from "./faq-insights.server";
import { CHAT_MISSED_MINUTES } from "../services/tickets/constants";

/**
 * The dashboard's figures for a period of local days in the shop's time zone, and the same
 * figures for the period just before it. Counts are SQL over indexed columns (shop + a time);
 * response and resolution times are business time between two stored instants, counted in the
 * shop's hours and zone, then ranked for the median and the 90th percentile.
 */

export interface Period {
  /** Local dates, inclusive: YYYY-MM-DD. */
  from: string;
  to: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function parseLocalDate(text: string): { year: number; month: number; day: number } | null {
  const m = DATE.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  return check.getUTCMonth() === month - 1 && check.getUTCDate() === day ? { year, month, day } : null;
}

const isoDay = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
const addDays = (date: string, days: number) => {
  const d = parseLocalDate(date)!;
  return isoDay(d.year, d.month, d.day + days);
};
export const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;

/** The period ending today (local) with `days` days. */
export function lastDays(days: number, timeZone: string, now = new Date()): Period {
  const p = localParts(now, timeZone);
  const to = isoDay(p.year, p.month, p.day);
  return { from: addDays(to, -(days - 1)), to };
}

/** The same number of days just before. */
export function previousPeriod(period: Period): Period {
  const days = daysBetween(period.from, period.to);
  return { from: addDays(period.from, -days), to: addDays(period.from, -1) };
}

/** [start of `from`, start of the day after `to`) as instants in the zone (DST-aware). */
export function periodBounds(period: Period, timeZone: string): { start: Date; end: Date } {
  const f = parseLocalDate(period.from)!;
  const t = parseLocalDate(addDays(period.to, 1))!;
  return { start: zonedToUtc(f.year, f.month, f.day, 0, timeZone), end: zonedToUtc(t.year, t.month, t.day, 0, timeZone) };
}

/** Nearest-rank percentile of business durations (ms); null without data. */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface PeriodFigures {
  created: number;
  solved: number;
  firstResponse: { median: number | null; p90: number | null; count: number };
  resolution: { median: number | null; p90: number | null; count: number };
  csat: { score: number | null; average: number | null; rated: number; sent: number; responseRate: number | null };
  byChannel: Record<string, number>;
  delayNotices: { sent: number; ledToReply: number };
  deflection: { visits: number; contacted: number; rate: number | null };
  /** Storefront chats: first response in wall-clock seconds (a chat is answered now or missed), and chats missed. */
  chat: { conversations: number; firstResponse: { median: number | null; p90: number | null }; missed: number };
}


async function figuresFor(shop: string, period: Period, timeZone: string, schedule: Parameters<typeof businessMillisBetween>[2]): Promise<PeriodFigures> {
  const { start, end } = periodBounds(period, timeZone);
  const inRange = { gte: start, lt: end };
  const [created, solved, responded, resolved, channels, ratings, surveysSent, ratedOfSent, notices, { visits, contacted }] = await Promise.all([
    prisma.ticket.count({ where: { shop, createdAt: inRange } }),
    prisma.ticket.count({ where: { shop, solvedAt: inRange } }),
    prisma.ticket.findMany({ where: { shop, createdAt: inRange, firstResponseAt: { not: null } }, select: { createdAt: true, firstResponseAt: true } }),
    prisma.ticket.findMany({ where: { shop, solvedAt: inRange }, select: { createdAt: true, solvedAt: true } }),
    prisma.ticket.groupBy({ by: ["channel"], where: { shop, createdAt: inRange }, _count: { _all: true } }),
    prisma.satisfactionSurvey.aggregate({ where: { shop, ratedAt: inRange, rating: { not: null } }, _avg: { rating: true }, _count: { rating: true } }),
    prisma.satisfactionSurvey.count({ where: { shop, sentAt: inRange } }),
    prisma.satisfactionSurvey.count({ where: { shop, sentAt: inRange, rating: { not: null } } }),
    prisma.delayNotice.findMany({ where: { shop, status: "sent", createdAt: inRange }, select: { ticketId: true, decidedAt: true, createdAt: true } }),
    // Visits still kept, and the days whose visits retention counted (local dates, as the period's).
    helpVisitTotals(shop, { start, end, fromDay: period.from, toDay: period.to }),
  ]);
  const satisfied = await prisma.satisfactionSurvey.count({ where: { shop, ratedAt: inRange, rating: { gte: 4 } } });
  const chats = await prisma.ticket.findMany({ where: { shop, channel: "chat", createdAt: inRange }, select: { createdAt: true, firstResponseAt: true } });
  const missWindow = CHAT_MISSED_MINUTES * 60_000;
  const chatFrt = chats
    .filter((t) => t.firstResponseAt)
    .map((t) => t.firstResponseAt!.getTime() - t.createdAt.getTime())
    .sort((a, b) => a - b);
  const missed = chats.filter((t) => (t.firstResponseAt ? t.firstResponseAt.getTime() - t.createdAt.getTime() > missWindow : Date.now() - t.createdAt.getTime() > missWindow)).length;

  const business = (a: Date, b: Date) => businessMillisBetween(a, b, schedule, timeZone);
  const frt = responded.map((t) => business(t.createdAt, t.firstResponseAt!)).sort((a, b) => a - b);
  const res = resolved.map((t) => business(t.createdAt, t.solvedAt!)).sort((a, b) => a - b);

  // A notice "led to a reply" when the shopper wrote on its thread after it was sent.
  const ticketIds = [...new Set(notices.map((n) => n.ticketId).filter((id): id is string => Boolean(id)))];
  const replies = ticketIds.length
    ? await prisma.ticketMessage.findMany({ where: { shop, ticketId: { in: ticketIds }, kind: "customer" }, select: { ticketId: true, createdAt: true } })
    : [];
  const ledToReply = notices.filter((n) => n.ticketId && replies.some((r) => r.ticketId === n.ticketId && r.createdAt > (n.decidedAt ?? n.createdAt))).length;

  return {
    created,
    solved,
    firstResponse: { median: percentile(frt, 50), p90: percentile(frt, 90), count: frt.length },
    resolution: { median: percentile(res, 50), p90: percentile(res, 90), count: res.length },
    csat: {
      score: ratings._count.rating > 0 ? satisfied / ratings._count.rating : null,
      average: ratings._avg.rating ?? null,
      rated: ratings._count.rating,
      sent: surveysSent,
      responseRate: surveysSent > 0 ? ratedOfSent / surveysSent : null,
    },
    byChannel: Object.fromEntries(channels.map((c) => [c.channel, c._count._all])),
    delayNotices: { sent: notices.length, ledToReply },
    deflection: { visits, contacted, rate: visits > 0 ? (visits - contacted) / visits : null },
    chat: {
      conversations: chats.length,
      firstResponse: {
        median: chatFrt.length ? Math.round(percentile(chatFrt, 50)! / 1000) : null,
        p90: chatFrt.length ? Math.round(percentile(chatFrt, 90)! / 1000) : null,
      },
      missed,
    },
  };
}

/** Tickets created and solved on each local day of the period. */
async function dailySeries(shop: string, period: Period, timeZone: string) {
  const { start, end } = periodBounds(period, timeZone);
  const [created, solved] = await Promise.all([
    prisma.ticket.findMany({ where: { shop, createdAt: { gte: start, lt: end } }, select: { createdAt: true } }),
    prisma.ticket.findMany({ where: { shop, solvedAt: { gte: start, lt: end } }, select: { solvedAt: true } }),
  ]);
  const days = daysBetween(period.from, period.to);
  const index = new Map(Array.from({ length: days }, (_, i) => [addDays(period.from, i), i]));
  const counts = Array.from({ length: days }, () => ({ created: 0, solved: 0 }));
  const dayOf = (at: Date) => {
    const p = localParts(at, timeZone);
    return index.get(isoDay(p.year, p.month, p.day));
  };
  for (const t of created) {
    const i = dayOf(t.createdAt);
    if (i !== undefined) counts[i].created++;
  }
  for (const t of solved) {
    const i = dayOf(t.solvedAt!);
    if (i !== undefined) counts[i].solved++;
  }
  return [...index.keys()].map((date, i) => ({ date, ...counts[i] }));
}

export async function dashboard(shop: string, period: Period, now = new Date()) {
  const settings = await supportSettings(shop);
  const zone = settings.timeZone;
  const previous = previousPeriod(period);
  const [current, before, series, backlog, overdue, unanswered, totalTickets] = await Promise.all([
    figuresFor(shop, period, zone, settings.schedule),
    figuresFor(shop, previous, zone, settings.schedule),
    dailySeries(shop, period, zone),
    prisma.ticket.count({ where: { shop, status: { in: ["open", "pending"] } } }),
    prisma.ticket.count({ where: { shop, status: "open", firstResponseAt: null, slaDueAt: { lt: now } } }),
    prisma.faqSearch.findMany({
      where: { shop, noResult: { gt: 0 }, lastSearchedAt: { gte: periodBounds(period, zone).start } },
      orderBy: [{ noResult: "desc" }, { lastSearchedAt: "desc" }],
      take: 5,
      select: { sample: true, locale: true, noResult: true },
    }),
    prisma.ticket.count({ where: { shop } }),
  ]);
  return { period, previous, timeZone: zone, current, before, series, backlog, overdue, unanswered, hasTickets: totalTickets > 0 };
}

/** The dashboard as CSV: one line per figure (this period, previous), then one per day. */
export function dashboardCsv(data: Awaited<ReturnType<typeof dashboard>>): string {
  const hours = (ms: number | null) => (ms === null ? "" : (ms / 3_600_000).toFixed(2));
  const pct = (x: number | null) => (x === null ? "" : (x * 100).toFixed(1));
  const c = data.current;
  const b = data.before;
  const rows: (string | number)[][] = [
    ["figure", `${data.period.from} to ${data.period.to}`, `${data.previous.from} to ${data.previous.to}`],
    ["tickets created", c.created, b.created],
    ["tickets solved", c.solved, b.solved],
    ["first response, median (business hours)", hours(c.firstResponse.median), hours(b.firstResponse.median)],
    ["first response, 90th percentile (business hours)", hours(c.firstResponse.p90), hours(b.firstResponse.p90)],
    ["resolution, median (business hours)", hours(c.resolution.median), hours(b.resolution.median)],
    ["resolution, 90th percentile (business hours)", hours(c.resolution.p90), hours(b.resolution.p90)],
    ["CSAT, % satisfied (4-5)", pct(c.csat.score), pct(b.csat.score)],
    ["CSAT, survey response rate %", pct(c.csat.responseRate), pct(b.csat.responseRate)],
    ["delay notices sent", c.delayNotices.sent, b.delayNotices.sent],
    ["delay notices answered by the shopper", c.delayNotices.ledToReply, b.delayNotices.ledToReply],
    ["help panel visits", c.deflection.visits, b.deflection.visits],
    ["FAQ deflection %", pct(c.deflection.rate), pct(b.deflection.rate)],
    ["chats", c.chat.conversations, b.chat.conversations],
    ["chat first response, median (seconds)", c.chat.firstResponse.median ?? "", b.chat.firstResponse.median ?? ""],
    ["chat first response, 90th percentile (seconds)", c.chat.firstResponse.p90 ?? "", b.chat.firstResponse.p90 ?? ""],
    [`chats missed (no answer within ${CHAT_MISSED_MINUTES} minutes)`, c.chat.missed, b.chat.missed],
    ...Object.keys({ ...c.byChannel, ...b.byChannel }).map((ch) => [`tickets from ${ch}`, c.byChannel[ch] ?? 0, b.byChannel[ch] ?? 0]),
    [],
    ["date", "created", "solved"],
    ...data.series.map((d) => [d.date, d.created, d.solved]),
  ];
  const cell = (v: string | number) => {
    const text = String(v);
    // Quotes around anything a spreadsheet could misread; a leading = + - @ is neutralized.
    return /[",\n]|^[=+\-@]/.test(text) ? `"${text.replace(/"/g, '""').replace(/^([=+\-@])/, "'$1")}"` : text;
  };
  return `${rows.map((r) => r.map(cell).join(",")).join("\n")}\n`;
}

export const RANGE_PRESETS = [7, 30, 90] as const;

/** The period a dashboard URL asks for: ?days=7|30|90, or ?from=&to= (at most a year); default the last 30 days. */
export function periodFromSearch(params: URLSearchParams, timeZone: string, now = new Date()): { period: Period; days: number | null } {
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  if (parseLocalDate(from) && parseLocalDate(to) && from <= to && daysBetween(from, to) <= 366) return { period: { from, to }, days: null };
  const days = Number(params.get("days"));
  const preset = (RANGE_PRESETS as readonly number[]).includes(days) ? days : 30;
  return { period: lastDays(preset, timeZone, now), days: preset };
}
