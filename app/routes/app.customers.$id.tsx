import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link as RemixLink, isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { Badge, BlockStack, Box, Card, Divider, EmptyState, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { customerForShop } from "../models/customer.server";
import { ticketsForCustomer } from "../models/ticket.server";
import { shopRecord } from "../models/shop.server";
import { shopTimeZone } from "../models/shop-time-zone.server";
import { DateTime } from "../components/DateTime";
import { holdReason, languageName, marketingLabel, statusBadge } from "../components/labels";
import { ticketStatusBadge } from "../components/ticket-labels";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = params.id ?? "";
  const found = id.length > 0 && id.length <= 64 ? await customerForShop(session.shop, id) : null;
  if (!found) throw json({ message: "Customer not found" }, { status: 404 });
  const [shop, timeZone, tickets] = await Promise.all([shopRecord(session.shop), shopTimeZone(session.shop), ticketsForCustomer(session.shop, found.customer)]);
  return json({ ...found, tickets, timeZone, shopCurrency: shop?.currencyCode ?? null });
};

function money(amount: string | null, currency: string | null): string {
  if (!amount) return "—";
  const value = Number(amount);
  if (!Number.isFinite(value)) return amount;
  if (!currency) return value.toFixed(2);
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).format(value);
  } catch {
    return `${value.toFixed(2)} ${currency}`;
  }
}

