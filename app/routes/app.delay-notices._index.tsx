import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link as RemixLink, useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Card, EmptyState, IndexTable, InlineStack, Page, Pagination, Tabs, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { delayRules, listNotices } from "../models/delay-notice.server";
import { shopTimeZone } from "../models/shop-time-zone.server";
import { NOTICE_STATUSES, TRIGGER_LABELS, type DelayTrigger } from "../services/delay-notices/text";
import { DateTime } from "../components/DateTime";
import { languageName } from "../components/labels";

const VIEWS = ["all", ...NOTICE_STATUSES] as const;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const view = (VIEWS as readonly string[]).includes(url.searchParams.get("status") ?? "") ? (url.searchParams.get("status") as (typeof VIEWS)[number]) : "all";
  const after = url.searchParams.get("after")?.slice(0, 64) ?? null;
  const [page, rules, timeZone] = await Promise.all([listNotices(session.shop, { status: view === "all" ? null : view, after }), delayRules(session.shop), shopTimeZone(session.shop)]);
  return json({
    view,
    rules: { enabled: rules.enabled, triggers: rules.triggers.length },
    timeZone,
    counts: page.counts,
    next: page.next,
    notices: page.notices.map((n) => ({
      id: n.id,
      createdAt: n.createdAt,
      orderName: n.orderName,
      trigger: n.trigger,
      reason: n.reason,
      status: n.status,
      why: n.skipReason ?? n.error,
      language: n.language,
      ticketId: n.ticketId,
      source: n.source,
      email: n.email ? { status: n.email.status, error: n.email.lastError } : null,
    })),
  });
};

const STATUS_BADGES: Record<string, { label: string; tone?: "success" | "critical" | "attention" | "info" }> = {
  queued: { label: "Queued", tone: "info" },
  sending: { label: "Sending", tone: "info" },
  sent: { label: "Sent", tone: "success" },
  skipped: { label: "Skipped" },
  failed: { label: "Failed", tone: "critical" },
};

const EMAIL_STATES: Record<string, string> = { sent: "email delivered to the mail server", queued: "email waiting to be sent", outbox: "email kept in the outbox (no mail server)", failed: "email failed" };

export default function DelayNotices() {
  const data = useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const total = Object.values(data.counts).reduce((a, b) => a + b, 0);
  const tabs = VIEWS.map((v) => ({ id: v, content: v === "all" ? `All (${total})` : `${STATUS_BADGES[v].label} (${data.counts[v as keyof typeof data.counts]})` }));
  return (
    <Page title="Delay notices" subtitle="Shoppers told about late orders before they had to ask" secondaryActions={[{ content: "Rules and wording", url: "/app/delay-notices/rules" }]}>
      <TitleBar title="Delay notices" />
      <BlockStack gap="400">
        {!data.rules.enabled ? (
          <Banner tone="warning" title="Delay notices are switched off" action={{ content: "Open the rules", url: "/app/delay-notices/rules" }}>
            <p>Delays are still logged, as skipped. Switch notices on to tell shoppers.</p>
          </Banner>
        ) : null}
        <Card padding="0">
          <Tabs tabs={tabs} selected={Math.max(0, VIEWS.indexOf(data.view))} onSelect={(i) => setSearchParams(i === 0 ? {} : { status: VIEWS[i] })} />
          {data.notices.length === 0 ? (
            <EmptyState heading={total === 0 ? "No delays yet" : "Nothing here"} image="">
              <p>
                {total === 0
                  ? "When a carrier reports a delay, an order is put on hold or rescheduled, or an order is late to ship, the shopper gets a notice in their language and it is listed here."
                  : "No notices in this view."}
              </p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: "notice", plural: "notices" }}
              itemCount={data.notices.length}
              selectable={false}
              headings={[{ title: "When" }, { title: "Order" }, { title: "What happened" }, { title: "Status" }, { title: "Details" }, { title: "Thread" }]}
            >
              {data.notices.map((n, i) => {
                const badge = STATUS_BADGES[n.status] ?? { label: n.status };
                return (
                  <IndexTable.Row id={n.id} key={n.id} position={i}>
                    <IndexTable.Cell>
                      <DateTime value={n.createdAt} timeZone={data.timeZone} />
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" fontWeight="semibold">
                        {n.orderName}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <BlockStack gap="050">
                        <Text as="span">{TRIGGER_LABELS[n.trigger as DelayTrigger] ?? n.trigger}</Text>
                        <Text as="span" tone="subdued" variant="bodySm">
                          {n.source}
                        </Text>
                      </BlockStack>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Badge tone={badge.tone}>{badge.label}</Badge>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Box maxWidth="360px">
                        <Text as="span" variant="bodySm" tone={n.status === "failed" ? "critical" : undefined} breakWord>
                          {n.why ?? (n.status === "sent" ? `In ${languageName(n.language)}; ${n.email ? (EMAIL_STATES[n.email.status] ?? n.email.status) : "no email"}` : "")}
                          {n.email?.status === "failed" && n.email.error ? ` (${n.email.error})` : ""}
                        </Text>
                      </Box>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{n.ticketId ? <RemixLink to={`/app/inbox/${n.ticketId}`}>Open ticket</RemixLink> : null}</IndexTable.Cell>
                  </IndexTable.Row>
                );
              })}
            </IndexTable>
          )}
        </Card>
        {data.next || searchParams.get("after") ? (
          <InlineStack align="center">
            <Pagination
              hasPrevious={Boolean(searchParams.get("after"))}
              onPrevious={() => setSearchParams(data.view === "all" ? {} : { status: data.view })}
              hasNext={Boolean(data.next)}
              onNext={() => setSearchParams({ ...(data.view === "all" ? {} : { status: data.view }), after: data.next! })}
            />
          </InlineStack>
        ) : null}
      </BlockStack>
    </Page>
  );
}
