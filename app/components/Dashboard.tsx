import { useEffect, useState } from "react";
import { Badge, BlockStack, Box, Card, InlineGrid, InlineStack, Text, Tooltip } from "@shopify/polaris";
import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";
import { channelLabel } from "./ticket-labels";
import { languageName } from "./labels";
import type { dashboard } from "../models/dashboard.server";
import { CHAT_MISSED_MINUTES } from "../services/tickets/constants";

/** The dashboard's cards and charts; no data access (the home route loads the figures). */

/** The figures as the home route loads them (plain data: strings and numbers). */
export type DashboardData = Awaited<ReturnType<typeof dashboard>>;

/** A chat's answer time: seconds, then minutes and seconds. */
export function chatSeconds(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${seconds % 60} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return "–";
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = ms / 3_600_000;
  return hours < 10 ? `${hours.toFixed(1)} h` : `${Math.round(hours)} h`;
}

const percent = (x: number | null) => (x === null ? "–" : `${Math.round(x * 100)}%`);

/** "+25%" against the previous period; for times, lower is better; volumes are neither. */
function Change({ now, before, lowerIsBetter = false, neutral = false }: { now: number | null; before: number | null; lowerIsBetter?: boolean; neutral?: boolean }) {
  if (now === null || before === null || before === 0 || now === before) return null;
  const change = (now - before) / before;
  const better = lowerIsBetter ? change < 0 : change > 0;
  return <Badge tone={neutral ? undefined : better ? "success" : "critical"}>{`${change > 0 ? "+" : ""}${Math.round(change * 100)}%`}</Badge>;
}

function Figure({ title, value, explain, change }: { title: string; value: string; explain: string; change?: React.ReactNode }) {
  return (
    <div data-figure={title}>
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm">
          {title}
        </Text>
        <InlineStack gap="200" blockAlign="center">
          <Text as="p" variant="headingXl">
            {value}
          </Text>
          {change}
        </InlineStack>
        <Text as="p" tone="subdued" variant="bodySm">
          {explain}
        </Text>
      </BlockStack>
    </Card>
    </div>
  );
}

/** Charts measure the browser; on the server they are left out and drawn once the page is live. */
function useMounted() {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted;
}

