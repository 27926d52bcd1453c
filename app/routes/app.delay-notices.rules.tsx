import { useEffect, useMemo, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, Checkbox, InlineGrid, InlineStack, Layout, Page, Select, Tabs, Text, TextField } from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { readInput, refusalBody } from "../services/input.server";
import { delayRules, previewSample, saveDelayRules } from "../models/delay-notice.server";
import { supportSettings } from "../models/support-settings.server";
import {
  DELAY_TRIGGERS,
  SUPPORTED_LANGUAGES,
  TEMPLATE_VARIABLES,
  TRIGGER_LABELS,
  defaultTemplate,
  fillTemplate,
  holdReasonText,
  type DelayTrigger,
} from "../services/delay-notices/text";
import { languageName } from "../components/labels";
import { placeholderText } from "../utils/placeholders";
import { useSaveBarForm } from "../hooks/use-save-bar-form";

const TRIGGER_HELP: Record<DelayTrigger, string> = {
  carrier_delayed: "The carrier reports the parcel is delayed (fulfillment event or status DELAYED).",
  carrier_failure: "The carrier could not deliver (FAILURE).",
  attempted_delivery: "The carrier tried to deliver and will try again (ATTEMPTED_DELIVERY).",
  on_hold: "You or Shopify put the order on hold: out of stock, address to check, payment pending, unknown date. Fraud reviews are never told.",
  rescheduled: "The fulfillment was rescheduled to a later date.",
  late_to_ship: "Not shipped by its fulfill-by date, or after your handling time.",
};

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const [rules, settings, sample] = await Promise.all([delayRules(shop), supportSettings(shop), previewSample(shop)]);
  return json({
    rules,
    sample: { ...sample, support_email: settings.fromEmail, shop_name: settings.shopName },
    timeZone: settings.timeZone,
    shopLanguage: SUPPORTED_LANGUAGES.find((l) => l === (settings.shopLocale ?? "en").slice(0, 2)) ?? "en",
  });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const input = await readInput(request, { maxBytes: 512 * 1024 });
  if (!input.ok) return json(refusalBody(input), { status: input.status });
  const form = input.fields;
  const result = await saveDelayRules(session.shop, form);
  if ("errors" in result) return json({ ok: false, errors: result.errors }, { status: 422 });
  return json({ ok: true, errors: {} as Record<string, string> });
};

type Templates = Record<string, { subject: string; body: string }>;
const key = (trigger: string, lang: string) => `${trigger}_${lang}`;

