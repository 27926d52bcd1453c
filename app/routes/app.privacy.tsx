import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, EmptyState, IndexTable, InlineStack, Page, Text } from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { useEffect } from "react";
import { z } from "zod";
import { authenticate } from "../shopify.server";
import { dataRequestsForShop } from "../models/data-request.server";
import { outboundEmailsByIds } from "../models/outbound-email.server";
import { shopTimeZone } from "../models/shop-time-zone.server";
import { currentStaff } from "../models/staff.server";
import { readInput, refusalBody } from "../services/input.server";
import { emailExportToCustomer, markExportDelivered, retryExportEmail } from "../services/privacy/delivery.server";
import { exportFileName } from "../services/privacy/export-email";
import { DateTime } from "../components/DateTime";
import { DownloadButton } from "../components/DownloadButton";
import { deliveryView } from "../components/privacy-delivery";
import privacyStyles from "../styles/privacy.css?url";

export const links = () => [{ rel: "stylesheet", href: privacyStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [requests, timeZone] = await Promise.all([dataRequestsForShop(session.shop), shopTimeZone(session.shop)]);
  const emailIds = requests.map((r) => r.deliveryEmailId).filter((id): id is string => Boolean(id));
  const emails = await outboundEmailsByIds(session.shop, emailIds);
  return json({
    requests: requests.map((r) => ({ ...r, fileName: exportFileName(r.id, r.requestedAt) })),
    emails: emails.map((e) => ({ id: e.id, status: e.status, lastError: e.lastError })),
    timeZone,
  });
};

const Id = z.string().trim().min(1).max(64);
const ActionSchema = z.discriminatedUnion("intent", [
  // `expected`: the delivery email the page showed ("" for none), so a repeated click sends nothing more.
  z.object({ intent: z.literal("email"), id: Id, expected: z.string().trim().max(64).default("") }),
  z.object({ intent: z.literal("retry"), id: Id, emailId: Id }),
  z.object({ intent: z.literal("delivered"), id: Id }),
]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const input = await readInput(request, { maxBytes: 16 * 1024 });
  if (!input.ok) return json(refusalBody(input), { status: input.status });
  const parsed = ActionSchema.safeParse(input.fields);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? "form");
    return json(
      { ok: false, message: "Choose a data request and what to do with it.", errors: { [field]: "invalid" } },
      { status: 422 },
    );
  }
  const shop = session.shop;
  const staff = await currentStaff(request, shop, sessionToken);
  const form = parsed.data;
  const outcome =
    form.intent === "email"
      ? await emailExportToCustomer(shop, form.id, staff, form.expected || null)
      : form.intent === "retry"
      ? await retryExportEmail(shop, form.id, form.emailId)
      : await markExportDelivered(shop, form.id, staff);
  if (!outcome.ok) {
    return json(
      { ok: false, message: outcome.message, errors: { [outcome.field ?? "form"]: outcome.message } },
      { status: outcome.status },
    );
  }
  return json({ ok: true, message: outcome.message, errors: {} });
};

/** How often the page looks again while an email is on its way. */
const FOLLOW_MS = 2_000;

type Request = ReturnType<typeof useLoaderData<typeof loader>>["requests"][number];