export default function CustomerPage() {
  const { customer, orders, ordersShown, tickets, timeZone, shopCurrency } = useLoaderData<typeof loader>();
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email || "Customer without a name";
  const marketing = marketingLabel(customer.emailMarketingState);
  const tags = customer.tags
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  // Shopify reports the amount spent in the shop's currency.
  const currency = shopCurrency ?? orders.find((o) => o.currencyCode)?.currencyCode ?? null;

  return (
    <Page
      backAction={{ content: "Customers", url: "/app/customers" }}
      title={name}
      primaryAction={{ content: "New ticket", url: newTicketUrl(customer) }}
    >
      <TitleBar title={name} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Text as="h2" variant="headingMd">
              Orders
            </Text>
            {orders.length === 0 ? (
              <Card>
                <Text as="p" tone="subdued">
                  No orders synced for this customer.
                </Text>
              </Card>
            ) : (
              orders.map((order) => <OrderCard key={order.id} order={order} timeZone={timeZone} />)
            )}
            {orders.length >= ordersShown && (
              <Text as="p" tone="subdued">
                The {ordersShown} most recent orders are shown.
              </Text>
            )}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <TicketsCard tickets={tickets} timeZone={timeZone} newTicket={newTicketUrl(customer)} />
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Profile
                </Text>
                <Fact label="Email" value={customer.email ?? "—"} />
                <Fact label="Phone" value={customer.phone ?? "—"} />
                <Fact label="Language" value={languageName(customer.locale)} />
                <Fact label="Orders" value={String(customer.numberOfOrders)} />
                <Fact label="Amount spent" value={money(customer.amountSpent, currency)} />
                <Box>
                  <Text as="p" tone="subdued" variant="bodySm">
                    Customer since
                  </Text>
                  <Text as="p">
                    <DateTime value={customer.shopifyCreatedAt} timeZone={timeZone} />
                  </Text>
                </Box>
                {tags.length > 0 && (
                  <InlineStack gap="100">
                    {tags.map((tag) => (
                      <Badge key={tag}>{tag}</Badge>
                    ))}
                  </InlineStack>
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Marketing consent
                </Text>
                <InlineStack gap="200" blockAlign="center">
                  <Text as="span">Email</Text>
                  <Badge tone={marketing.tone}>{marketing.label}</Badge>
                </InlineStack>
                {customer.emailConsentUpdatedAt && (
                  <Text as="p" tone="subdued" variant="bodySm">
                    Updated <DateTime value={customer.emailConsentUpdatedAt} timeZone={timeZone} />
                  </Text>
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

/** The new-ticket form with this customer filled in. */
function newTicketUrl(customer: Loaded["customer"]): string {
  const params = new URLSearchParams();
  if (customer.email) params.set("customerEmail", customer.email);
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ");
  if (name) params.set("customerName", name);
  const query = params.toString();
  return query ? `/app/inbox/new?${query}` : "/app/inbox/new";
}

function TicketsCard({ tickets, timeZone, newTicket }: { tickets: Loaded["tickets"]; timeZone: string; newTicket: string }) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Tickets
          </Text>
          <RemixLink to={newTicket}>New ticket</RemixLink>
        </InlineStack>
        {tickets.length === 0 ? (
          <Text as="p" tone="subdued">
            No tickets from this customer yet.
          </Text>
        ) : (
          <BlockStack gap="200">
            {tickets.map((t) => {
              const status = ticketStatusBadge(t.status);
              return (
                <BlockStack gap="050" key={t.id}>
                  <InlineStack gap="200" blockAlign="center" wrap={false}>
                    <Badge tone={status.tone}>{status.label}</Badge>
                    <RemixLink to={`/app/inbox/${t.id}`}>
                      <Text as="span" truncate>
                        #{t.number} {t.subject}
                      </Text>
                    </RemixLink>
                  </InlineStack>
                  <Text as="p" tone="subdued" variant="bodySm">
                    Updated <DateTime value={t.lastMessageAt} timeZone={timeZone} />
                  </Text>
                </BlockStack>
              );
            })}
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}

function OrderCard({ order, timeZone }: { order: Loaded["orders"][number]; timeZone: string }) {
  const financial = statusBadge(order.financialStatus);
  const fulfillment = statusBadge(order.fulfillmentStatus ?? "UNFULFILLED");
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h3" variant="headingSm">
              {order.name}
            </Text>
            {order.cancelledAt ? <Badge tone="critical">Cancelled</Badge> : null}
            <Badge tone={financial.tone}>{financial.label}</Badge>
            <Badge tone={fulfillment.tone}>{fulfillment.label}</Badge>
          </InlineStack>
          <Text as="span" tone="subdued">
            <DateTime value={order.processedAt} timeZone={timeZone} /> · {money(order.totalPrice, order.currencyCode)}
          </Text>
        </InlineStack>
        {order.lineItems.length > 0 && (
          <BlockStack gap="100">
            {order.lineItems.map((item) => (
              <Text as="p" key={item.id}>
                {item.title}
                {item.variantTitle ? ` — ${item.variantTitle}` : ""} × {item.quantity}
              </Text>
            ))}
          </BlockStack>
        )}
        {order.fulfillmentOrders.map((fo) => {
          const badge = statusBadge(fo.status);
          return (
            <Box key={fo.id}>
              <InlineStack gap="200" blockAlign="center">
                <Text as="span" variant="bodySm" tone="subdued">
                  Fulfillment order
                </Text>
                <Badge tone={badge.tone}>{badge.label}</Badge>
                {fo.fulfillBy && (
                  <Text as="span" variant="bodySm" tone="subdued">
                    Ship by <DateTime value={fo.fulfillBy} timeZone={timeZone} />
                  </Text>
                )}
                {fo.fulfillAt && fo.status === "SCHEDULED" && (
                  <Text as="span" variant="bodySm" tone="subdued">
                    Scheduled for <DateTime value={fo.fulfillAt} timeZone={timeZone} />
                  </Text>
                )}
              </InlineStack>
              {fo.holds.map((hold, index) => (
                <Text as="p" key={index} tone="caution">
                  On hold: {holdReason(hold.reason)}
                  {hold.reasonNotes ? ` — ${hold.reasonNotes}` : ""}
                </Text>
              ))}
            </Box>
          );
        })}
        {order.fulfillments.length > 0 && <Divider />}
        {order.fulfillments.map((f) => {
          const badge = statusBadge(f.displayStatus ?? f.status);
          return (
            <BlockStack gap="100" key={f.id}>
              <InlineStack gap="200" blockAlign="center">
                <Text as="span" fontWeight="semibold">
                  {f.name ?? "Shipment"}
                </Text>
                <Badge tone={badge.tone}>{badge.label}</Badge>
                {f.deliveredAt ? (
                  <Text as="span" variant="bodySm" tone="subdued">
                    Delivered <DateTime value={f.deliveredAt} timeZone={timeZone} />
                  </Text>
                ) : f.estimatedDeliveryAt ? (
                  <Text as="span" variant="bodySm" tone="subdued">
                    Expected <DateTime value={f.estimatedDeliveryAt} timeZone={timeZone} />
                  </Text>
                ) : null}
              </InlineStack>
              {f.tracking.map((t, index) => {
                const label = [t.company, t.number].filter(Boolean).join(" ") || "Track shipment";
                return (
                  <Text as="p" key={index}>
                    {t.url ? (
                      // A plain anchor: the admin's link component drops rel, and this leaves the admin.
                      <a className="Polaris-Link" href={t.url} target="_blank" rel="noopener noreferrer">
                        {label}
                      </a>
                    ) : (
                      label
                    )}
                  </Text>
                );
              })}
            </BlockStack>
          );
        })}
      </BlockStack>
    </Card>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <Box>
      <Text as="p" tone="subdued" variant="bodySm">
        {label}
      </Text>
      <Text as="p" breakWord>
        {value}
      </Text>
    </Box>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <Page backAction={{ content: "Customers", url: "/app/customers" }} title="Customer not found">
        <Card>
          <EmptyState heading="This customer is not in your store" image="" action={{ content: "All customers", url: "/app/customers" }}>
            <p>They may have been deleted or erased at their request.</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  throw error;
}
