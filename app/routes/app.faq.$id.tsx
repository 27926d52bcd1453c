import { useEffect, useMemo, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import {
  useActionData,
  useLoaderData,
  useRouteError,
  useSearchParams,
  isRouteErrorResponse,
  Form,
} from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Checkbox, EmptyState, InlineStack, Layout, Modal, Page, Select, Text, TextField } from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { readInput, refusalBody, rowId } from "../services/input.server";
import { articleForShop, deleteArticle, faqDefaultLocale, listCategories, saveArticle, titleIn } from "../models/faq.server";
import { schedulePublish } from "../services/faq/publish.server";
import { renderAnswer } from "../services/faq/rich-text";
import { FAQ_LIMITS, FAQ_LOCALES } from "../services/faq/constants";
import { languageName } from "../components/labels";
import { useSaveBarForm } from "../hooks/use-save-bar-form";

function articleId(param: string | undefined): number | "new" | null {
  if (param === "new") return "new";
  return rowId(param);
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const id = articleId(params.id);
  if (id === null) throw json({ message: "Article not found" }, { status: 404 });
  const [defaultLocale, categories] = await Promise.all([faqDefaultLocale(shop), listCategories(shop)]);
  const categoryOptions = categories.map((c) => ({ label: titleIn(c.titles, defaultLocale, defaultLocale, c.handle), value: String(c.id) }));
  if (id === "new") {
    // "Answer it" from the unanswered searches brings the shopper's words along.
    const url = new URL(request.url);
    const locale = FAQ_LOCALES.find((l) => l === url.searchParams.get("locale")) ?? defaultLocale;
    const question = (url.searchParams.get("question") ?? "").slice(0, FAQ_LIMITS.question);
    return json({ id: null, defaultLocale, categoryOptions, article: { categoryId: null as number | null, published: true, views: 0, helpful: 0, notHelpful: 0, translations: question ? { [locale]: { question, answer: "" } } : {} } as const, startLocale: locale });
  }
  const article = await articleForShop(shop, id);
  if (!article) throw json({ message: "Article not found" }, { status: 404 });
  return json({ id, defaultLocale, categoryOptions, article, startLocale: defaultLocale });
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const id = articleId(params.id);
  if (id === null) return json({ errors: { form: "This article no longer exists." } as Record<string, string> }, { status: 404 });
  const input = await readInput(request, { maxBytes: 512 * 1024 });
  if (!input.ok) return json(refusalBody(input), { status: input.status });
  const form = input.fields;
  if (form.intent === "delete") {
    if (id === "new" || !(await deleteArticle(shop, id))) return json({ errors: { form: "This article no longer exists." } as Record<string, string> }, { status: 404 });
    await schedulePublish(shop);
    return redirect("/app/faq");
  }
  const result = await saveArticle(shop, id === "new" ? null : id, form);
  if ("errors" in result) return json({ errors: result.errors as Record<string, string> }, { status: result.errors.form ? 404 : 422 });
  await schedulePublish(shop);
  // A fresh value each save, so the page shows its toast again after every save.
  return redirect(`/app/faq/${result.id}?saved=${Date.now()}`);
};

