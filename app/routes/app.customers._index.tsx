import { useEffect, useRef, useState } from "react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link as RemixLink, useLoaderData, useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Box, Card, EmptyState, IndexTable, Page, Text, TextField } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { z } from "zod";
import { authenticate } from "../shopify.server";
import { listCustomers } from "../models/customer.server";
import { shopTimeZone } from "../models/shop-time-zone.server";
import { DateTime } from "../components/DateTime";
import { languageName, marketingLabel } from "../components/labels";

const ParamsSchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  after: z.string().min(1).max(64).optional().catch(undefined),
  before: z.string().min(1).max(64).optional().catch(undefined),
});

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const params = ParamsSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [page, timeZone] = await Promise.all([
    listCustomers(session.shop, { query: params.q, after: params.after, before: params.before }),
    shopTimeZone(session.shop),
  ]);
  return json({ ...page, query: params.q ?? "", timeZone });
};

const SEARCH_DELAY_MS = 300;

export default function Customers() {
  const { customers, hasNext, hasPrevious, query, timeZone } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const [search, setSearch] = useState(query);
  const timer = useRef<ReturnType<typeof setTimeout>>();

  useEffect(() => setSearch(query), [query]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const go = (params: Record<string, string>) => {
    const next = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value) next.set(key, value);
    const text = next.toString();
    navigate(text ? `/app/customers?${text}` : "/app/customers", { replace: true });
  };

  const onSearch = (value: string) => {
    setSearch(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => go({ q: value.trim() }), SEARCH_DELAY_MS);
  };

  const q = searchParams.get("q") ?? "";
  const rows = customers.map((customer, index) => {
    const name = [customer.firstName, customer.lastName].filter(Boolean).join(" ") || customer.email || "No name";
    const marketing = marketingLabel(customer.emailMarketingState);
    return (
      <IndexTable.Row id={customer.id} key={customer.id} position={index}>
        <IndexTable.Cell>
          <RemixLink to={`/app/customers/${customer.id}`}>
            <Text as="span" fontWeight="semibold">
              {name}
            </Text>
          </RemixLink>
        </IndexTable.Cell>
        <IndexTable.Cell>{customer.email ?? "—"}</IndexTable.Cell>
        <IndexTable.Cell>{languageName(customer.locale)}</IndexTable.Cell>
        <IndexTable.Cell>
          <Text as="span" numeric>
            {customer.numberOfOrders}
          </Text>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <Badge tone={marketing.tone}>{marketing.label}</Badge>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <DateTime value={customer.shopifyUpdatedAt} timeZone={timeZone} />
        </IndexTable.Cell>
      </IndexTable.Row>
    );
  });

  const empty = query ? (
    <EmptyState heading={`No customers match “${query}”`} image="">
      <p>Search by first or last name, email address or phone number.</p>
    </EmptyState>
  ) : (
    <EmptyState heading="No customers yet" image="">
      <p>Customers appear here once the first sync with Shopify has run. It starts on install; you can start it again with Sync now on the home page.</p>
    </EmptyState>
  );

  return (
    <Page>
      <TitleBar title="Customers" />
      <BlockStack gap="400">
        <Card padding="0">
          <Box padding="300">
            <form
              method="get"
              action="/app/customers"
              role="search"
              onSubmit={(event) => {
                event.preventDefault();
                clearTimeout(timer.current);
                go({ q: search.trim() });
              }}
            >
              <TextField
                label="Search customers"
                labelHidden
                name="q"
                value={search}
                onChange={onSearch}
                placeholder="Search by name, email or phone"
                autoComplete="off"
                clearButton
                onClearButtonClick={() => onSearch("")}
              />
            </form>
          </Box>
          <IndexTable
            resourceName={{ singular: "customer", plural: "customers" }}
            itemCount={customers.length}
            selectable={false}
            loading={navigation.state === "loading"}
            emptyState={empty}
            headings={[
              { title: "Name" },
              { title: "Email" },
              { title: "Language" },
              { title: "Orders", alignment: "end" },
              { title: "Email marketing" },
              { title: "Updated in Shopify" },
            ]}
            pagination={{
              hasNext,
              hasPrevious,
              onNext: () => go({ q, after: customers[customers.length - 1]?.id ?? "" }),
              onPrevious: () => go({ q, before: customers[0]?.id ?? "" }),
            }}
          >
            {rows}
          </IndexTable>
        </Card>
      </BlockStack>
    </Page>
  );
}
