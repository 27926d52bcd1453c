import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  BlockStack,
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
import { ADMIN_API_VERSION } from "../shopify/api-version";
import { ensureShopRecord } from "../models/shop.server";
import { webhookSummaryForShop } from "../models/webhook-event.server";
import { DateTime } from "../components/DateTime";
import { SyncStatusCard } from "../components/SyncStatusCard";
import { bulkProgress, syncOverview } from "../models/sync-run.server";
import { requestFullSync } from "../services/sync/bulk.server";
import { wakeWorker } from "../services/worker.server";
import { z } from "zod";

const DAY_MS = 24 * 60 * 60 * 1000;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const [shop, webhooks, sync] = await Promise.all([
    ensureShopRecord(session.shop, admin.graphql, session.scope),
    webhookSummaryForShop(session.shop, new Date(Date.now() - DAY_MS)),
    syncOverview(session.shop),
  ]);
  return json({
    shopDomain: session.shop,
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
        : null,
      progress: sync.active ? bulkProgress(sync.active) : null,
    },
  });
};

const SyncSchema = z.object({ intent: z.literal("sync") });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const parsed = SyncSchema.safeParse(
    Object.fromEntries(await request.formData())
  );
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
  const { shopDomain, shop, scopes, apiVersion, webhooks, sync } =
    useLoaderData<typeof loader>();
  return (
    <Page>
      <TitleBar title="Support Desk" />
      <Layout>
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
            <SyncStatusCard sync={sync} timeZone={shop?.ianaTimezone ?? null} />
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
                        timeZone={shop?.ianaTimezone}
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