export default function DelayRules() {
  const { rules, sample, timeZone, shopLanguage } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const shopify = useAppBridge();
  const saved = useMemo(() => {
    const templates: Templates = {};
    const stored = rules.templates as Record<string, Record<string, { subject: string; body: string }>>;
    for (const t of DELAY_TRIGGERS) {
      for (const l of SUPPORTED_LANGUAGES) templates[key(t, l)] = stored[t]?.[l] ?? defaultTemplate(t, l);
    }
    return {
      enabled: rules.enabled,
      // In the list's order, so ticking a trigger off and on again is no change.
      triggers: DELAY_TRIGGERS.filter((t) => rules.triggers.includes(t)) as string[],
      minDelayMinutes: String(rules.minDelayMinutes),
      handlingDays: String(rules.handlingDays),
      excludedOrderTags: rules.excludedOrderTags.join(", "),
      excludedCustomerTags: rules.excludedCustomerTags.join(", "),
      orderTag: rules.orderTag,
      tagOrders: rules.tagOrders,
      templates,
    };
  }, [rules]);
  const form = useSaveBarForm("delay-rules-save-bar", saved);
  const { values, errors, field } = form;
  const { enabled, triggers, tagOrders, templates } = values;
  const setTriggers = (on: boolean, t: DelayTrigger) =>
    form.setValues((v) => ({ ...v, triggers: DELAY_TRIGGERS.filter((x) => (x === t ? on : v.triggers.includes(x))) }));
  const setTemplates = (update: (s: Templates) => Templates) =>
    form.setValues((v) => ({ ...v, templates: update(v.templates) }));
  const [trigger, setTrigger] = useState<DelayTrigger>("carrier_delayed");
  const [langIndex, setLangIndex] = useState(Math.max(0, SUPPORTED_LANGUAGES.indexOf(shopLanguage)));
  const lang = SUPPORTED_LANGUAGES[langIndex];
  const current = templates[key(trigger, lang)];

  useEffect(() => {
    if (navigation.state === "idle" && actionData?.ok) shopify.toast.show("Rules saved");
    // A wording error may sit on another trigger or language: show it.
    const bad = Object.keys(actionData?.errors ?? {}).find((k) => k.startsWith("subject_") || k.startsWith("body_"));
    const found = bad ? DELAY_TRIGGERS.find((t) => bad.startsWith(`subject_${t}_`) || bad.startsWith(`body_${t}_`)) : undefined;
    if (bad && found) {
      setTrigger(found);
      const i = SUPPORTED_LANGUAGES.indexOf(bad.slice(bad.lastIndexOf("_") + 1) as (typeof SUPPORTED_LANGUAGES)[number]);
      if (i >= 0) setLangIndex(i);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [actionData, navigation.state]);

  const preview = useMemo(() => {
    const newDate = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone }).format(new Date(Date.now() + 4 * 86_400_000));
    return fillTemplate(current, {
      ...sample,
      reason: trigger === "on_hold" ? holdReasonText("INVENTORY_OUT_OF_STOCK", lang) : null,
      new_date: trigger === "late_to_ship" || trigger === "carrier_failure" || trigger === "attempted_delivery" ? null : newDate,
    });
  }, [current, sample, trigger, lang, timeZone]);

  const setTemplate = (part: "subject" | "body") => (value: string) =>
    setTemplates((s) => ({ ...s, [key(trigger, lang)]: { ...s[key(trigger, lang)], [part]: value } }));
  const isDefault = (t: DelayTrigger, l: (typeof SUPPORTED_LANGUAGES)[number]) => {
    const d = defaultTemplate(t, l);
    const v = templates[key(t, l)];
    return v.subject.trim() === d.subject && v.body.trim() === d.body;
  };

  return (
    <Page title="Delay notice rules" backAction={{ content: "Delay notices", url: "/app/delay-notices" }}>
      <TitleBar title="Delay notice rules" />
      {form.saveBar}
      <Form method="post" noValidate ref={form.formRef}>
        {/* Only wording that differs from the default is stored; the rest follows our updates. */}
        {DELAY_TRIGGERS.flatMap((t) =>
          SUPPORTED_LANGUAGES.filter((l) => !isDefault(t, l)).map((l) => (
            <span key={key(t, l)}>
              <input type="hidden" name={`subject_${t}_${l}`} value={templates[key(t, l)].subject} />
              <input type="hidden" name={`body_${t}_${l}`} value={templates[key(t, l)].body} />
            </span>
          )),
        )}
        {enabled ? <input type="hidden" name="enabled" value="on" /> : null}
        {tagOrders ? <input type="hidden" name="tagOrders" value="on" /> : null}
        {triggers.map((t) => (
          <input key={t} type="hidden" name={`trigger_${t}`} value="on" />
        ))}
        <Layout>
          <Layout.AnnotatedSection title="When to tell shoppers" description="Each order is told once per change: a new date or a new reason may send another notice, a repeated event does not.">
            <Card>
              <BlockStack gap="300">
                <Checkbox label="Send delay notices" checked={enabled} onChange={field("enabled")} helpText="Off: delays are still logged, as skipped." />
                {DELAY_TRIGGERS.map((t) => (
                  <Checkbox
                    key={t}
                    label={TRIGGER_LABELS[t]}
                    helpText={TRIGGER_HELP[t]}
                    disabled={!enabled}
                    checked={triggers.includes(t)}
                    onChange={(on) => setTriggers(on, t)}
                  />
                ))}
                <InlineGrid columns={2} gap="300">
                  <TextField
                    label="Wait before notifying (minutes)"
                    name="minDelayMinutes"
                    type="number"
                    value={values.minDelayMinutes}
                    onChange={field("minDelayMinutes")}
                    error={errors.minDelayMinutes}
                    autoComplete="off"
                    helpText="A problem solved in the meantime sends nothing."
                  />
                  <TextField
                    label="Handling time (business days)"
                    name="handlingDays"
                    type="number"
                    value={values.handlingDays}
                    onChange={field("handlingDays")}
                    error={errors.handlingDays}
                    autoComplete="off"
                    helpText="An order not shipped after this is late to ship."
                  />
                </InlineGrid>
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.AnnotatedSection title="Who not to tell" description="Comma-separated tags. Matching orders are logged as skipped, with the tag.">
            <Card>
              <BlockStack gap="300">
                <TextField label="Order tags" name="excludedOrderTags" value={values.excludedOrderTags} onChange={field("excludedOrderTags")} error={errors.excludedOrderTags} autoComplete="off" placeholder="wholesale, pre-order" />
                <TextField label="Customer tags" name="excludedCustomerTags" value={values.excludedCustomerTags} onChange={field("excludedCustomerTags")} error={errors.excludedCustomerTags} autoComplete="off" placeholder="b2b" />
                <Checkbox label="Tag notified orders in Shopify" checked={tagOrders} onChange={field("tagOrders")} helpText="So you can see them in Shopify's order list." />
                <TextField label="Tag" name="orderTag" value={values.orderTag} onChange={field("orderTag")} error={errors.orderTag} autoComplete="off" disabled={!tagOrders} />
                {!tagOrders ? <input type="hidden" name="orderTag" value={values.orderTag} /> : null}
              </BlockStack>
            </Card>
          </Layout.AnnotatedSection>
          <Layout.Section>
            <Card padding="0">
              <Box padding="400">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    Wording
                  </Text>
                  <Box minWidth="260px">
                    <Select label="Notice" labelInline options={DELAY_TRIGGERS.map((t) => ({ label: TRIGGER_LABELS[t], value: t }))} value={trigger} onChange={(v) => setTrigger(v as DelayTrigger)} />
                  </Box>
                </InlineStack>
              </Box>
              <Tabs
                tabs={SUPPORTED_LANGUAGES.map((l) => ({ id: `wording-${l}`, content: `${languageName(l)}${isDefault(trigger, l) ? "" : " •"}`, accessibilityLabel: languageName(l) }))}
                selected={langIndex}
                onSelect={setLangIndex}
              />
              <Box padding="400">
                <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
                  <BlockStack gap="300">
                    <TextField label={`Subject (${languageName(lang)})`} value={current.subject} onChange={setTemplate("subject")} error={errors[`subject_${trigger}_${lang}`]} autoComplete="off" />
                    <TextField label={`Message (${languageName(lang)})`} value={current.body} onChange={setTemplate("body")} error={errors[`body_${trigger}_${lang}`]} multiline={12} autoComplete="off" />
                    <Text as="p" tone="subdued" variant="bodySm">
                      Placeholders: {TEMPLATE_VARIABLES.map(placeholderText).join(", ")}. A line whose placeholder
                      has no value (no tracking link, no new date) is left out.
                    </Text>
                    <InlineStack>
                      <Button disabled={isDefault(trigger, lang)} onClick={() => setTemplates((s) => ({ ...s, [key(trigger, lang)]: defaultTemplate(trigger, lang) }))}>
                        Use the default wording
                      </Button>
                    </InlineStack>
                  </BlockStack>
                  <BlockStack gap="200">
                    <Text as="h3" variant="headingSm">
                      Preview with order {sample.order_name}
                    </Text>
                    <Box background="bg-surface-secondary" padding="400" borderRadius="200">
                      <BlockStack gap="200">
                        <Text as="p" fontWeight="semibold">
                          {preview.subject}
                        </Text>
                        <div data-testid="notice-preview">
                          {preview.body.split("\n").map((line, i) => (
                            <Text as="p" key={i} breakWord>
                              {line || "\u00a0"}
                            </Text>
                          ))}
                        </div>
                      </BlockStack>
                    </Box>
                  </BlockStack>
                </InlineGrid>
              </Box>
            </Card>
          </Layout.Section>
          <Layout.Section>
            {Object.keys(errors).length > 0 ? <Banner tone="critical" title="Some rules need a fix before they can be saved." /> : null}
          </Layout.Section>
        </Layout>
      </Form>
    </Page>
  );
}
