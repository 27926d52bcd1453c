import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Card, EmptyState, IndexTable, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { recentWebhooksForShop } from "../models/webhook-event.server";
import { shopRecord } from "../models/shop.server";
import { DateTime } from "../components/DateTime";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [deliveries, shop] = await Promise.all([recentWebhooksForShop(session.shop), shopRecord(session.shop)]);
  return json({ deliveries, timeZone: shop?.ianaTimezone ?? null });
};

const STATUS_TONE = { processed: "success", failed: "critical", received: "info" } as const;

export default function SystemHealth() {
  const { deliveries, timeZone } = useLoaderData<typeof loader>();
  return (
    <Page>
      <TitleBar title="System health" />
      <Card padding="0">
        {deliveries.length === 0 ? (
          <EmptyState heading="No webhook deliveries yet" image="">
            <p>Deliveries from Shopify appear here as they arrive, with anything that failed.</p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: "delivery", plural: "deliveries" }}
            itemCount={deliveries.length}
            selectable={false}
            headings={[{ title: "Topic" }, { title: "Received" }, { title: "Status" }, { title: "Event" }]}
          >
            {deliveries.map((d, index) => (
              <IndexTable.Row id={d.id} key={d.id} position={index}>
                <IndexTable.Cell>
                  <Text as="span" fontWeight="semibold">
                    {d.topic}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <DateTime value={d.receivedAt} timeZone={timeZone} />
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Badge tone={STATUS_TONE[d.status as keyof typeof STATUS_TONE] ?? "info"}>{d.status}</Badge>
                  {d.error ? (
                    <Text as="p" tone="critical" variant="bodySm">
                      {d.error}
                    </Text>
                  ) : null}
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" tone="subdued" variant="bodySm">
                    {d.eventId}
                  </Text>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
    </Page>
  );
}