export default function PrivacyRequests() {
  const { requests, emails, timeZone } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const emailById = new Map(emails.map((e) => [e.id, e]));
  const views = requests.map((r) => ({
    request: r,
    view: deliveryView(r, r.deliveryEmailId ? emailById.get(r.deliveryEmailId) ?? null : null, timeZone),
  }));
  const following = views.some((v) => v.view.inFlight);

  useEffect(() => {
    if (!following) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, FOLLOW_MS);
    return () => clearInterval(timer);
  }, [following, revalidator]);

  return (
    <Page>
      <TitleBar title="Privacy requests" />
      <BlockStack gap="400">
        <Text as="p" tone="subdued">
          When a customer asks for their data, Shopify tells the app and the app assembles everything it holds on them
          here. Email the export to the customer (it goes as an attached file with a summary), or download it, deliver
          it another way and mark it as delivered. Erasure requests are carried out automatically.
        </Text>
        <Card padding="0">
          {requests.length === 0 ? (
            <EmptyState heading="No data requests" image="">
              <p>Customer data requests made through Shopify appear here with an export ready to deliver.</p>
            </EmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: "request", plural: "requests" }}
              itemCount={requests.length}
              selectable={false}
              headings={[{ title: "Requested" }, { title: "Customer" }, { title: "Status" }, { title: "Delivery" }]}
            >
              {views.map(({ request: r, view }, index) => (
                <IndexTable.Row id={r.id} key={r.id} position={index}>
                  <IndexTable.Cell>
                    <DateTime value={r.requestedAt} timeZone={timeZone} />
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <div className="sd-privacy-text">
                      {r.email ?? (r.customerId ? `Customer ${r.customerId}` : "—")}
                    </div>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <div className="sd-privacy-text">
                      <BlockStack gap="100">
                        <InlineStack>
                          <Badge tone={view.badge.tone}>{view.badge.label}</Badge>
                        </InlineStack>
                        {view.detail ? (
                          <Text as="p" variant="bodySm" tone="subdued">
                            {view.detail}
                          </Text>
                        ) : null}
                        {view.error ? (
                          <Text as="p" variant="bodySm" tone="critical" breakWord>
                            {view.error}
                          </Text>
                        ) : null}
                        {view.previous ? (
                          <Text as="p" variant="bodySm" tone="subdued">
                            {`Earlier: ${view.previous}`}
                          </Text>
                        ) : null}
                      </BlockStack>
                    </div>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{view.email ? <DeliveryActions request={r} view={view} /> : "—"}</IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </Card>
      </BlockStack>
    </Page>
  );
}

/** Download, email (or again), retry, mark as delivered: each a form of its own, answered with a toast. */
function DeliveryActions({ request, view }: { request: Request; view: ReturnType<typeof deliveryView> }) {
  const fetcher = useFetcher<typeof action>();
  const shopify = useAppBridge();
  const busy = fetcher.state !== "idle";
  const intent = fetcher.formData?.get("intent");
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.message)
      shopify.toast.show(fetcher.data.message, { isError: !fetcher.data.ok });
  }, [fetcher.state, fetcher.data, shopify]);
  const email = view.email!;
  const reasonId = `delivery-reason-${request.id}`;
  const submit = (fields: Record<string, string>) => fetcher.submit({ id: request.id, ...fields }, { method: "post" });
  return (
    <BlockStack gap="200" inlineAlign="start">
      <InlineStack gap="200" blockAlign="center">
        <Button
          onClick={() => submit({ intent: "email", expected: email.expected })}
          disabled={Boolean(email.disabledReason) || busy}
          loading={busy && intent === "email"}
          ariaDescribedBy={email.disabledReason ? reasonId : undefined}
        >
          {email.label}
        </Button>
        {view.retryEmailId ? (
          <Button
            onClick={() => submit({ intent: "retry", emailId: view.retryEmailId! })}
            disabled={busy}
            loading={busy && intent === "retry"}
          >
            Retry now
          </Button>
        ) : null}
      </InlineStack>
      <InlineStack gap="300" blockAlign="center">
        <DownloadButton url={`/app/privacy/${request.id}/export`} filename={request.fileName}>
          Download JSON
        </DownloadButton>
        {view.markDelivered ? (
          <Button
            variant="plain"
            onClick={() => submit({ intent: "delivered" })}
            disabled={busy}
            loading={busy && intent === "delivered"}
          >
            Mark as delivered
          </Button>
        ) : null}
      </InlineStack>
      {email.disabledReason ? (
        <div className="sd-privacy-text">
          <Text as="p" id={reasonId} variant="bodySm" tone="subdued">
            {email.disabledReason}
          </Text>
        </div>
      ) : null}
      {fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? (
        <div className="sd-privacy-text">
          <Text as="p" variant="bodySm" tone="critical">
            {fetcher.data.message}
          </Text>
        </div>
      ) : null}
    </BlockStack>
  );
}
