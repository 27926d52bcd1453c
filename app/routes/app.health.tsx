import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, EmptyState, IndexTable, InlineStack, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { z } from "zod";
import { authenticate } from "../shopify.server";
import { readInput, refusalBody } from "../services/input.server";
import { recentWebhooksForShop } from "../models/webhook-event.server";
import { jobCountsForShop, jobsForShop, retryJobNow } from "../models/job.server";
import { shopTimeZone } from "../models/shop-time-zone.server";
import { DateTime } from "../components/DateTime";
import { wakeWorker } from "../services/worker.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [deliveries, failedJobs, counts, timeZone] = await Promise.all([
    recentWebhooksForShop(session.shop),
    jobsForShop(session.shop, { status: ["dead"], take: 50 }),
    jobCountsForShop(session.shop),
    shopTimeZone(session.shop),
  ]);
  return json({
    deliveries,
    failedJobs: failedJobs.map((job) => ({
      id: job.id,
      kind: job.kind,
      attempts: job.attempts,
      lastError: job.lastError,
      updatedAt: job.updatedAt,
    })),
    counts,
    timeZone,
  });
};

const RetrySchema = z.object({ intent: z.literal("retry"), jobId: z.string().min(1).max(100) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const input = await readInput(request, { maxBytes: 512 * 1024 });
  if (!input.ok) return json(refusalBody(input), { status: input.status });
  const parsed = RetrySchema.safeParse(input.fields);
  if (!parsed.success) return json({ ok: false, error: "Choose a failed job to retry." }, { status: 422 });
  const retried = await retryJobNow(session.shop, parsed.data.jobId);
  if (!retried) return json({ ok: false, error: "That job no longer exists." }, { status: 404 });
  wakeWorker();
  return json({ ok: true, error: null });
};

const DELIVERY_TONE = { processed: "success", failed: "critical", received: "info" } as const;
const JOB_LABELS: Record<string, string> = {
  "webhook.process": "Process webhook",
  "webhook.compliance": "Privacy request",
  "sync.bulk.start": "Start full sync",
  "sync.bulk.poll": "Follow full sync",
  "sync.bulk.ingest": "Import full sync",
  "sync.reconcile": "Catch up on changes",
  "email.send": "Send email",
};

export default function SystemHealth() {
  const { deliveries, failedJobs, counts, timeZone } = useLoaderData<typeof loader>();
  return (
    <Page>
      <TitleBar title="System health" />
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              Background work
            </Text>
            <InlineStack gap="300">
              <Badge tone={(counts.queued ?? 0) > 0 ? "info" : undefined}>{`${counts.queued ?? 0} waiting`}</Badge>
              <Badge tone={(counts.running ?? 0) > 0 ? "info" : undefined}>{`${counts.running ?? 0} running`}</Badge>
              <Badge tone="success">{`${counts.succeeded ?? 0} done`}</Badge>
              <Badge tone={(counts.dead ?? 0) > 0 ? "critical" : "success"}>{`${counts.dead ?? 0} failed`}</Badge>
            </InlineStack>
            <Text as="p" tone="subdued">
              Work that fails is retried with growing pauses; after its last try it is listed below to retry by hand.
            </Text>
          </BlockStack>
        </Card>

        {failedJobs.length > 0 && (
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: "failed job", plural: "failed jobs" }}
              itemCount={failedJobs.length}
              selectable={false}
              headings={[{ title: "Failed work" }, { title: "Last try" }, { title: "Error" }, { title: "" }]}
            >
              {failedJobs.map((job, index) => (
                <IndexTable.Row id={job.id} key={job.id} position={index}>
                  <IndexTable.Cell>
                    <Text as="span" fontWeight="semibold">
                      {JOB_LABELS[job.kind] ?? job.kind}
                    </Text>
                    <Text as="p" tone="subdued" variant="bodySm">
                      {`${job.attempts} tries`}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <DateTime value={job.updatedAt} timeZone={timeZone} />
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" tone="critical" variant="bodySm" breakWord>
                      {job.lastError ?? "—"}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <RetryButton jobId={job.id} />
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </Card>
        )}

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
              headings={[{ title: "Webhook" }, { title: "Received" }, { title: "Status" }, { title: "Event" }]}
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
                    <Badge tone={DELIVERY_TONE[d.status as keyof typeof DELIVERY_TONE] ?? "info"}>{d.status}</Badge>
                    {d.error ? (
                      <Text as="p" tone="critical" variant="bodySm" breakWord>
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
      </BlockStack>
    </Page>
  );
}

function RetryButton({ jobId }: { jobId: string }) {
  const fetcher = useFetcher<typeof action>();
  const busy = fetcher.state !== "idle";
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="retry" />
      <input type="hidden" name="jobId" value={jobId} />
      <BlockStack gap="100">
        <Button submit loading={busy}>
          Retry now
        </Button>
        {fetcher.data?.error ? (
          <Text as="p" tone="critical" variant="bodySm">
            {fetcher.data.error}
          </Text>
        ) : null}
      </BlockStack>
    </fetcher.Form>
  );
}
