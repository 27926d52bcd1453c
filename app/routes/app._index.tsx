import { useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  BlockStack,
  Button,
  EmptyState,
  List,
  Select,
  TextField,
  Card,
  InlineGrid,
  Layout,
  Link,
  Page,
  Text,
  Badge,
  InlineStack,
  Box,
} from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { readInput, refusalBody } from "../services/input.server";
import { ADMIN_API_VERSION } from "../shopify/api-version";
import { ensureShopRecord } from "../models/shop.server";
import { webhookSummaryForShop } from "../models/webhook-event.server";
import { DateTime } from "../components/DateTime";
import { SyncStatusCard } from "../components/SyncStatusCard";
import { bulkProgress, syncOverview } from "../models/sync-run.server";
import { requestFullSync } from "../services/sync/bulk.server";
import { wakeWorker } from "../services/worker.server";
import { checkStorefrontCopy } from "../services/faq/publish.server";
import { z } from "zod";
import { dashboard, periodFromSearch } from "../models/dashboard.server";
import { supportSettings } from "../models/support-settings.server";
import { DashboardView } from "../components/Dashboard";
import { DownloadButton } from "../components/DownloadButton";
import { useSearchParams } from "@remix-run/react";

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * How long after install the first sync counts as on its way before any run is written: Shopify's
 * afterAuth hook starts it, possibly in a request running beside this page's.
 */
const FIRST_SYNC_GRACE_MS = 2 * 60 * 1000;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const [shop, webhooks, sync] = await Promise.all([
    ensureShopRecord(session.shop, admin.graphql, session.scope),
    webhookSummaryForShop(session.shop, new Date(Date.now() - DAY_MS)),
    syncOverview(session.shop),
  ]);
  // The storefront's FAQ lives in Shopify (an app-data metafield): put it back if Shopify lost it.
  await checkStorefrontCopy(session.shop);
  const settings = await supportSettings(session.shop);
  const { period, days } = periodFromSearch(new URL(request.url).searchParams, settings.timeZone);
  const figures = await dashboard(session.shop, period);
  // The app's first open: the install sync is being started beside this request. Show it as
  // starting (the card follows a sync it sees as active) rather than "Not synced yet".
  const firstSyncStarting =
    !sync.active && !sync.lastFullSyncAt && !sync.lastError && Boolean(shop?.installedAt) && Date.now() - new Date(shop!.installedAt).getTime() < FIRST_SYNC_GRACE_MS;
  return json({
    figures,
    days,
    shopDomain: session.shop,
    timeZone: settings.timeZone,
    shop,
    scopes: (session.scope ?? "").split(",").filter(Boolean),
    apiVersion: ADMIN_API_VERSION,
    webhooks,
    sync: {
      ...sync,
      active: sync.active
        ? {
            kind: sync.active.kind,
            phase: sync.active.phase,
            customersTotal: sync.active.customersTotal,
            ordersTotal: sync.active.ordersTotal,
            customersSynced: sync.active.customersSynced,
            ordersSynced: sync.active.ordersSynced,
          }
        : firstSyncStarting
          ? { kind: "bulk", phase: null, customersTotal: null, ordersTotal: null, customersSynced: 0, ordersSynced: 0 }
          : null,
      progress: sync.active ? bulkProgress(sync.active) : firstSyncStarting ? 0 : null,
    },
  });
};

const SyncSchema = z.object({ intent: z.literal("sync") });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const input = await readInput(request, { maxBytes: 512 * 1024 });
  if (!input.ok) return json(refusalBody(input), { status: input.status });
  const parsed = SyncSchema.safeParse(input.fields);
  if (!parsed.success)
    return json({ ok: false, message: "Unknown action." }, { status: 422 });
  const { started } = await requestFullSync(session.shop, "manual");
  wakeWorker();
  return json({
    ok: true,
    message: started
      ? "Sync started: customers, then orders."
      : "A sync is already running.",
  });
};

