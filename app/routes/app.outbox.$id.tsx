import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { isRouteErrorResponse, Link as RemixLink, useLoaderData, useRouteError } from "@remix-run/react";
import { Badge, BlockStack, Box, Card, EmptyState, InlineGrid, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { outboundEmailForShop } from "../models/outbound-email.server";
import { shopTimeZone } from "../models/shop-time-zone.server";
import { DateTime } from "../components/DateTime";
import { emailPurpose, emailStatusBadge } from "../components/email-labels";
import { env } from "../env.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = params.id ?? "";
  const email = id.length <= 64 ? await outboundEmailForShop(session.shop, id) : null;
  if (!email) throw json({ message: "Email not found" }, { status: 404 });
  const timeZone = await shopTimeZone(session.shop);
  // The HTML part is the escaped text; the page shows the text, never the HTML as markup.
  const { html: _html, ...shown } = email;
  return json({ email: shown, timeZone, bodyDays: env().RETENTION_EMAIL_BODY_DAYS });
};

export default function OutboundEmailPage() {
  const { email, timeZone, bodyDays } = useLoaderData<typeof loader>();
  const badge = emailStatusBadge(email.status);
  const headers: [string, string | null][] = [
    ["From", email.fromAddress],
    ["To", email.toAddress],
    ["Reply-To", email.replyTo],
    ["Subject", email.subject],
    ["Message-ID", email.messageId],
    ["In-Reply-To", email.inReplyTo],
    ["Language", email.language],
    // Only emails that carry a data request's export have an attachment.
    ...(email.dataRequestId
      ? ([["Attachment", "The customer's data export (JSON), read from the request when sent"]] as [string, string][])
      : []),
  ];
  return (
    <Page backAction={{ content: "Email", url: "/app/outbox" }} title={email.subject} titleMetadata={<Badge tone={badge.tone}>{badge.label}</Badge>}>
      <TitleBar title="Email" />
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="200">
            {headers.map(([name, value]) => (
              <InlineGrid key={name} columns={["oneThird", "twoThirds"]} gap="200">
                <Text as="span" tone="subdued">
                  {name}
                </Text>
                <Text as="span" breakWord>
                  {value || "—"}
                </Text>
              </InlineGrid>
            ))}
            <InlineGrid columns={["oneThird", "twoThirds"]} gap="200">
              <Text as="span" tone="subdued">
                Kind
              </Text>
              <Text as="span">{emailPurpose(email.purpose)}</Text>
            </InlineGrid>
            <InlineGrid columns={["oneThird", "twoThirds"]} gap="200">
              <Text as="span" tone="subdued">
                Written / sent
              </Text>
              <Text as="span">
                <DateTime value={email.createdAt} timeZone={timeZone} /> / {email.sentAt ? <DateTime value={email.sentAt} timeZone={timeZone} /> : "not yet"}
                {email.attempts > 0 ? ` (${email.attempts} ${email.attempts === 1 ? "try" : "tries"})` : ""}
              </Text>
            </InlineGrid>
            {email.lastError ? (
              <Text as="p" tone="critical" breakWord>
                Last error: {email.lastError}
              </Text>
            ) : null}
            {email.ticketId ? <RemixLink to={`/app/inbox/${email.ticketId}`}>Open the ticket</RemixLink> : null}
          </BlockStack>
        </Card>
        <Card>
          <Box>
            {email.bodyPrunedAt ? (
              <Text as="p" tone="subdued">
                The text of this email was deleted on{" "}
                <DateTime value={email.bodyPrunedAt} timeZone={timeZone} />: sent emails keep their text for {bodyDays}{" "}
                days. A reply written on a ticket is still on the ticket's thread.
              </Text>
            ) : (
              <pre style={{ whiteSpace: "pre-wrap", wordBreak: "break-word", margin: 0, fontFamily: "inherit" }}>
                {email.text}
              </pre>
            )}
          </Box>
        </Card>
      </BlockStack>
    </Page>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <Page backAction={{ content: "Email", url: "/app/outbox" }} title="Email not found">
        <Card>
          <EmptyState heading="This email is not in your outbox" image="" action={{ content: "All email", url: "/app/outbox" }}>
            <p>It may have been erased at the customer's request.</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  throw error;
}
