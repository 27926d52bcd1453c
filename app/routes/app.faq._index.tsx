import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link as RemixLink, useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  ButtonGroup,
  Card,
  DataTable,
  EmptyState,
  IndexTable,
  InlineGrid,
  InlineStack,
  Modal,
  Page,
  Pagination,
  Select,
  Tabs,
  Text,
  TextField,
  useIndexResourceState,
} from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { z } from "zod";
import { authenticate } from "../shopify.server";
import { MAX_ROW_ID, readInput, refusalBody } from "../services/input.server";
import {
  deleteArticle,
  deleteCategory,
  faqDefaultLocale,
  faqState,
  listArticles,
  listCategories,
  moveArticle,
  saveCategory,
  setArticlePublished,
  titleIn,
} from "../models/faq.server";
import { faqInsights } from "../models/faq-insights.server";
import { schedulePublish } from "../services/faq/publish.server";
import { languageName } from "../components/labels";
import { FAQ_LOCALES } from "../services/faq/constants";

const TABS = ["articles", "categories", "insights"] as const;

const ListParams = z.object({
  tab: z.enum(TABS).catch("articles"),
  category: z.union([z.literal("none"), z.coerce.number().int().positive().max(MAX_ROW_ID)]).optional().catch(undefined),
  status: z.enum(["published", "draft"]).optional().catch(undefined),
  q: z.string().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const params = ListParams.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [categories, articles, insights, state, defaultLocale] = await Promise.all([
    listCategories(shop),
    listArticles(shop, { categoryId: params.category ?? null, status: params.status ?? null, query: params.q, page: params.page }),
    params.tab === "insights" ? faqInsights(shop) : Promise.resolve(null),
    faqState(shop),
    faqDefaultLocale(shop),
  ]);
  return json({
    params,
    defaultLocale,
    categories: categories.map((c) => ({ ...c, title: titleIn(c.titles, defaultLocale, defaultLocale, c.handle) })),
    ...articles,
    insights,
    storefront: {
      upToDate: state.publishedVersion >= state.version && state.publishedAt !== null,
      publishedAt: state.publishedAt ? new Date(state.publishedAt).toISOString() : null,
      error: state.publishError,
      bytes: state.publishedBytes,
    },
  });
};

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("move"), id: z.coerce.number().int().positive().max(MAX_ROW_ID), direction: z.enum(["up", "down"]) }),
  z.object({ intent: z.literal("delete_article"), id: z.coerce.number().int().positive().max(MAX_ROW_ID) }),
  z.object({ intent: z.enum(["publish", "unpublish"]), ids: z.string().transform((v) => v.split(",").filter(Boolean).map(Number)).pipe(z.array(z.number().int("Those articles were not found.").positive("Those articles were not found.").max(MAX_ROW_ID, "Those articles were not found.")).min(1, "Select articles first.").max(250)) }),
  z.object({ intent: z.literal("save_category"), id: z.union([z.literal(""), z.coerce.number().int().positive().max(MAX_ROW_ID)]).optional() }),
  z.object({ intent: z.literal("delete_category"), id: z.coerce.number().int().positive().max(MAX_ROW_ID) }),
  z.object({ intent: z.literal("republish") }),
]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const body = await readInput(request, { maxBytes: 512 * 1024 });
  if (!body.ok) return json(refusalBody(body), { status: body.status });
  const form = body.fields;
  const parsed = ActionSchema.safeParse(form);
  if (!parsed.success) return json({ ok: false, message: parsed.error.issues[0]?.message ?? "That action is not available.", errors: {} as Record<string, string> }, { status: 422 });
  const input = parsed.data;
  const notFound = (what: string) => json({ ok: false, message: `That ${what} no longer exists.`, errors: {} as Record<string, string> }, { status: 404 });
  let message = "";
  switch (input.intent) {
    case "move":
      if ((await moveArticle(shop, input.id, input.direction)) === null) return notFound("article");
      message = "Order saved";
      break;
    case "delete_article":
      if (!(await deleteArticle(shop, input.id))) return notFound("article");
      message = "Article deleted";
      break;
    case "publish":
    case "unpublish": {
      const count = await setArticlePublished(shop, input.ids, input.intent === "publish");
      // Any id that is not this shop's article: nothing changed, as for a single one.
      if (count === null) return notFound(input.ids.length === 1 ? "article" : "selection of articles");
      message = `${count} ${count === 1 ? "article" : "articles"} ${input.intent === "publish" ? "published" : "unpublished"}`;
      break;
    }
    case "save_category": {
      const result = await saveCategory(shop, input.id ? input.id : null, form);
      if ("errors" in result) {
        if (result.errors.form) return notFound("category");
        return json({ ok: false, message: "", errors: result.errors as Record<string, string> }, { status: 422 });
      }
      message = "Category saved";
      break;
    }
    case "delete_category":
      if (!(await deleteCategory(shop, input.id))) return notFound("category");
      message = "Category deleted; its articles are now uncategorized";
      break;
    case "republish":
      break;
  }
  await schedulePublish(shop);
  return json({ ok: true, message: message || "Publishing to the storefront", errors: {} as Record<string, string> });
};

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

