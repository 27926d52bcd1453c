import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, EmptyState, IndexTable, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { dataRequestsForShop } from "../models/data-request.server";
import { shopTimeZone } from "../models/shop-time-zone.server";
import { DateTime } from "../components/DateTime";
import { DownloadButton } from "../components/DownloadButton";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [requests, timeZone] = await Promise.all([dataRequestsForShop(session.shop), shopTimeZone(session.shop)]);
  return json({ requests, timeZone });
};

const STATUS = {
  ready: { tone: "success", label: "Export ready to download" },
  pending: { tone: "attention", label: "Being assembled" },
  redacted: { tone: "info", label: "Customer redacted" },
} as const;

export default function PrivacyRequests() {
  const { requests, timeZone } = useLoaderData<typeof loader>();
  return (
    <Page>
      <TitleBar title="Privacy requests" />
      <BlockStack gap="400">
        <Text as="p" tone="subdued">
          When a customer asks for their data, Shopify tells the app and the app assembles everything it holds on them
          here. Download the export and send it to the customer. Erasure requests are carried out automatically.
        </Text>
        <Card padding="0">
          {requests.length === 0 ? (
            <EmptyState heading="No data requests" image="">
              <p>Customer data requests made through Shopify appear here with an export ready to download.</p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: "request", plural: "requests" }}
              itemCount={requests.length}
              selectable={false}
              headings={[{ title: "Requested" }, { title: "Customer" }, { title: "Status" }, { title: "Export" }]}
            >
              {requests.map((r, index) => {
                const status = STATUS[r.status as keyof typeof STATUS] ?? { tone: "info", label: r.status };
                return (
                  <IndexTable.Row id={r.id} key={r.id} position={index}>
                    <IndexTable.Cell>
                      <DateTime value={r.requestedAt} timeZone={timeZone} />
                    </IndexTable.Cell>
                    <IndexTable.Cell>{r.email ?? (r.customerId ? `Customer ${r.customerId}` : "—")}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Badge tone={status.tone}>{status.label}</Badge>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      {r.status === "ready" ? (
                        <DownloadButton url={`/app/privacy/${r.id}/export`} filename={`data-request-${r.id}.json`}>
                          Download JSON
                        </DownloadButton>
                      ) : (
                        "—"
                      )}
                    </IndexTable.Cell>
                  </IndexTable.Row>
                );
              })}
            </IndexTable>
          )}
        </Card>
      </BlockStack>
    </Page>
  );
}
