import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link as RemixLink, useLoaderData, useNavigate } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, EmptyState, IndexTable, Page, Tabs, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { z } from "zod";
import { authenticate } from "../shopify.server";
import { outboundEmails } from "../models/outbound-email.server";
import { shopTimeZone } from "../models/shop-time-zone.server";
import { env } from "../env.server";
import { DateTime } from "../components/DateTime";
import { EMAIL_FILTERS, emailPurpose, emailStatusBadge } from "../components/email-labels";

const Params = z.object({ status: z.enum(EMAIL_FILTERS).catch("all") });

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { status } = Params.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [emails, timeZone] = await Promise.all([
    outboundEmails(session.shop, { status: status === "all" ? undefined : [status], take: 100 }),
    shopTimeZone(session.shop),
  ]);
  return json({
    status,
    emails: emails.map((e) => ({ id: e.id, ticketId: e.ticketId, purpose: e.purpose, toAddress: e.toAddress, subject: e.subject, status: e.status, createdAt: e.createdAt, sentAt: e.sentAt, lastError: e.lastError })),
    smtpConfigured: Boolean(env().SMTP_URL),
    timeZone,
  });
};

const TAB_LABELS: Record<(typeof EMAIL_FILTERS)[number], string> = { all: "All", outbox: "In outbox", queued: "Waiting", sent: "Sent", failed: "Failed" };

export default function Outbox() {
  const { status, emails, smtpConfigured, timeZone } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  return (
    <Page title="Email">
      <TitleBar title="Email" />
      <BlockStack gap="400">
        {!smtpConfigured ? (
          <Banner tone="info" title="No mail server is set (SMTP_URL)">
            <p>Emails are kept here and not sent. Set SMTP_URL and restart the app to send them.</p>
          </Banner>
        ) : null}
        <Card padding="0">
          <Tabs
            tabs={EMAIL_FILTERS.map((f) => ({ id: f, content: TAB_LABELS[f] }))}
            selected={EMAIL_FILTERS.indexOf(status)}
            onSelect={(i) => navigate(EMAIL_FILTERS[i] === "all" ? "/app/outbox" : `/app/outbox?status=${EMAIL_FILTERS[i]}`)}
          />
          <IndexTable
            resourceName={{ singular: "email", plural: "emails" }}
            itemCount={emails.length}
            selectable={false}
            emptyState={
              <EmptyState heading="No emails here" image="">
                <p>Replies and acknowledgements to shoppers are listed here as they are sent.</p>
              </EmptyState>
            }
            headings={[{ title: "Subject" }, { title: "To" }, { title: "Kind" }, { title: "Status" }, { title: "Written" }, { title: "Ticket" }]}
          >
            {emails.map((email, index) => {
              const badge = emailStatusBadge(email.status);
              return (
                <IndexTable.Row id={email.id} key={email.id} position={index}>
                  <IndexTable.Cell>
                    <RemixLink to={`/app/outbox/${email.id}`}>
                      <Text as="span" fontWeight="semibold">
                        {email.subject}
                      </Text>
                    </RemixLink>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{email.toAddress || "—"}</IndexTable.Cell>
                  <IndexTable.Cell>{emailPurpose(email.purpose)}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Badge tone={badge.tone}>{badge.label}</Badge>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <DateTime value={email.createdAt} timeZone={timeZone} />
                  </IndexTable.Cell>
                  <IndexTable.Cell>{email.ticketId ? <RemixLink to={`/app/inbox/${email.ticketId}`}>Open ticket</RemixLink> : "—"}</IndexTable.Cell>
                </IndexTable.Row>
              );
            })}
          </IndexTable>
        </Card>
      </BlockStack>
    </Page>
  );
}
