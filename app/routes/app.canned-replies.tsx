import { useEffect, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { BlockStack, Button, ButtonGroup, Card, EmptyState, InlineStack, Layout, Modal, Page, Text, TextField } from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { z } from "zod";
import { authenticate } from "../shopify.server";
import { readInput, refusalBody } from "../services/input.server";
import { createCannedReply, deleteCannedReply, listCannedReplies, updateCannedReply } from "../models/canned-reply.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const replies = await listCannedReplies(session.shop);
  return json({ replies: replies.map((r) => ({ id: r.id, title: r.title, body: r.body, usageCount: r.usageCount })) });
};

const Intent = z.object({ intent: z.enum(["create", "update", "delete"]), id: z.string().max(64).optional() });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const input = await readInput(request, { maxBytes: 512 * 1024 });
  if (!input.ok) return json(refusalBody(input), { status: input.status });
  const form = input.fields;
  const parsed = Intent.safeParse(form);
  if (!parsed.success) return json({ ok: false, intent: null, errors: { form: "That action is not available." } as Record<string, string> }, { status: 422 });
  const { intent, id } = parsed.data;
  if (intent === "delete") {
    const deleted = id ? await deleteCannedReply(session.shop, id) : false;
    return deleted
      ? json({ ok: true, intent, errors: {} as Record<string, string> })
      : json({ ok: false, intent, errors: { form: "That canned reply no longer exists." } as Record<string, string> }, { status: 404 });
  }
  const result = intent === "create" ? await createCannedReply(session.shop, form) : await updateCannedReply(session.shop, id ?? "", form);
  if ("notFound" in result) return json({ ok: false, intent, errors: { form: "That canned reply no longer exists." } as Record<string, string> }, { status: 404 });
  if ("errors" in result) return json({ ok: false, intent, errors: result.errors }, { status: 422 });
  return json({ ok: true, intent, errors: {} as Record<string, string> });
};

const VARIABLES = ["first_name", "customer_name", "order_name", "tracking_link", "expected_delivery", "shop_name"];

type Reply = ReturnType<typeof useLoaderData<typeof loader>>["replies"][number];

function ReplyForm({ reply, onDone }: { reply?: Reply; onDone?: () => void }) {
  const fetcher = useFetcher<typeof action>();
  const shopify = useAppBridge();
  const [title, setTitle] = useState(reply?.title ?? "");
  const [body, setBody] = useState(reply?.body ?? "");
  const errors = fetcher.data?.errors ?? {};
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok) {
      shopify.toast.show(reply ? "Canned reply saved" : "Canned reply added");
      if (!reply) {
        setTitle("");
        setBody("");
      }
      onDone?.();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.state, fetcher.data]);
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value={reply ? "update" : "create"} />
      {reply ? <input type="hidden" name="id" value={reply.id} /> : null}
      <BlockStack gap="300">
        <TextField label="Title" name="title" value={title} onChange={setTitle} error={errors.title} autoComplete="off" maxLength={80} />
        <TextField
          label="Reply"
          name="body"
          value={body}
          onChange={setBody}
          error={errors.body}
          multiline={5}
          autoComplete="off"
          helpText={`Variables filled for each ticket: ${VARIABLES.map((v) => `{{${v}}}`).join(", ")}`}
        />
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

export default function CannedReplies() {
  const { replies } = useLoaderData<typeof loader>();
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
                <p>Save the answers you give often, then insert them while replying. Variables like {"{{first_name}}"} are filled for each ticket.</p>
              </EmptyState>
            ) : (
              <BlockStack gap="400">
                {replies.map((reply) => (
                  <BlockStack gap="100" key={reply.id}>
                    <InlineStack align="space-between" blockAlign="center">
                      <Text as="h3" variant="headingSm">
                        {reply.title}
                      </Text>
                      <ButtonGroup>
                        <Button onClick={() => setEditing(reply)} accessibilityLabel={`Edit ${reply.title}`}>
                          Edit
                        </Button>
                        <Button tone="critical" onClick={() => setDeleting(reply)} accessibilityLabel={`Delete ${reply.title}`}>
                          Delete
                        </Button>
                      </ButtonGroup>
                    </InlineStack>
                    <Text as="p" tone="subdued" truncate>
                      {reply.body.split("\n")[0]}
                    </Text>
                    <Text as="p" tone="subdued" variant="bodySm">
                      Used {reply.usageCount} {reply.usageCount === 1 ? "time" : "times"}
                    </Text>
                  </BlockStack>
                ))}
              </BlockStack>
            )}
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                New canned reply
              </Text>
              <ReplyForm />
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
      <Modal open={editing !== null} onClose={() => setEditing(null)} title={editing ? `Edit “${editing.title}”` : ""}>
        <Modal.Section>{editing ? <ReplyForm key={editing.id} reply={editing} onDone={() => setEditing(null)} /> : null}</Modal.Section>
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
          <Text as="p">It is removed for everyone on your team. Replies already sent are not changed.</Text>
        </Modal.Section>
      </Modal>
    </Page>
  );
}
