import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  ButtonGroup,
  Card,
  EmptyState,
  InlineStack,
  Layout,
  Modal,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { z } from "zod";
import { authenticate } from "../shopify.server";
import { readInput, refusalBody } from "../services/input.server";
import {
  cannedDefaultLanguage,
  deleteCannedReply,
  listCannedReplies,
  saveCannedReply,
} from "../models/canned-reply.server";
import { CANNED_LIMITS } from "../services/tickets/canned-variants";
import { SUPPORTED_LANGUAGES } from "../services/tickets/auto-ack-text";
import { languageName } from "../components/labels";
import { PLACEHOLDERS, placeholderText, placeholdersFor } from "../utils/placeholders";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [replies, defaultLanguage] = await Promise.all([
    listCannedReplies(session.shop),
    cannedDefaultLanguage(session.shop),
  ]);
  return json({
    defaultLanguage,
    replies: replies.map((r) => ({
      id: r.id,
      title: r.title,
      usageCount: r.usageCount,
      bodies: Object.fromEntries(r.variants.map((v) => [v.locale, v.body])) as Partial<Record<string, string>>,
    })),
  });
};

const Intent = z.object({ intent: z.enum(["create", "update", "delete"]), id: z.string().max(64).optional() });
const GONE = { form: "That canned reply no longer exists." };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const input = await readInput(request, { maxBytes: 512 * 1024 });
  if (!input.ok) return json(refusalBody(input), { status: input.status });
  const form = input.fields;
  const parsed = Intent.safeParse(form);
  if (!parsed.success)
    return json(
      { ok: false, intent: null, errors: { form: "That action is not available." } as Record<string, string> },
      { status: 422 }
    );
  const { intent, id } = parsed.data;
  if (intent === "delete") {
    const deleted = id ? await deleteCannedReply(session.shop, id) : false;
    return deleted
      ? json({ ok: true, intent, errors: {} as Record<string, string> })
      : json({ ok: false, intent, errors: GONE as Record<string, string> }, { status: 404 });
  }
  if (intent === "update" && !id)
    return json({ ok: false, intent, errors: GONE as Record<string, string> }, { status: 404 });
  const result = await saveCannedReply(session.shop, intent === "create" ? null : id ?? "", form);
  if ("notFound" in result) return json({ ok: false, intent, errors: GONE as Record<string, string> }, { status: 404 });
  if ("errors" in result) return json({ ok: false, intent, errors: result.errors }, { status: 422 });
  return json({ ok: true, intent, errors: {} as Record<string, string> });
};

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type Reply = Data["replies"][number];
type Language = (typeof SUPPORTED_LANGUAGES)[number];

const CANNED_PLACEHOLDERS = placeholdersFor("canned");
const emptyBodies = (reply?: Reply) =>
  Object.fromEntries(SUPPORTED_LANGUAGES.map((l) => [l, reply?.bodies[l] ?? ""])) as Record<Language, string>;