export default function FaqPage() {
  const data = useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const tabIndex = Math.max(0, TABS.indexOf(data.params.tab));
  const go = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(searchParams);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === "") next.delete(k);
      else next.set(k, v);
    }
    if (!("page" in patch)) next.delete("page");
    setSearchParams(next);
  };
  return (
    <Page title="FAQ" subtitle="Answers shoppers find in the help button and the FAQ section of your store" primaryAction={{ content: "New article", url: "/app/faq/new" }}>
      <TitleBar title="FAQ" />
      <BlockStack gap="400">
        <StorefrontStatus storefront={data.storefront} />
        <Card padding="0">
          <Tabs
            tabs={[
              { id: "articles", content: `Articles (${data.total})` },
              { id: "categories", content: `Categories (${data.categories.length})` },
              { id: "insights", content: "What shoppers look for" },
            ]}
            selected={tabIndex}
            onSelect={(i) => go({ tab: i === 0 ? null : TABS[i], category: null, status: null, q: null })}
          />
          <Box padding="400">
            {data.params.tab === "articles" ? <Articles data={data} go={go} /> : null}
            {data.params.tab === "categories" ? <Categories data={data} /> : null}
            {data.params.tab === "insights" && data.insights ? <Insights insights={data.insights} /> : null}
          </Box>
        </Card>
      </BlockStack>
    </Page>
  );
}

function StorefrontStatus({ storefront }: { storefront: Data["storefront"] }) {
  const fetcher = useFetcher<typeof action>();
  if (storefront.error) {
    return (
      <Banner tone="critical" title="The storefront shows an older FAQ" action={{ content: "Try again", onAction: () => fetcher.submit({ intent: "republish" }, { method: "post" }), loading: fetcher.state !== "idle" }}>
        <p>Shopify refused the update: {storefront.error}</p>
      </Banner>
    );
  }
  if (!storefront.upToDate) return <Banner tone="info" title="Publishing your changes to the storefront…" />;
  return null;
}

