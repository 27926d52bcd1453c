import { useEffect, useMemo } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Card,
  Checkbox,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { inboundAddress, saveSupportSettings, supportSettings } from "../models/support-settings.server";
import { readInput, refusalBody } from "../services/input.server";
import { env } from "../env.server";
import { ensureShopRecord } from "../models/shop.server";
import { useSaveBarForm } from "../hooks/use-save-bar-form";

const DAYS = [
  ["mon", "Monday"],
  ["tue", "Tuesday"],
  ["wed", "Wednesday"],
  ["thu", "Thursday"],
  ["fri", "Friday"],
  ["sat", "Saturday"],
  ["sun", "Sunday"],
] as const;
type Day = (typeof DAYS)[number][0];

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  // The defaults come from the shop's profile: make sure it is there, even on the very first request.
  await ensureShopRecord(session.shop, admin.graphql, session.scope);
  const settings = await supportSettings(session.shop);
  const hours = Object.fromEntries(
    DAYS.map(([day]) => {
      const first = settings.schedule[day][0];
      return [day, first ? { open: true, from: hhmm(first[0]), to: hhmm(first[1]) } : { open: false, from: "09:00", to: "17:00" }];
    }),
  ) as Record<Day, { open: boolean; from: string; to: string }>;
  const splitDays = DAYS.filter(([day]) => settings.schedule[day].length > 1).map(([, name]) => name);
  return json({
    settings: {
      fromEmail: settings.fromEmail,
      fromName: settings.fromName,
      responseTimeHours: String(settings.responseTimeHours),
      timeZone: settings.timeZone,
      signature: settings.signature,
      autoAcknowledge: settings.autoAcknowledge,
      supportPhone: settings.supportPhone,
      csatEnabled: settings.csatEnabled,
      checkInEnabled: settings.checkInEnabled,
      checkInDays: String(settings.checkInDays),
    },
    hours,
    splitDays,
    smtpConfigured: Boolean(env().SMTP_URL),
    routingAddress: await inboundAddress(session.shop),
  });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const input = await readInput(request, { maxBytes: 512 * 1024 });
  if (!input.ok) return json(refusalBody(input), { status: input.status });
  const form = input.fields;
  const str = (key: string) => form[key] ?? "";
  // One opening interval a day from this form, as the stored schedule's JSON.
  const businessHours = JSON.stringify(Object.fromEntries(DAYS.map(([day]) => [day, str(`${day}Open`) === "on" ? [[str(`${day}From`), str(`${day}To`)]] : []])));
  const result = await saveSupportSettings(session.shop, {
    fromEmail: str("fromEmail"),
    fromName: str("fromName"),
    responseTimeHours: str("responseTimeHours"),
    timeZone: str("timeZone"),
    businessHours,
    signature: str("signature"),
    autoAcknowledge: str("autoAcknowledge") === "on",
    supportPhone: str("supportPhone"),
    csatEnabled: str("csatEnabled") === "on",
    checkInEnabled: str("checkInEnabled") === "on",
    checkInDays: str("checkInDays") || "7",
  });
  if ("errors" in result) return json({ ok: false, errors: result.errors as Record<string, string> }, { status: 422 });
  return json({ ok: true, errors: {} as Record<string, string> });
};