export default function FaqArticle() {
  const { id, defaultLocale, categoryOptions, article, startLocale } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const shopify = useAppBridge();
  const translations = article.translations as Partial<Record<string, { question: string; answer: string }>>;
  const initial = useMemo(
    () => ({
      text: Object.fromEntries(
        FAQ_LOCALES.flatMap((l) => [
          [`question_${l}`, translations[l]?.question ?? ""],
          [`answer_${l}`, translations[l]?.answer ?? ""],
        ]),
      ) as Record<string, string>,
      categoryId: article.categoryId ? String(article.categoryId) : "",
      published: article.published as boolean,
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [article],
  );
  // What was loaded, saved or not: the save bar shows while the form differs from it.
  const form = useSaveBarForm("faq-save-bar", initial);
  const { errors } = form;
  const { text: values, categoryId, published } = form.values;
  const [tab, setTab] = useState(Math.max(0, FAQ_LOCALES.indexOf(startLocale as (typeof FAQ_LOCALES)[number])));
  const [confirmDelete, setConfirmDelete] = useState(false);
  const locale = FAQ_LOCALES[tab];
  const preview = useMemo(() => renderAnswer(values[`answer_${locale}`] ?? ""), [values, locale]);

  const [searchParams] = useSearchParams();
  const saved = searchParams.get("saved");
  useEffect(() => {
    if (saved) shopify.toast.show("Article saved");
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [saved]);
  // Jump to the first language with an error.
  useEffect(() => {
    const fresh = actionData?.errors ?? {};
    const first = FAQ_LOCALES.findIndex((l) => fresh[`question_${l}`] || fresh[`answer_${l}`]);
    if (first >= 0) setTab(first);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [actionData]);

  // Each server error is dropped as soon as its field is edited.
  const set = (key: string) => (value: string) => {
    form.setValues((v) => ({ ...v, text: { ...v.text, [key]: value } }));
    form.clearError(key);
  };
  const translated = (l: string) => Boolean(values[`question_${l}`]?.trim() && values[`answer_${l}`]?.trim());
  const missing = FAQ_LOCALES.filter((l) => !translated(l));
  return (
    <Page
      backAction={{ content: "FAQ", url: "/app/faq" }}
      title={id ? values[`question_${defaultLocale}`] || "Article" : "New article"}
      titleMetadata={id ? published ? <Badge tone="success">Published</Badge> : <Badge>Draft</Badge> : undefined}
    >
      <TitleBar title={id ? "Edit article" : "New article"} />
      {form.saveBar}
      <Form method="post" noValidate ref={form.formRef}>
        <Layout>
          {published && missing.length > 0 && missing.length < FAQ_LOCALES.length ? (
            <Layout.Section>
              <Banner tone="warning" title="Not translated yet">
                <p>
                  Shoppers reading {missing.map((l) => languageName(l)).join(", ")} see this article in {languageName(defaultLocale)}.
                </p>
              </Banner>
            </Layout.Section>
          ) : null}
          <Layout.Section>
            <Card padding="0">
              {/* One button per language, wrapping on a narrow screen: none ever hides behind "More views". */}
              <Box padding="300" borderBlockEndWidth="025" borderColor="border">
                <div role="group" aria-label="Language" style={{ display: "flex", flexWrap: "wrap", gap: "var(--p-space-200)" }}>
                  {FAQ_LOCALES.map((l, i) => {
                    const hasError = Boolean(errors[`question_${l}`] || errors[`answer_${l}`]);
                    const state = hasError ? "needs a fix" : translated(l) ? "translated" : "missing";
                    return (
                      <Button key={l} pressed={i === tab} onClick={() => setTab(i)} accessibilityLabel={`${languageName(l)}${l === defaultLocale ? " (required)" : ""}: ${state}`}>
                        {`${languageName(l)}${l === defaultLocale ? " (required)" : ""} ${hasError ? "⚠" : translated(l) ? "✓" : "–"}`}
                      </Button>
                    );
                  })}
                </div>
              </Box>
              <Box padding="400">
                {FAQ_LOCALES.map((l) => (
                  // Every language stays in the form; only the chosen one shows.
                  <div key={l} hidden={l !== locale}>
                    <BlockStack gap="300">
                      <TextField
                        label={`Question (${languageName(l)})`}
                        name={`question_${l}`}
                        value={values[`question_${l}`]}
                        onChange={set(`question_${l}`)}
                        error={errors[`question_${l}`]}
                        maxLength={FAQ_LIMITS.question}
                        showCharacterCount
                        autoComplete="off"
                      />
                      <TextField
                        label={`Answer (${languageName(l)})`}
                        name={`answer_${l}`}
                        value={values[`answer_${l}`]}
                        onChange={set(`answer_${l}`)}
                        error={errors[`answer_${l}`]}
                        multiline={8}
                        autoComplete="off"
                        helpText="**bold**, *italic*, [link text](https://…), lines starting with “- ” for a list, a blank line between paragraphs."
                      />
                    </BlockStack>
                  </div>
                ))}
              </Box>
            </Card>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <BlockStack gap="400">
              <Card>
                <BlockStack gap="300">
                  <Select label="Category" name="categoryId" options={[{ label: "Uncategorized", value: "" }, ...categoryOptions]} value={categoryId} onChange={form.field("categoryId")} error={errors.categoryId} />
                  <Checkbox label="Published" helpText="Shoppers see published articles in the help button and the FAQ section." checked={published} onChange={form.field("published")} />
                  {published ? <input type="hidden" name="published" value="on" /> : null}
                  {errors.form ? <Text as="p" tone="critical">{errors.form}</Text> : null}
                  {id ? (
                    <InlineStack>
                      <Button tone="critical" onClick={() => setConfirmDelete(true)}>
                        Delete
                      </Button>
                    </InlineStack>
                  ) : null}
                </BlockStack>
              </Card>
              {id ? (
                <Card>
                  <BlockStack gap="100">
                    <Text as="h2" variant="headingSm">How it does</Text>
                    <Text as="p">{article.views} views</Text>
                    <Text as="p">
                      Did this help? {article.helpful} yes · {article.notHelpful} no
                    </Text>
                  </BlockStack>
                </Card>
              ) : null}
            </BlockStack>
          </Layout.Section>
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  Preview ({languageName(locale)}), as shoppers see it
                </Text>
                <Box borderColor="border" borderWidth="025" borderRadius="200" padding="400">
                  <BlockStack gap="200">
                    <Text as="h3" variant="headingMd">
                      {values[`question_${locale}`] || values[`question_${defaultLocale}`] || "Your question"}
                    </Text>
                    {/* renderAnswer escapes every character typed and only emits its own tags. */}
                    <div className="faq-preview" data-testid="faq-preview" dangerouslySetInnerHTML={{ __html: preview || "<p>Your answer</p>" }} />
                  </BlockStack>
                </Box>
              </BlockStack>
            </Card>
          </Layout.Section>
        </Layout>
      </Form>
      <Modal
        open={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        title="Delete this article?"
        primaryAction={{
          content: "Delete",
          destructive: true,
          onAction: () => {
            const form = document.getElementById("faq-delete") as HTMLFormElement | null;
            form?.requestSubmit();
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setConfirmDelete(false) }]}
      >
        <Modal.Section>
          <Text as="p">The article, its translations and votes are deleted; shoppers will no longer find it.</Text>
        </Modal.Section>
      </Modal>
      <Form method="post" id="faq-delete">
        <input type="hidden" name="intent" value="delete" />
      </Form>
    </Page>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <Page backAction={{ content: "FAQ", url: "/app/faq" }} title="Article not found">
        <Card>
          <EmptyState heading="This article is not in your FAQ" image="" action={{ content: "FAQ", url: "/app/faq" }}>
            <p>It may have been deleted.</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  throw error;
}

