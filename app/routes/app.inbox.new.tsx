import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Page, Select, Text, TextField } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { useState } from "react";
import { authenticate } from "../shopify.server";
import { readInput, refusalBody } from "../services/input.server";
import { currentStaff } from "../models/staff.server";
import { createTicket } from "../services/tickets/tickets.server";
import { TICKET_PRIORITIES } from "../services/tickets/constants";

/** `?customerEmail=…&customerName=…` (the customer page's "New ticket") fills in who it is for. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  const params = new URL(request.url).searchParams;
  const text = (key: string, max: number) => (params.get(key) ?? "").slice(0, max);
  return json({ prefill: { customerEmail: text("customerEmail", 254), customerName: text("customerName", 200) } });
};

/** A ticket staff open for a shopper (a phone call, a message elsewhere): no acknowledgement is emailed. */
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const staff = await currentStaff(request, session.shop, sessionToken);
  const input = await readInput(request, { maxBytes: 512 * 1024 });
  if (!input.ok) return json(refusalBody(input), { status: input.status });
  const form = input.fields;
  const str = (key: string) => form[key] ?? "";
  const result = await createTicket(
    session.shop,
    {
      subject: str("subject"),
      body: str("body"),
      channel: "staff",
      customerEmail: str("customerEmail"),
      customerName: str("customerName") || undefined,
      orderName: str("orderName") || undefined,
      priority: (TICKET_PRIORITIES as readonly string[]).includes(str("priority")) ? (str("priority") as (typeof TICKET_PRIORITIES)[number]) : "normal",
    },
    staff,
  );
  if ("errors" in result) return json({ errors: result.errors }, { status: 422 });
  return redirect(`/app/inbox/${result.ticket.id}`);
};

export default function NewTicket() {
  const actionData = useActionData<typeof action>();
  const errors: Record<string, string> = actionData?.errors ?? {};
  const navigation = useNavigation();
  const [priority, setPriority] = useState("normal");
  // Polaris fields are controlled: their values live here and post under their names.
  const { prefill } = useLoaderData<typeof loader>();
  const [fields, setFields] = useState({ ...prefill, orderName: "", subject: "", body: "" });
  const bind = (name: keyof typeof fields) => ({
    name,
    value: fields[name],
    onChange: (value: string) => setFields((current) => ({ ...current, [name]: value })),
    error: errors[name],
    autoComplete: "off",
  });
  return (
    <Page backAction={{ content: "Inbox", url: "/app/inbox" }} title="New ticket" narrowWidth>
      <TitleBar title="New ticket" />
      <Form method="post" noValidate>
        <Card>
          <BlockStack gap="300">
            <Text as="p" tone="subdued">
              For a question that reached you another way (a call, a chat). The customer is not emailed until you reply.
            </Text>
            <TextField label="Customer email" type="email" {...bind("customerEmail")} requiredIndicator />
            <TextField label="Customer name" {...bind("customerName")} />
            <TextField label="Order number" placeholder="#1001" {...bind("orderName")} />
            <TextField label="Subject" {...bind("subject")} requiredIndicator maxLength={200} />
            <TextField label="What the customer asked" multiline={5} {...bind("body")} requiredIndicator />
            <Select
              label="Priority"
              name="priority"
              options={TICKET_PRIORITIES.map((p) => ({ label: p.charAt(0).toUpperCase() + p.slice(1), value: p }))}
              value={priority}
              onChange={setPriority}
            />
            <InlineStack align="end">
              <Button submit variant="primary" loading={navigation.state === "submitting"}>
                Create ticket
              </Button>
            </InlineStack>
          </BlockStack>
        </Card>
      </Form>
    </Page>
  );
}