export default function Settings() {
  const { settings, hours, splitDays, smtpConfigured, routingAddress } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const saved = useMemo(() => ({ ...settings, week: hours }), [settings, hours]);
  const form = useSaveBarForm("settings-save-bar", saved);
  const { values, errors } = form;
  const week = values.week;
  const zones = useMemo(() => {
    const list = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
    return (list.includes(values.timeZone) ? list : [values.timeZone, ...list]).map((z) => ({ label: z.replace(/_/g, " "), value: z }));
  }, [values.timeZone]);

  useEffect(() => {
    if (result?.ok && navigation.state === "idle") shopify.toast.show("Settings saved");
  }, [result, navigation.state, shopify]);

  const set = (key: keyof typeof settings) => (value: string | boolean) =>
    form.setValues((v) => ({ ...v, [key]: value }));
  const setDay = (day: Day, change: Partial<(typeof week)[Day]>) =>
    form.setValues((v) => ({ ...v, week: { ...v.week, [day]: { ...v.week[day], ...change } } }));

  return (
    <Page title="Settings" narrowWidth>
      <TitleBar title="Settings" />
      {form.saveBar}
      <Form method="post" noValidate ref={form.formRef}>
        <BlockStack gap="400">
          {errors.form ? <Banner tone="critical">{errors.form}</Banner> : null}
          <Layout>
            <Layout.AnnotatedSection title="Support email" description="Replies and acknowledgements come from this address. Shoppers' answers come back to it, tagged with their ticket.">
              <Card>
                <BlockStack gap="300">
                  {!smtpConfigured ? (
                    <Banner tone="info">No mail server is set (SMTP_URL): emails wait in the Email outbox and are not sent.</Banner>
                  ) : null}
                  <TextField
                    label="Email address"
                    name="fromEmail"
                    type="email"
                    value={values.fromEmail}
                    onChange={set("fromEmail")}
                    error={errors.fromEmail}
                    autoComplete="off"
                    helpText={routingAddress ? `Forward this mailbox to ${routingAddress}: mail arriving there becomes your tickets.` : "Mail to this address becomes your tickets; no other shop can use it."}
                  />
                  <TextField label="Sender name" name="fromName" value={values.fromName} onChange={set("fromName")} error={errors.fromName} autoComplete="off" />
                  <TextField
                    label="Phone number for shoppers"
                    name="supportPhone"
                    type="tel"
                    value={values.supportPhone}
                    onChange={set("supportPhone")}
                    error={errors.supportPhone}
                    autoComplete="off"
                    helpText="Shown with your email and hours in the storefront help panel. Leave it empty to show none."
                  />
                  <TextField label="Signature" name="signature" value={values.signature} onChange={set("signature")} error={errors.signature} multiline={3} autoComplete="off" helpText="Added under every reply and acknowledgement." />
                  <Checkbox
                    label="Acknowledge new questions by email at once"
                    checked={values.autoAcknowledge}
                    onChange={set("autoAcknowledge")}
                    helpText="In the shopper's language, with when to expect an answer."
                  />
                  {values.autoAcknowledge ? <input type="hidden" name="autoAcknowledge" value="on" /> : null}
                  <Checkbox
                    label="Ask for a rating when a ticket is solved"
                    checked={values.csatEnabled}
                    onChange={set("csatEnabled")}
                    helpText="One email with a 1–5 rating by one click, in the shopper's language. Ratings show on the ticket and the dashboard."
                  />
                  {values.csatEnabled ? <input type="hidden" name="csatEnabled" value="on" /> : null}
                  <Checkbox
                    label="Check in after delivery"
                    checked={values.checkInEnabled}
                    onChange={set("checkInEnabled")}
                    helpText="Asks shoppers who agreed to emails whether all is well with their order; a reply becomes a ticket. Never twice for an order."
                  />
                  {values.checkInEnabled ? <input type="hidden" name="checkInEnabled" value="on" /> : null}
                  <TextField
                    label="Days after delivery"
                    name="checkInDays"
                    type="number"
                    value={values.checkInDays}
                    onChange={set("checkInDays")}
                    error={errors.checkInDays}
                    disabled={!values.checkInEnabled}
                    autoComplete="off"
                  />
                  {!values.checkInEnabled ? <input type="hidden" name="checkInDays" value={values.checkInDays} /> : null}
                </BlockStack>
              </Card>
            </Layout.AnnotatedSection>
            <Layout.AnnotatedSection title="Response time" description="The first answer you promise, counted in business hours. Tickets past it are overdue.">
              <Card>
                <BlockStack gap="300">
                  <TextField
                    label="Promised first response (business hours)"
                    name="responseTimeHours"
                    type="number"
                    min={1}
                    max={720}
                    value={values.responseTimeHours}
                    onChange={set("responseTimeHours")}
                    error={errors.responseTimeHours}
                    autoComplete="off"
                  />
                  <Select label="Time zone" name="timeZone" options={zones} value={values.timeZone} onChange={set("timeZone")} error={errors.timeZone} />
                </BlockStack>
              </Card>
            </Layout.AnnotatedSection>
            <Layout.AnnotatedSection title="Business hours" description="When your team answers. The clock for overdue tickets runs only in these hours.">
              <Card>
                <BlockStack gap="200">
                  {splitDays.length > 0 ? (
                    <Banner tone="warning">{`${splitDays.join(", ")} had more than one opening; saving here keeps the first.`}</Banner>
                  ) : null}
                  {errors.businessHours ? <Banner tone="critical">{errors.businessHours}</Banner> : null}
                  {DAYS.map(([day, name]) => (
                    <InlineGrid key={day} columns={["oneThird", "twoThirds"]} gap="200" alignItems="center">
                      <Checkbox label={name} checked={week[day].open} onChange={(open) => setDay(day, { open })} />
                      {week[day].open ? (
                        <InlineStack gap="200" wrap={false}>
                          <TextField label={`${name} opens`} labelHidden type="time" name={`${day}From`} value={week[day].from} onChange={(from) => setDay(day, { from })} autoComplete="off" />
                          <TextField label={`${name} closes`} labelHidden type="time" name={`${day}To`} value={week[day].to} onChange={(to) => setDay(day, { to })} autoComplete="off" />
                        </InlineStack>
                      ) : (
                        <Text as="span" tone="subdued">
                          Closed
                        </Text>
                      )}
                      {week[day].open ? <input type="hidden" name={`${day}Open`} value="on" /> : null}
                    </InlineGrid>
                  ))}
                </BlockStack>
              </Card>
            </Layout.AnnotatedSection>
          </Layout>
          <Box paddingBlockEnd="800" />
        </BlockStack>
      </Form>
    </Page>
  );
}