function Articles({ data, go }: { data: Data; go: (patch: Record<string, string | null>) => void }) {
  const [query, setQuery] = useState(data.params.q ?? "");
  const fetcher = useFetcher<typeof action>();
  const shopify = useAppBridge();
  const [deleting, setDeleting] = useState<Data["articles"][number] | null>(null);
  const resources = data.articles.map((a) => ({ ...a, id: String(a.id) }));
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(resources);
  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    if (fetcher.data.ok) {
      shopify.toast.show(fetcher.data.message);
      clearSelection();
      setDeleting(null);
    } else if (fetcher.data.message) shopify.toast.show(fetcher.data.message, { isError: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.state, fetcher.data]);
  const submit = (fields: Record<string, string>) => fetcher.submit(fields, { method: "post" });
  const categoryOptions = [{ label: "All categories", value: "" }, ...data.categories.map((c) => ({ label: c.title, value: String(c.id) })), { label: "Uncategorized", value: "none" }];

  if (data.total === 0 && !data.params.q && !data.params.category && !data.params.status) {
    return (
      <EmptyState heading="Answer your most common questions once" action={{ content: "Write the first article", url: "/app/faq/new" }} image="">
        <p>Shoppers search these in the help button on your store before they write to you. Start with shipping times, returns and order changes.</p>
      </EmptyState>
    );
  }
  return (
    <BlockStack gap="300">
      <InlineGrid columns={{ xs: 1, md: "2fr 1fr 1fr" }} gap="300">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            go({ q: query });
          }}
        >
          <TextField label="Search articles" labelHidden placeholder="Search questions and answers" value={query} onChange={setQuery} autoComplete="off" clearButton onClearButtonClick={() => go({ q: null })} />
        </form>
        <Select label="Category" labelHidden options={categoryOptions} value={data.params.category ? String(data.params.category) : ""} onChange={(v) => go({ category: v })} />
        <Select
          label="Status"
          labelHidden
          options={[
            { label: "Published and drafts", value: "" },
            { label: "Published", value: "published" },
            { label: "Drafts", value: "draft" },
          ]}
          value={data.params.status ?? ""}
          onChange={(v) => go({ status: v })}
        />
      </InlineGrid>
      <IndexTable
        resourceName={{ singular: "article", plural: "articles" }}
        itemCount={resources.length}
        selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
        onSelectionChange={handleSelectionChange}
        promotedBulkActions={[
          { content: "Publish", onAction: () => submit({ intent: "publish", ids: selectedResources.join(",") }) },
          { content: "Unpublish", onAction: () => submit({ intent: "unpublish", ids: selectedResources.join(",") }) },
        ]}
        headings={[{ title: "Question" }, { title: "Category" }, { title: "Languages" }, { title: "Status" }, { title: "Views", alignment: "end" }, { title: "Helpful", alignment: "end" }, { title: "Order" }]}
        emptyState={<Box padding="400"><Text as="p">No articles match.</Text></Box>}
      >
        {resources.map((a, i) => (
          <IndexTable.Row id={a.id} key={a.id} position={i} selected={selectedResources.includes(a.id)}>
            <IndexTable.Cell>
              <RemixLink to={`/app/faq/${a.id}`} onClick={(e) => e.stopPropagation()}>
                {a.question}
              </RemixLink>
            </IndexTable.Cell>
            <IndexTable.Cell>{a.category ?? <Text as="span" tone="subdued">Uncategorized</Text>}</IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" variant="bodySm">
                {a.locales.map((l) => l.toUpperCase()).join(" · ")}
              </Text>
              {a.published && a.locales.length < FAQ_LOCALES.length ? (
                <Text as="span" variant="bodySm" tone="subdued">
                  {" "}({FAQ_LOCALES.length - a.locales.length} not translated)
                </Text>
              ) : null}
            </IndexTable.Cell>
            <IndexTable.Cell>{a.published ? <Badge tone="success">Published</Badge> : <Badge>Draft</Badge>}</IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {a.views}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Text as="span" alignment="end" numeric>
                {a.helpful + a.notHelpful > 0 ? `${Math.round((100 * a.helpful) / (a.helpful + a.notHelpful))}% of ${a.helpful + a.notHelpful}` : "–"}
              </Text>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <div onClick={(e) => e.stopPropagation()}>
                <ButtonGroup variant="segmented">
                  <Button size="slim" accessibilityLabel={`Move “${a.question}” up`} onClick={() => submit({ intent: "move", id: a.id, direction: "up" })}>
                    ↑
                  </Button>
                  <Button size="slim" accessibilityLabel={`Move “${a.question}” down`} onClick={() => submit({ intent: "move", id: a.id, direction: "down" })}>
                    ↓
                  </Button>
                  <Button size="slim" tone="critical" accessibilityLabel={`Delete “${a.question}”`} onClick={() => setDeleting(data.articles[i])}>
                    Delete
                  </Button>
                </ButtonGroup>
              </div>
            </IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </IndexTable>
      {data.pageCount > 1 ? (
        <InlineStack align="center">
          <Pagination
            hasPrevious={data.page > 1}
            hasNext={data.page < data.pageCount}
            onPrevious={() => go({ page: String(data.page - 1) })}
            onNext={() => go({ page: String(data.page + 1) })}
            label={`Page ${data.page} of ${data.pageCount}`}
          />
        </InlineStack>
      ) : null}
      <Modal
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title="Delete this article?"
        primaryAction={{ content: "Delete", destructive: true, loading: fetcher.state !== "idle", onAction: () => deleting && submit({ intent: "delete_article", id: String(deleting.id) }) }}
        secondaryActions={[{ content: "Cancel", onAction: () => setDeleting(null) }]}
      >
        <Modal.Section>
          <Text as="p">“{deleting?.question}” and its translations and votes will be deleted. Shoppers will no longer find it.</Text>
        </Modal.Section>
      </Modal>
    </BlockStack>
  );
}

function Categories({ data }: { data: Data }) {
  const [editing, setEditing] = useState<Data["categories"][number] | "new" | null>(null);
  const remover = useFetcher<typeof action>();
  return (
    <BlockStack gap="300">
      <InlineStack align="space-between">
        <Text as="p" tone="subdued">
          Group articles by topic. The FAQ section in your theme can show one category.
        </Text>
        <Button onClick={() => setEditing("new")}>Add category</Button>
      </InlineStack>
      {data.categories.length === 0 ? (
        <Text as="p">No categories yet.</Text>
      ) : (
        <DataTable
          columnContentTypes={["text", "text", "numeric", "text"]}
          headings={["Title", "Handle", "Articles", ""]}
          rows={data.categories.map((c) => [
            c.title,
            c.handle,
            c.articleCount,
            <ButtonGroup key={c.id}>
              <Button size="slim" onClick={() => setEditing(c)} accessibilityLabel={`Edit ${c.title}`}>
                Edit
              </Button>
              <Button size="slim" tone="critical" accessibilityLabel={`Delete ${c.title}`} onClick={() => remover.submit({ intent: "delete_category", id: String(c.id) }, { method: "post" })}>
                Delete
              </Button>
            </ButtonGroup>,
          ])}
        />
      )}
      <Modal open={editing !== null} onClose={() => setEditing(null)} title={editing === "new" ? "Add category" : `Edit “${editing?.title ?? ""}”`}>
        <Modal.Section>{editing ? <CategoryForm key={editing === "new" ? "new" : editing.id} category={editing === "new" ? null : editing} defaultLocale={data.defaultLocale} onDone={() => setEditing(null)} /> : null}</Modal.Section>
      </Modal>
    </BlockStack>
  );
}

function CategoryForm({ category, defaultLocale, onDone }: { category: Data["categories"][number] | null; defaultLocale: string; onDone: () => void }) {
  const fetcher = useFetcher<typeof action>();
  const shopify = useAppBridge();
  const [values, setValues] = useState<Record<string, string>>(() => ({
    handle: category?.handle ?? "",
    ...Object.fromEntries(FAQ_LOCALES.map((l) => [`title_${l}`, (category?.titles as Record<string, string> | undefined)?.[l] ?? ""])),
  }));
  const errors = fetcher.data?.errors ?? {};
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok) {
      shopify.toast.show(fetcher.data.message);
      onDone();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.state, fetcher.data]);
  return (
    <fetcher.Form method="post" noValidate>
      <input type="hidden" name="intent" value="save_category" />
      <input type="hidden" name="id" value={category ? String(category.id) : ""} />
      <BlockStack gap="300">
        <InlineGrid columns={2} gap="300">
          {FAQ_LOCALES.map((l) => (
            <TextField
              key={l}
              label={`Title in ${languageName(l)}${l === defaultLocale ? " (required)" : ""}`}
              name={`title_${l}`}
              value={values[`title_${l}`]}
              onChange={(v) => setValues((s) => ({ ...s, [`title_${l}`]: v }))}
              error={errors[`title_${l}`]}
              autoComplete="off"
            />
          ))}
        </InlineGrid>
        <TextField label="Handle" name="handle" value={values.handle} onChange={(v) => setValues((s) => ({ ...s, handle: v }))} error={errors.handle} autoComplete="off" helpText="Used in the theme editor to show this category. Made from the title when empty." />
        {errors.form ? <Text as="p" tone="critical">{errors.form}</Text> : null}
        <InlineStack align="end">
          <Button submit variant="primary" loading={fetcher.state !== "idle"}>
            Save category
          </Button>
        </InlineStack>
      </BlockStack>
    </fetcher.Form>
  );
}