export function DashboardView({ data }: { data: DashboardData }) {
  const c = data.current;
  const b = data.before;
  const mounted = useMounted();
  const vs = `than ${data.previous.from} – ${data.previous.to}`;
  const channels = Object.entries(c.byChannel).sort((x, y) => y[1] - x[1]);
  return (
    <BlockStack gap="400">
      <InlineGrid columns={{ xs: 1, sm: 2, lg: 3 }} gap="300">
        <Figure title="Tickets created" value={String(c.created)} change={<Change now={c.created} before={b.created} neutral />} explain={`New questions from shoppers, ${b.created} in the previous period.`} />
        <Figure title="Tickets solved" value={String(c.solved)} change={<Change now={c.solved} before={b.solved} />} explain={`Marked solved in this period, ${b.solved} before.`} />
        <Figure
          title="First response"
          value={formatDuration(c.firstResponse.median)}
          change={<Change now={c.firstResponse.median} before={b.firstResponse.median} lowerIsBetter />}
          explain={`Median business time to the first reply; 90% within ${formatDuration(c.firstResponse.p90)} (${c.firstResponse.count} tickets).`}
        />
        <Figure
          title="Resolution"
          value={formatDuration(c.resolution.median)}
          change={<Change now={c.resolution.median} before={b.resolution.median} lowerIsBetter />}
          explain={`Median business time from question to solved; 90% within ${formatDuration(c.resolution.p90)}.`}
        />
        <Figure
          title="Satisfaction (CSAT)"
          value={percent(c.csat.score)}
          change={<Change now={c.csat.score} before={b.csat.score} />}
          explain={`Ratings of 4 or 5 out of ${c.csat.rated}; ${percent(c.csat.responseRate)} of ${c.csat.sent} surveys answered.`}
        />
        <Figure title="Backlog" value={String(data.backlog)} explain={`Open or waiting tickets now; ${data.overdue} overdue for a first answer.`} />
        <Figure
          title="Delay notices"
          value={String(c.delayNotices.sent)}
          change={<Change now={c.delayNotices.sent} before={b.delayNotices.sent} neutral />}
          explain={`Shoppers told before they asked; ${c.delayNotices.ledToReply} wrote back.`}
        />
        <Figure
          title="FAQ deflection"
          value={percent(c.deflection.rate)}
          change={<Change now={c.deflection.rate} before={b.deflection.rate} />}
          explain={`Of ${c.deflection.visits} help panel visits, ${c.deflection.contacted} ended in a contact form.`}
        />
        <Figure
          title="Live chat"
          value={chatSeconds(c.chat.firstResponse.median)}
          change={<Change now={c.chat.firstResponse.median} before={b.chat.firstResponse.median} lowerIsBetter />}
          explain={
            c.chat.conversations === 0
              ? "No storefront chats in this period."
              : `Median time to the first answer in ${c.chat.conversations} chats; 90% within ${chatSeconds(c.chat.firstResponse.p90)}; ${c.chat.missed} missed (no answer within ${CHAT_MISSED_MINUTES} minutes).`
          }
        />
      </InlineGrid>
      <InlineGrid columns={{ xs: 1, lg: "2fr 1fr" }} gap="300">
        <Card>
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              Tickets per day
            </Text>
            <Text as="p" tone="subdued" variant="bodySm">
              Created and solved each day, in your time zone.
            </Text>
            <Box minHeight="260px">
              {mounted ? (
                <PolarisVizProvider>
                  <div style={{ height: 260 }} aria-label="Tickets created and solved per day" role="img">
                    <BarChart
                      theme="Light"
                      data={[
                        { name: "Created", data: data.series.map((d) => ({ key: d.date.slice(5), value: d.created })) },
                        { name: "Solved", data: data.series.map((d) => ({ key: d.date.slice(5), value: d.solved })) },
                      ]}
                    />
                  </div>
                </PolarisVizProvider>
              ) : null}
            </Box>
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              By channel
            </Text>
            <Text as="p" tone="subdued" variant="bodySm">
              Where this period's tickets came from.
            </Text>
            {channels.length === 0 ? (
              <Text as="p">No tickets in this period.</Text>
            ) : (
              <>
                <Box minHeight="200px">
                  {mounted ? (
                    <PolarisVizProvider>
                      <div style={{ height: 200 }} aria-label="Tickets by channel" role="img">
                        <BarChart theme="Light" direction="horizontal" data={[{ name: "Tickets", data: channels.map(([ch, count]) => ({ key: channelLabel(ch), value: count })) }]} />
                      </div>
                    </PolarisVizProvider>
                  ) : null}
                </Box>
                <BlockStack gap="050">
                  {channels.map(([ch, count]) => (
                    <InlineStack key={ch} align="space-between">
                      <Text as="span">{channelLabel(ch)}</Text>
                      <Text as="span" numeric>
                        {count}
                      </Text>
                    </InlineStack>
                  ))}
                </BlockStack>
              </>
            )}
          </BlockStack>
        </Card>
      </InlineGrid>
      <Card>
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            Top unanswered searches
          </Text>
          <Text as="p" tone="subdued" variant="bodySm">
            What shoppers searched in the help button without finding an answer. Each is an FAQ article waiting to be written.
          </Text>
          {data.unanswered.length === 0 ? (
            <Text as="p">None in this period.</Text>
          ) : (
            data.unanswered.map((s) => (
              <InlineStack key={`${s.locale}:${s.sample}`} align="space-between">
                <Tooltip content={languageName(s.locale)}>
                  <Text as="span">{s.sample}</Text>
                </Tooltip>
                <Text as="span" tone="subdued">
                  {s.noResult}×
                </Text>
              </InlineStack>
            ))
          )}
        </BlockStack>
      </Card>
    </BlockStack>
  );
}