/** A canned reply's title and its text in each language, one language shown at a time. */
function ReplyForm({
  reply,
  defaultLanguage,
  onDone,
}: {
  reply?: Reply;
  defaultLanguage: Language;
  onDone?: () => void;
}) {
  const fetcher = useFetcher<typeof action>();
  const shopify = useAppBridge();
  const [title, setTitle] = useState(reply?.title ?? "");
  const [bodies, setBodies] = useState(() => emptyBodies(reply));
  const [language, setLanguage] = useState<Language>(defaultLanguage);
  // The server's field errors, each dropped as soon as its field is edited.
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    setErrors(fetcher.data.errors ?? {});
    if (fetcher.data.ok) {
      shopify.toast.show(reply ? "Canned reply saved" : "Canned reply added");
      if (!reply) {
        setTitle("");
        setBodies(emptyBodies());
        setLanguage(defaultLanguage);
      }
      onDone?.();
      return;
    }
    // Stay on the language being written if it needs a fix, else show the first one that does.
    const failed = fetcher.data.errors ?? {};
    const first = SUPPORTED_LANGUAGES.find((l) => failed[`body_${l}`]);
    if (first) setLanguage((shown) => (failed[`body_${shown}`] ? shown : first));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.state, fetcher.data]);
  const clear = (key: string) =>
    setErrors((e) => {
      if (!(key in e)) return e;
      const rest = { ...e };
      delete rest[key];
      return rest;
    });
  const missing = SUPPORTED_LANGUAGES.filter((l) => !bodies[l].trim());
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value={reply ? "update" : "create"} />
      {reply ? <input type="hidden" name="id" value={reply.id} /> : null}
      <BlockStack gap="300">
        <TextField
          label="Title"
          name="title"
          value={title}
          onChange={(v) => {
            setTitle(v);
            clear("title");
          }}
          error={errors.title}
          autoComplete="off"
          maxLength={CANNED_LIMITS.title}
        />
        {/* One button per language, wrapping on a narrow screen, each saying whether it is written. */}
        <div
          role="group"
          aria-label="Language"
          style={{ display: "flex", flexWrap: "wrap", gap: "var(--p-space-200)" }}
        >
          {SUPPORTED_LANGUAGES.map((l) => {
            const required = l === defaultLanguage ? " (required)" : "";
            const state = errors[`body_${l}`] ? "needs a fix" : bodies[l].trim() ? "written" : "missing";
            const mark = errors[`body_${l}`] ? "⚠" : bodies[l].trim() ? "✓" : "–";
            return (
              <Button
                key={l}
                size="slim"
                pressed={l === language}
                onClick={() => setLanguage(l)}
                accessibilityLabel={`${languageName(l)}${required}: ${state}`}
              >
                {`${languageName(l)}${required} ${mark}`}
              </Button>
            );
          })}
        </div>
        {SUPPORTED_LANGUAGES.map((l) => (
          // Every language stays in the form; only the chosen one shows.
          <div key={l} hidden={l !== language}>
            <TextField
              label={`Reply (${languageName(l)})`}
              name={`body_${l}`}
              value={bodies[l]}
              onChange={(v) => {
                setBodies((s) => ({ ...s, [l]: v }));
                clear(`body_${l}`);
              }}
              error={errors[`body_${l}`]}
              multiline={6}
              autoComplete="off"
              maxLength={CANNED_LIMITS.body}
              showCharacterCount
              helpText={
                l === defaultLanguage
                  ? "Inserted when the shopper's language has no version."
                  : "Leave empty if you have no version in this language."
              }
            />
          </div>
        ))}
        {missing.length > 0 && missing.length < SUPPORTED_LANGUAGES.length ? (
          <Text as="p" tone="subdued" variant="bodySm">
            {`Missing: ${missing.map((l) => languageName(l)).join(", ")}. Shoppers writing in ${
              missing.length === 1 ? "it" : "them"
            } get the ${languageName(
              bodies[defaultLanguage].trim() ? defaultLanguage : "en"
            )} version; the agent is told.`}
          </Text>
        ) : null}
        {errors.form ? (
          <Text as="p" tone="critical">
            {errors.form}
          </Text>
        ) : null}
        <InlineStack align="end">
          <Button submit variant="primary" loading={fetcher.state !== "idle"}>
            {reply ? "Save" : "Add canned reply"}
          </Button>
        </InlineStack>
      </BlockStack>
    </fetcher.Form>
  );
}

function PlaceholderList() {
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="headingSm">
        Placeholders
      </Text>
      <Text as="p" tone="subdued" variant="bodySm">
        Filled from the ticket's customer and order when the reply is inserted. A line whose placeholder has no value
        (no tracking link, no date) is left out; a missing name is simply dropped.
      </Text>
      <ul style={{ margin: 0, paddingInlineStart: "var(--p-space-400)" }}>
        {CANNED_PLACEHOLDERS.map((name) => (
          <li key={name}>
            <Text as="span" variant="bodySm">
              <code>{placeholderText(name)}</code> {PLACEHOLDERS[name].label}
            </Text>
          </li>
        ))}
      </ul>
    </BlockStack>
  );
}