export default function Home() {
  const { shopDomain, shop, scopes, apiVersion, webhooks, sync, figures, days, timeZone } =
    useLoaderData<typeof loader>();
  return (
    <Page>
      <TitleBar title="Support Desk" />
      <Layout>
        <Layout.Section>
          <DashboardSection figures={figures} days={days} />
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  {shop?.name ?? shopDomain}
                </Text>
                <Badge tone="success">Connected</Badge>
              </InlineStack>
              <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
                <Fact label="Store domain" value={shopDomain} />
                <Fact label="Support email" value={shop?.email ?? "—"} />
                <Fact label="Time zone" value={shop?.ianaTimezone ?? "—"} />
                <Fact label="Currency" value={shop?.currencyCode ?? "—"} />
                <Fact label="Admin API version" value={apiVersion} />
                <Fact
                  label="Access granted"
                  value={scopes.length ? `${scopes.length} scopes` : "—"}
                />
              </InlineGrid>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <SyncStatusCard sync={sync} timeZone={timeZone} />
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Webhooks
                </Text>
                <Text as="p">
                  {webhooks.received} received in the last 24 hours
                  {webhooks.failed > 0 ? `, ${webhooks.failed} failed` : ""}.
                </Text>
                <Text as="p" tone="subdued">
                  Last:{" "}
                  {webhooks.last ? (
                    <>
                      {webhooks.last.topic} at{" "}
                      <DateTime
                        value={webhooks.last.receivedAt}
                        timeZone={timeZone}
                      />
                    </>
                  ) : (
                    "none yet"
                  )}
                </Text>
                <Link url="/app/health">Open system health</Link>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <Box>
      <Text as="p" tone="subdued" variant="bodySm">
        {label}
      </Text>
      <Text as="p">{value}</Text>
    </Box>
  );
}

const PRESET_LABELS: Record<string, string> = { "7": "Last 7 days", "30": "Last 30 days", "90": "Last 90 days", custom: "Custom dates" };

function DashboardSection({ figures, days }: { figures: ReturnType<typeof useLoaderData<typeof loader>>["figures"]; days: number | null }) {
  const [, setSearchParams] = useSearchParams();
  const [custom, setCustom] = useState({ from: figures.period.from, to: figures.period.to });
  const [mode, setMode] = useState(days ? String(days) : "custom");
  const query = days ? `days=${days}` : `from=${figures.period.from}&to=${figures.period.to}`;
  if (!figures.hasTickets) {
    return (
      <Card>
        <EmptyState heading="Your support desk is ready" image="">
          <BlockStack gap="200">
            <Text as="p">Numbers appear here once shoppers write in. To get going:</Text>
            <List type="number">
              <List.Item>
                Turn on the help button in your theme: <em>Online Store → Themes → Customize → App embeds → Support Desk help button</em>.
              </List.Item>
              <List.Item>
                Answer the questions you get most in the <Link url="/app/faq">FAQ</Link>, so shoppers find answers themselves.
              </List.Item>
              <List.Item>
                Set your business hours and the response time you promise in <Link url="/app/settings">Settings</Link>.
              </List.Item>
              <List.Item>
                Check the <Link url="/app/delay-notices/rules">delay notice rules</Link>: shoppers hear about late orders before they ask.
              </List.Item>
            </List>
          </BlockStack>
        </EmptyState>
      </Card>
    );
  }
  return (
    <BlockStack gap="300">
      <InlineStack align="space-between" blockAlign="end" gap="300">
        <InlineStack gap="200" blockAlign="end">
          <Select
            label="Period"
            options={Object.entries(PRESET_LABELS).map(([value, label]) => ({ value, label }))}
            value={mode}
            onChange={(value) => {
              setMode(value);
              if (value !== "custom") setSearchParams({ days: value });
            }}
          />
          {mode === "custom" ? (
            <>
              <TextField label="From" type="date" value={custom.from} onChange={(from) => setCustom((c) => ({ ...c, from }))} autoComplete="off" />
              <TextField label="To" type="date" value={custom.to} onChange={(to) => setCustom((c) => ({ ...c, to }))} autoComplete="off" />
              <Button onClick={() => setSearchParams({ from: custom.from, to: custom.to })}>Show</Button>
            </>
          ) : null}
        </InlineStack>
        <DownloadButton url={`/app/dashboard.csv?${query}`} filename={`support-desk-${figures.period.from}-to-${figures.period.to}.csv`}>
          Export CSV
        </DownloadButton>
      </InlineStack>
      <Text as="p" tone="subdued" variant="bodySm">
        {figures.period.from} – {figures.period.to} ({figures.timeZone}), compared with {figures.previous.from} – {figures.previous.to}.
      </Text>
      <DashboardView data={figures} />
    </BlockStack>
  );
}
