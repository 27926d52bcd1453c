import { useEffect } from "react";
import { useFetcher, useRevalidator } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Button, Card, InlineStack, Link, ProgressBar, Text } from "@shopify/polaris";
import { DateTime } from "./DateTime";

export interface SyncCardData {
  customers: number;
  orders: number;
  lastFullSyncAt: string | null;
  lastReconciledAt: string | null;
  active: {
    kind: string;
    phase: string | null;
    customersTotal: number | null;
    ordersTotal: number | null;
    customersSynced: number;
    ordersSynced: number;
  } | null;
  progress: number | null;
  lastError: { message: string | null; at: string | null } | null;
}

const REFRESH_MS = 2000;
const count = new Intl.NumberFormat("en");

function activeLine(active: NonNullable<SyncCardData["active"]>): string {
  if (active.phase === "orders") {
    return active.ordersTotal ? `Syncing orders… ${count.format(active.ordersSynced)} of ${count.format(active.ordersTotal)}` : "Syncing orders…";
  }
  if (active.phase === "customers") {
    return active.customersTotal
      ? `Syncing customers… ${count.format(active.customersSynced)} of ${count.format(active.customersTotal)}`
      : "Syncing customers…";
  }
  return "Starting the sync with Shopify…";
}

/** What the app holds of the shop's customers and orders, and the sync that keeps it current. */
export function SyncStatusCard({ sync, timeZone }: { sync: SyncCardData; timeZone: string }) {
  const fetcher = useFetcher<{ ok: boolean; message: string }>();
  const revalidator = useRevalidator();
  const shopify = useAppBridge();
  const running = Boolean(sync.active) || fetcher.state !== "idle";

  // While a full sync runs, follow it.
  useEffect(() => {
    if (!sync.active) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [sync.active, revalidator]);

  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.message) shopify.toast.show(fetcher.data.message, { isError: !fetcher.data.ok });
  }, [fetcher.state, fetcher.data, shopify]);

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Customers and orders
        </Text>
        <Text as="p">
          {count.format(sync.customers)} customers · {count.format(sync.orders)} orders
        </Text>
        {sync.active && (
          <BlockStack gap="100">
            <ProgressBar progress={Math.round((sync.progress ?? 0) * 100)} size="small" tone="highlight" />
            <Text as="p" tone="subdued" variant="bodySm">
              {activeLine(sync.active)}
            </Text>
          </BlockStack>
        )}
        <Text as="p" tone="subdued" variant="bodySm">
          {sync.lastFullSyncAt ? (
            <>
              Last full sync <DateTime value={sync.lastFullSyncAt} timeZone={timeZone} />
            </>
          ) : (
            "Not synced yet"
          )}
          {sync.lastReconciledAt ? (
            <>
              {" · "}changes checked <DateTime value={sync.lastReconciledAt} timeZone={timeZone} />
            </>
          ) : null}
        </Text>
        {sync.lastError && (
          <Banner tone="critical" title="The last sync did not finish">
            <p>{sync.lastError.message ?? "The sync stopped without saying why."}</p>
          </Banner>
        )}
        <InlineStack gap="300" blockAlign="center">
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="sync" />
            <Button submit loading={fetcher.state !== "idle"} disabled={running}>
              {sync.active ? "Syncing…" : "Sync now"}
            </Button>
          </fetcher.Form>
          <Link url="/app/customers">View customers</Link>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