export default function CannedReplies() {
  const { replies, defaultLanguage } = useLoaderData<typeof loader>();
  const [editing, setEditing] = useState<Reply | null>(null);
  const [deleting, setDeleting] = useState<Reply | null>(null);
  const remover = useFetcher<typeof action>();
  useEffect(() => {
    if (remover.state === "idle" && remover.data) setDeleting(null);
  }, [remover.state, remover.data]);

  return (
    <Page title="Canned replies">
      <TitleBar title="Canned replies" />
      <Layout>
        <Layout.Section>
          <Card>
            {replies.length === 0 ? (
              <EmptyState heading="No canned replies yet" image="">
                <p>
                  Save the answers you give often, in each language your shoppers write in, then insert them while
                  replying. Placeholders like {"{{first_name}}"} are filled for each ticket.
                </p>
              </EmptyState>
            ) : (
              <BlockStack gap="400">
                {replies.map((reply) => {
                  const written = SUPPORTED_LANGUAGES.filter((l) => reply.bodies[l]);
                  const missing = SUPPORTED_LANGUAGES.filter((l) => !reply.bodies[l]);
                  const preview = reply.bodies[defaultLanguage] ?? reply.bodies[written[0]] ?? "";
                  return (
                    <BlockStack gap="100" key={reply.id}>
                      <InlineStack align="space-between" blockAlign="center">
                        <Text as="h3" variant="headingSm">
                          {reply.title}
                        </Text>
                        <ButtonGroup>
                          <Button onClick={() => setEditing(reply)} accessibilityLabel={`Edit ${reply.title}`}>
                            Edit
                          </Button>
                          <Button
                            tone="critical"
                            onClick={() => setDeleting(reply)}
                            accessibilityLabel={`Delete ${reply.title}`}
                          >
                            Delete
                          </Button>
                        </ButtonGroup>
                      </InlineStack>
                      <Text as="p" tone="subdued" truncate>
                        {preview.split("\n")[0]}
                      </Text>
                      <InlineStack gap="100" blockAlign="center">
                        {written.map((l) => (
                          <Badge key={l} tone="success">
                            {languageName(l)}
                          </Badge>
                        ))}
                        {!reply.bodies[defaultLanguage] ? (
                          <Badge tone="critical">{`No ${languageName(defaultLanguage)} version (required)`}</Badge>
                        ) : null}
                        {missing.length > 0 ? (
                          <Text as="span" tone="subdued" variant="bodySm">
                            {`Missing: ${missing.map((l) => languageName(l)).join(", ")}`}
                          </Text>
                        ) : null}
                      </InlineStack>
                      <Text as="p" tone="subdued" variant="bodySm">
                        Used {reply.usageCount} {reply.usageCount === 1 ? "time" : "times"}
                      </Text>
                    </BlockStack>
                  );
                })}
              </BlockStack>
            )}
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  New canned reply
                </Text>
                <ReplyForm defaultLanguage={defaultLanguage} />
              </BlockStack>
            </Card>
            <Card>
              <PlaceholderList />
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
      <Modal
        size="large"
        open={editing !== null}
        onClose={() => setEditing(null)}
        title={editing ? `Edit “${editing.title}”` : ""}
      >
        <Modal.Section>
          {editing ? (
            <BlockStack gap="400">
              <ReplyForm
                key={editing.id}
                reply={editing}
                defaultLanguage={defaultLanguage}
                onDone={() => setEditing(null)}
              />
              <Box borderColor="border" borderBlockStartWidth="025" paddingBlockStart="300">
                <PlaceholderList />
              </Box>
            </BlockStack>
          ) : null}
        </Modal.Section>
      </Modal>
      <Modal
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={deleting ? `Delete “${deleting.title}”?` : ""}
        primaryAction={{
          content: "Delete",
          destructive: true,
          loading: remover.state !== "idle",
          onAction: () => deleting && remover.submit({ intent: "delete", id: deleting.id }, { method: "post" }),
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setDeleting(null) }]}
      >
        <Modal.Section>
          <Text as="p">
            It is removed for everyone on your team, in every language. Replies already sent are not changed.
          </Text>
        </Modal.Section>
      </Modal>
    </Page>
  );
}