function Insights({ insights }: { insights: NonNullable<Data["insights"]> }) {
  const percent = (x: number | null) => (x === null ? "–" : `${Math.round(x * 100)}%`);
  return (
    <BlockStack gap="400">
      <InlineGrid columns={{ xs: 1, md: 3 }} gap="300">
        <Card>
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">Help panel visits</Text>
            <Text as="p" variant="headingLg">{insights.visits}</Text>
            <Text as="p" tone="subdued" variant="bodySm">Times shoppers opened the help button in the last {insights.days} days.</Text>
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">Ended in a contact form</Text>
            <Text as="p" variant="headingLg">{insights.contacted}</Text>
            <Text as="p" tone="subdued" variant="bodySm">Visits where the shopper sent you a question instead.</Text>
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">Deflection</Text>
            <Text as="p" variant="headingLg">{percent(insights.deflectionRate)}</Text>
            <Text as="p" tone="subdued" variant="bodySm">Share of visits that did not need a ticket.</Text>
          </BlockStack>
        </Card>
      </InlineGrid>
      <Card>
        <BlockStack gap="200">
          <Text as="h3" variant="headingMd">Unanswered questions</Text>
          <Text as="p" tone="subdued">Searches that found no article. Write answers for the frequent ones.</Text>
          {insights.unanswered.length === 0 ? (
            <Text as="p">No searches without an answer yet.</Text>
          ) : (
            <DataTable
              columnContentTypes={["text", "text", "numeric", "text"]}
              headings={["Search", "Language", "Times", ""]}
              rows={insights.unanswered.map((s) => [s.query, languageName(s.locale), s.times, <Button key={s.query + s.locale} size="slim" url={`/app/faq/new?question=${encodeURIComponent(s.query)}&locale=${s.locale}`}>Answer it</Button>])}
            />
          )}
        </BlockStack>
      </Card>
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
        <Card>
          <BlockStack gap="200">
            <Text as="h3" variant="headingMd">Most read articles</Text>
            {insights.mostViewed.length === 0 ? (
              <Text as="p">No article has been read yet.</Text>
            ) : (
              <DataTable
                columnContentTypes={["text", "numeric", "text"]}
                headings={["Article", "Views", "Did this help?"]}
                rows={insights.mostViewed.map((a) => [
                  <RemixLink key={a.id} to={`/app/faq/${a.id}`}>{a.question}</RemixLink>,
                  a.views,
                  a.helpful + a.notHelpful > 0 ? `${a.helpful} yes · ${a.notHelpful} no` : "No votes",
                ])}
              />
            )}
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="200">
            <Text as="h3" variant="headingMd">Top searches</Text>
            {insights.topSearches.length === 0 ? (
              <Text as="p">No searches yet.</Text>
            ) : (
              <DataTable columnContentTypes={["text", "text", "numeric"]} headings={["Search", "Language", "Times"]} rows={insights.topSearches.map((s) => [s.query, languageName(s.locale), s.times])} />
            )}
          </BlockStack>
        </Card>
      </InlineGrid>
    </BlockStack>
  );
}
