import { useCallback, useEffect, useRef, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link as RemixLink, isRouteErrorResponse, useFetcher, useLoaderData, useRouteError } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Divider,
  EmptyState,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { z } from "zod";
import { authenticate } from "../shopify.server";
import { readInput, refusalBody } from "../services/input.server";
import { surveyForTicket } from "../models/satisfaction.server";
import { currentStaff, staffMembers } from "../models/staff.server";
import { shopTimeZone } from "../models/shop-time-zone.server";
import { publishTicketChange } from "../services/live/events.server";
import { markTicketRead, pastTickets, ticketOrder, writtenMeanwhile } from "../models/ticket.server";
import { chatOfTicket, markSeenByAgent, VISITOR_PRESENT_MS } from "../models/chat.server";
import { parseStoredCart } from "../services/chat/chat.server";
import { useLiveEvent } from "../components/live";
import { customerForShop, customerRowId } from "../models/customer.server";
import { cannedRepliesForTicket } from "../services/tickets/canned.server";
import { recordCannedReplyUse } from "../models/canned-reply.server";
import {
  addNote,
  assignTicket,
  replyToTicket,
  setTicketPriority,
  setTicketStatus,
  setTicketTags,
  ticketWithThread,
} from "../services/tickets/tickets.server";
import { TICKET_PRIORITIES, TICKET_STATUSES } from "../services/tickets/constants";
import { DateTime } from "../components/DateTime";
import { holdReason, languageName, statusBadge } from "../components/labels";
import { placeholderText } from "../utils/placeholders";
import { channelLabel, eventText, priorityLabel, ticketStatusBadge } from "../components/ticket-labels";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const shop = session.shop;
  const staff = await currentStaff(request, shop, sessionToken);
  const id = params.id ?? "";
  const found = id.length <= 64 ? await ticketWithThread(shop, id) : null;
  if (!found) throw json({ message: "Ticket not found" }, { status: 404 });
  if (await markTicketRead(shop, id)) await publishTicketChange(shop, "ticket.read", id);
  const chatRow = found.ticket.channel === "chat" ? await chatOfTicket(shop, id) : null;
  // The shopper's chat says "Seen" once staff have read what they wrote.
  if (chatRow && (await markSeenByAgent(shop, id, new Date(found.ticket.lastMessageAt)))) await publishTicketChange(shop, "chat.seen", id, staff.name);
  const chat = chatRow
    ? {
        present: chatRow.lastActiveAt.getTime() >= Date.now() - VISITOR_PRESENT_MS,
        pagePath: chatRow.pagePath,
        visitorSeenAt: chatRow.visitorSeenAt?.toISOString() ?? null,
        cart: parseStoredCart(chatRow.cart),
        cartAt: chatRow.cartAt?.toISOString() ?? null,
      }
    : null;
  const rowId = await customerRowId(shop, found.ticket.customerShopifyId);
  const [customer, past, staffList, timeZone, canned, satisfaction, order] = await Promise.all([
    rowId ? customerForShop(shop, rowId) : null,
    pastTickets(shop, found.ticket.customerEmail, id),
    staffMembers(shop),
    shopTimeZone(shop),
    cannedRepliesForTicket(shop, id),
    surveyForTicket(shop, id),
    ticketOrder(shop, found.ticket),
  ]);
  const emailStatus = Object.fromEntries(found.emails.map((e) => [e.id, { status: e.status, lastError: e.lastError }]));
  return json({
    ticket: found.ticket,
    messages: found.messages.map((m) => ({ ...m, email: m.emailId ? (emailStatus[m.emailId] ?? null) : null, eventText: m.kind === "event" ? eventText(m.event, m.eventData) : null })),
    customer: customer ? { ...customer.customer, orders: customer.orders.slice(0, 10) } : null,
    past,
    staff,
    staffList,
    canned,
    satisfaction,
    order,
    timeZone,
    chat,
  });
};

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("reply"),
    body: z.string(),
    status: z.string().optional(),
    cannedId: z.string().max(64).optional(),
    // The newest message on the page when the agent sent: a reply over something newer asks first.
    after: z.string().max(64).optional(),
    force: z.string().optional(),
  }),
  z.object({ intent: z.literal("note"), body: z.string() }),
  z.object({ intent: z.literal("status"), status: z.string() }),
  z.object({ intent: z.literal("priority"), priority: z.string() }),
  z.object({ intent: z.literal("assign"), assignee: z.string().max(64) }),
  z.object({ intent: z.literal("tags"), tags: z.string().max(2000) }),
]);

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const shop = session.shop;
  const staff = await currentStaff(request, shop, sessionToken);
  const id = params.id ?? "";
  const body = await readInput(request, { maxBytes: 512 * 1024 });
  if (!body.ok) return json(refusalBody(body), { status: body.status });
  const parsed = ActionSchema.safeParse(body.fields);
  if (!parsed.success) return json({ ok: false, errors: { form: "That action is not available." } as Record<string, string> }, { status: 422 });
  const input = parsed.data;
  let result: { ok?: true; notFound?: true; errors?: Record<string, string> };
  switch (input.intent) {
    case "reply": {
      const meanwhile = input.after && input.force !== "1" ? await writtenMeanwhile(shop, id, input.after, staff.name) : null;
      if (meanwhile) {
        const what = meanwhile.shopper ? "The shopper wrote again" : `${meanwhile.by} replied`;
        return json({ ok: false, errors: { collision: `${what} while you were writing. Read it above, then send yours or change it.` } as Record<string, string> }, { status: 409 });
      }
      result = await replyToTicket(shop, id, staff, { body: input.body, status: input.status || undefined });
      if (result.ok && input.cannedId) await recordCannedReplyUse(shop, input.cannedId);
      break;
    }
    case "note":
      result = await addNote(shop, id, staff, { body: input.body });
      break;
    case "status":
      result = await setTicketStatus(shop, id, input.status, staff);
      break;
    case "priority":
      result = await setTicketPriority(shop, id, input.priority, staff);
      break;
    case "assign": {
      const members = await staffMembers(shop);
      const assignee =
        input.assignee === "none"
          ? null
          : input.assignee === staff.id
            ? staff
            : (members.map((m) => ({ id: m.userId, name: m.name })).find((m) => m.id === input.assignee) ?? undefined);
      if (assignee === undefined) return json({ ok: false, errors: { assignee: "Choose someone from the list." } as Record<string, string> }, { status: 422 });
      result = await assignTicket(shop, id, assignee, staff);
      break;
    }
    case "tags":
      result = await setTicketTags(shop, id, input.tags, staff);
      break;
  }
  if (result.notFound) return json({ ok: false, errors: { form: "Ticket not found." } as Record<string, string> }, { status: 404 });
  if (result.errors) return json({ ok: false, errors: result.errors }, { status: 422 });
  return json({ ok: true, intent: input.intent, errors: {} as Record<string, string> });
};

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

export default function TicketPage() {
  const { ticket, messages, customer, past, staff, staffList, canned, satisfaction, order, timeZone, chat } = useLoaderData<typeof loader>();
  const status = ticketStatusBadge(ticket.status);
  const overdue = ticket.status === "open" && !ticket.firstResponseAt && ticket.slaDueAt && new Date(ticket.slaDueAt) < new Date();
  return (
    <Page
      backAction={{ content: "Inbox", url: "/app/inbox" }}
      title={`#${ticket.number} ${ticket.subject}`}
      titleMetadata={
        <InlineStack gap="100">
          <Badge tone={status.tone}>{status.label}</Badge>
          {overdue ? <Badge tone="critical">Overdue</Badge> : null}
        </InlineStack>
      }
      subtitle={channelLabel(ticket.channel)}
    >
      <TitleBar title={`#${ticket.number} ${ticket.subject}`} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Timeline messages={messages} timeZone={timeZone} />
            <Viewers ticketId={ticket.id} me={staff.name} />
            <Typing ticketId={ticket.id} me={staff.name} />
            {chat ? <ChatStatus chat={chat} email={ticket.customerEmail} lastShopperAt={lastShopperAt(messages)} /> : null}
            <ReplyBox
              key={ticket.id}
              ticketId={ticket.id}
              ticketStatus={ticket.status}
              canned={canned}
              canReply={Boolean(ticket.customerEmail) || (chat?.present ?? false)}
              chat={Boolean(chat)}
              newestId={messages[messages.length - 1]?.id ?? ""}
            />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Controls ticket={ticket} staff={staff} staffList={staffList} timeZone={timeZone} />
            {satisfaction ? (
              <Card>
                <BlockStack gap="100">
                  <Text as="h2" variant="headingSm">
                    Satisfaction
                  </Text>
                  {satisfaction.rating ? (
                    <>
                      <InlineStack gap="200" blockAlign="center">
                        <Text as="p" variant="headingLg">
                          {`Rated ${satisfaction.rating}/5`}
                        </Text>
                        <Badge tone={satisfaction.rating >= 4 ? "success" : satisfaction.rating === 3 ? "attention" : "critical"}>{satisfaction.rating >= 4 ? "Satisfied" : satisfaction.rating === 3 ? "Neutral" : "Unhappy"}</Badge>
                      </InlineStack>
                      {satisfaction.comment ? (
                        <Text as="p" breakWord>
                          “{satisfaction.comment}”
                        </Text>
                      ) : null}
                    </>
                  ) : (
                    <Text as="p" tone="subdued">
                      Survey sent <DateTime value={satisfaction.sentAt} timeZone={timeZone} />, no answer yet.
                    </Text>
                  )}
                </BlockStack>
              </Card>
            ) : null}
            <CustomerCard ticket={ticket} customer={customer} past={past} order={order} timeZone={timeZone} chat={chat} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

const lastShopperAt = (messages: Data["messages"]) => [...messages].reverse().find((m) => m.kind === "customer")?.createdAt ?? null;

const VIEWING_EVERY_MS = 20_000;
const VIEWING_LASTS_MS = 45_000;

/**
 * Who else has this ticket open: the page says it joined when it opens and when its live stream
 * (re)connects, and that it is viewing every 20 s and in answer to one who joined, so both see each
 * other at once; someone not heard from in 45 s has left.
 */
function Viewers({ ticketId, me }: { ticketId: string; me: string }) {
  const [others, setOthers] = useState<Record<string, number>>({});
  const seen = useRef<Record<string, number>>({});
  const announce = useCallback(
    (what: "joined" | "viewing") => {
      void fetch("/app/typing", { method: "POST", body: new URLSearchParams({ ticketId, what }) }).catch(() => undefined);
    },
    [ticketId],
  );
  useEffect(() => {
    seen.current = {};
    setOthers({});
    announce("joined");
    const timer = setInterval(() => announce("viewing"), VIEWING_EVERY_MS);
    const prune = setInterval(() => {
      const now = Date.now();
      const still = Object.fromEntries(Object.entries(seen.current).filter(([, at]) => now - at < VIEWING_LASTS_MS));
      if (Object.keys(still).length !== Object.keys(seen.current).length) {
        seen.current = still;
        setOthers(still);
      }
    }, 5_000);
    return () => {
      clearInterval(timer);
      clearInterval(prune);
    };
  }, [announce]);
  useLiveEvent((message) => {
    // The stream (re)connected: the others' answers to our first word may have come before it
    // listened (a ticket opened as the first page), so join again and they answer again.
    if (message.kind === "resync") return announce("joined");
    if ((message.kind !== "ticket.viewing" && message.kind !== "ticket.joined") || message.ticketId !== ticketId || !message.actor || message.actor === me) return;
    seen.current = { ...seen.current, [message.actor]: Date.now() };
    setOthers(seen.current);
    // Someone who just opened it (or reconnected) hears at once that we are here.
    if (message.kind === "ticket.joined") announce("viewing");
  });
  const names = Object.keys(others).sort();
  if (names.length === 0) return null;
  return (
    <Banner tone="warning">
      <p role="status">{`Also on this ticket: ${names.join(", ")}`}</p>
    </Banner>
  );
}

/** Who is writing on this ticket right now: the shopper in a chat, or another staff member (so two do not answer at once). */
function Typing({ ticketId, me }: { ticketId: string; me: string }) {
  const [typing, setTyping] = useState<{ who: string; until: number } | null>(null);
  useLiveEvent((message) => {
    if (message.kind !== "chat.typing" || message.ticketId !== ticketId || !message.actor || message.actor === me) return;
    setTyping({ who: message.actor === "shopper" ? "The shopper is typing…" : `${message.actor} is typing a reply…`, until: Date.now() + 5_000 });
  });
  useEffect(() => {
    if (!typing) return;
    const timer = setTimeout(() => setTyping(null), Math.max(0, typing.until - Date.now()));
    return () => clearTimeout(timer);
  }, [typing]);
  if (!typing) return null;
  return (
    <Box paddingInline="300">
      <Text as="p" tone="subdued" variant="bodySm">
        <span role="status">{typing.who}</span>
      </Text>
    </Box>
  );
}

/** A chat's state: whether the shopper is still there (the reply reaches them in the chat) or gone (by email, if they left one). */
function ChatStatus({ chat, email, lastShopperAt }: { chat: NonNullable<Data["chat"]>; email: string | null; lastShopperAt: string | null }) {
  const seen = chat.visitorSeenAt && lastShopperAt !== null;
  if (chat.present) {
    return (
      <Banner tone="success" title="The shopper is in the chat">
        <p>
          Your reply reaches them in the chat at once{chat.pagePath ? `; they are on ${chat.pagePath}` : ""}.{seen ? " They have seen the conversation." : ""}
        </p>
      </Banner>
    );
  }
  return (
    <Banner tone="info" title="The shopper has left the chat">
      <p>{email ? `Your reply also goes by email to ${email}, and their answer comes back here.` : "They left no email address: a reply cannot reach them until they come back to the chat."}</p>
    </Banner>
  );
}

const EMAIL_STATE: Record<string, { label: string; tone: "success" | "attention" | "critical" | "info" }> = {
  sent: { label: "Emailed", tone: "success" },
  queued: { label: "Sending…", tone: "attention" },
  failed: { label: "Not delivered", tone: "critical" },
  outbox: { label: "In outbox", tone: "info" },
};

function Timeline({ messages, timeZone }: { messages: Data["messages"]; timeZone: string }) {
  return (
    <BlockStack gap="300">
      {messages.map((m) => {
        if (m.kind === "event") {
          return (
            <Box key={m.id} paddingInline="300">
              <Text as="p" tone="subdued" variant="bodySm">
                {m.eventText} · <DateTime value={m.createdAt} timeZone={timeZone} />
              </Text>
            </Box>
          );
        }
        const who = m.kind === "customer" ? (m.authorName ?? m.authorEmail ?? "Customer") : (m.authorName ?? "Staff");
        const label = m.kind === "note" ? "Internal note" : m.kind === "reply" ? "Reply" : m.kind === "notice" ? "Delay notice" : "Customer";
        const emailState = m.email ? EMAIL_STATE[m.email.status] : null;
        return (
          <Card key={m.id} background={m.kind === "note" ? "bg-surface-warning" : m.kind === "reply" ? "bg-surface-secondary" : m.kind === "notice" ? "bg-surface-info" : undefined}>
            <BlockStack gap="200">
              <InlineStack align="space-between" blockAlign="center" gap="200">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="span" fontWeight="semibold">
                    {who}
                  </Text>
                  <Badge tone={m.kind === "note" ? "warning" : m.kind === "notice" ? "info" : undefined}>{label}</Badge>
                  {emailState ? <Badge tone={emailState.tone}>{emailState.label}</Badge> : null}
                </InlineStack>
                <Text as="span" tone="subdued" variant="bodySm">
                  <DateTime value={m.createdAt} timeZone={timeZone} />
                </Text>
              </InlineStack>
              <Box>
                {m.body.split("\n").map((line, i) => (
                  <Text as="p" key={i} breakWord>
                    {line || "\u00a0"}
                  </Text>
                ))}
              </Box>
              {m.email?.status === "failed" && m.email.lastError ? (
                <Text as="p" tone="critical" variant="bodySm">
                  {m.email.lastError}
                </Text>
              ) : null}
            </BlockStack>
          </Card>
        );
      })}
    </BlockStack>
  );
}

type Canned = Data["canned"];

/** What was inserted last: replaced when the agent picks another language, if left as it was. */
interface Inserted {
  id: string;
  locale: string;
  text: string;
  chosenByAgent: boolean;
}

function ReplyBox({
  ticketId,
  ticketStatus,
  canned,
  canReply,
  chat,
  newestId,
}: {
  ticketId: string;
  ticketStatus: string;
  canned: Canned;
  canReply: boolean;
  chat: boolean;
  newestId: string;
}) {
  const fetcher = useFetcher<{ ok: boolean; intent?: string; errors: Record<string, string> }>();
  const shopify = useAppBridge();
  const [body, setBody] = useState("");
  const hasEmail = canReply;
  const [mode, setMode] = useState<"reply" | "note">(hasEmail ? "reply" : "note");
  // The newest message when the agent started writing: what arrives after it is "meanwhile".
  const [after, setAfter] = useState(newestId);
  const [force, setForce] = useState(false);
  const lastTyping = useRef(0);
  const onBody = (value: string) => {
    if (body.trim() === "" && value.trim() !== "") setAfter(newestId);
    setBody(value);
    setForce(false);
    // Others with the ticket open (and the shopper, in a chat) see who is writing; at most every 3 s.
    if (mode === "reply" && value.trim() !== "" && Date.now() - lastTyping.current > 3_000) {
      lastTyping.current = Date.now();
      void fetch("/app/typing", { method: "POST", body: new URLSearchParams({ ticketId }) }).catch(() => undefined);
    }
  };
  useEffect(() => {
    if (!canReply && mode === "reply") setMode("note");
  }, [canReply, mode]);
  const [cannedId, setCannedId] = useState("");
  const [inserted, setInserted] = useState<Inserted | null>(null);
  const [status, setStatus] = useState(ticketStatus === "open" ? "pending" : ticketStatus);
  const busy = fetcher.state !== "idle";

  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok && (fetcher.data.intent === "reply" || fetcher.data.intent === "note")) {
      shopify.toast.show(fetcher.data.intent === "reply" ? (chat ? "Sent in the chat" : "Reply sent") : "Note added");
      setBody("");
      setForce(false);
      setCannedId("");
      setInserted(null);
    }
  }, [fetcher.state, fetcher.data, shopify]);

  const insertCanned = (id: string, locale?: string) => {
    const reply = canned.replies.find((c) => c.id === id);
    const variant = reply?.variants.find((v) => v.locale === (locale ?? reply.chosen)) ?? reply?.variants[0];
    if (!reply || !variant) return;
    const switching = locale !== undefined && inserted?.id === id;
    setBody((current) => {
      if (switching && inserted && current.includes(inserted.text)) {
        return current.replace(inserted.text, () => variant.text);
      }
      return current.trim() ? `${current.trimEnd()}\n\n${variant.text}` : variant.text;
    });
    setCannedId(id);
    setInserted({ id, locale: variant.locale, text: variant.text, chosenByAgent: locale !== undefined });
  };

  const shopper = canned.shopperLanguage;
  const current = inserted ? canned.replies.find((c) => c.id === inserted.id) : undefined;
  const variant = current?.variants.find((v) => v.locale === inserted?.locale);
  const fallback =
    inserted && !inserted.chosenByAgent && inserted.locale !== shopper
      ? shopper
        ? `No ${languageName(shopper)} version: inserted ${languageName(inserted.locale)}.`
        : `The shopper's language is not known: inserted ${languageName(inserted.locale)}.`
      : null;
  const optionLabel = (reply: Canned["replies"][number]) =>
    shopper && reply.chosen !== shopper ? `${reply.title} (${languageName(reply.chosen)})` : reply.title;

  return (
    <Card>
      <fetcher.Form method="post">
        <BlockStack gap="300">
          <InlineStack gap="200">
            <Button pressed={mode === "reply"} onClick={() => setMode("reply")} disabled={!hasEmail}>
              {chat ? "Reply in chat" : "Reply to customer"}
            </Button>
            <Button pressed={mode === "note"} onClick={() => setMode("note")}>
              Internal note
            </Button>
          </InlineStack>
          <input type="hidden" name="intent" value={mode} />
          <input type="hidden" name="cannedId" value={cannedId} />
          {mode === "reply" ? <input type="hidden" name="after" value={after} /> : null}
          {mode === "reply" && force ? <input type="hidden" name="force" value="1" /> : null}
          {mode === "reply" && canned.replies.length > 0 ? (
            <InlineStack gap="300" blockAlign="end" wrap>
              <Select
                label="Insert a canned reply"
                options={[
                  { label: "Choose…", value: "" },
                  ...canned.replies.map((c) => ({ label: optionLabel(c), value: c.id })),
                ]}
                value=""
                onChange={(id) => insertCanned(id)}
              />
              {current && inserted && current.variants.length > 1 ? (
                <Select
                  label="Canned reply language"
                  options={current.variants.map((v) => ({
                    label: `${languageName(v.locale)}${v.locale === shopper ? " (shopper's language)" : ""}`,
                    value: v.locale,
                  }))}
                  value={inserted.locale}
                  onChange={(locale) => insertCanned(current.id, locale)}
                />
              ) : null}
            </InlineStack>
          ) : null}
          {mode === "reply" && fallback ? <Banner tone="warning">{fallback}</Banner> : null}
          {mode === "reply" && variant && variant.missing.length > 0 ? (
            <Text as="p" tone="caution">
              {`No value on this ticket for ${variant.missing.map(placeholderText).join(", ")}: left out. ` +
                "Read the reply before sending."}
            </Text>
          ) : null}
          {mode === "reply" && variant && variant.unknown.length > 0 ? (
            <Text as="p" tone="critical">
              {`Not a placeholder, its line left out: ${variant.unknown.join(", ")}. ` +
                "Fix the text under Canned replies."}
            </Text>
          ) : null}
          <TextField
            label={mode === "reply" ? "Reply" : "Note (only your team sees it)"}
            name="body"
            value={body}
            onChange={onBody}
            multiline={6}
            autoComplete="off"
            error={fetcher.data?.errors?.body}
            maxLength={20000}
          />
          {fetcher.data?.errors?.form ? <Banner tone="critical">{fetcher.data.errors.form}</Banner> : null}
          {fetcher.state === "idle" && fetcher.data?.errors?.collision && !force ? (
            <Banner tone="warning" title="Someone else answered meanwhile">
              <BlockStack gap="200">
                <p>{fetcher.data.errors.collision}</p>
                <InlineStack gap="200">
                  <Button
                    onClick={() => {
                      setAfter(newestId);
                      setForce(true);
                      fetcher.submit({ intent: "reply", body, status, cannedId, after: newestId, force: "1" }, { method: "post" });
                    }}
                  >
                    Send mine anyway
                  </Button>
                </InlineStack>
              </BlockStack>
            </Banner>
          ) : null}
          <InlineStack gap="300" align="end" blockAlign="end">
            {mode === "reply" ? (
              <Select
                label="Then set the ticket"
                labelInline
                name="status"
                options={TICKET_STATUSES.map((s) => ({ label: ticketStatusBadge(s).label, value: s }))}
                value={status}
                onChange={setStatus}
              />
            ) : null}
            <Button submit variant="primary" loading={busy} disabled={body.trim() === ""}>
              {mode === "reply" ? "Send reply" : "Add note"}
            </Button>
          </InlineStack>
        </BlockStack>
      </fetcher.Form>
    </Card>
  );
}

function Controls({ ticket, staff, staffList, timeZone }: { ticket: Data["ticket"]; staff: Data["staff"]; staffList: Data["staffList"]; timeZone: string }) {
  const fetcher = useFetcher<{ ok: boolean; intent?: string; errors: Record<string, string> }>();
  const shopify = useAppBridge();
  const [tags, setTags] = useState(ticket.tags.split(",").filter(Boolean).join(", "));
  useEffect(() => setTags(ticket.tags.split(",").filter(Boolean).join(", ")), [ticket.tags]);
  const submit = (data: Record<string, string>) => fetcher.submit(data, { method: "post" });
  const people = [{ userId: staff.id, name: `${staff.name} (you)` }, ...staffList.filter((s) => s.userId !== staff.id)];
  // Every change is confirmed as a reply is: the toast names what the ticket now is.
  const done = useRef<unknown>(null);
  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data || done.current === fetcher.data) return;
    done.current = fetcher.data;
    if (!fetcher.data.ok) {
      if (fetcher.data.errors.form) shopify.toast.show(fetcher.data.errors.form, { isError: true });
      return;
    }
    const assignee = staffList.find((s) => s.userId === ticket.assigneeId)?.name ?? (ticket.assigneeId === staff.id ? staff.name : ticket.assigneeName);
    const message =
      fetcher.data.intent === "status"
        ? `Status set to ${ticketStatusBadge(ticket.status).label}`
        : fetcher.data.intent === "priority"
          ? `Priority set to ${priorityLabel(ticket.priority)}`
          : fetcher.data.intent === "assign"
            ? ticket.assigneeId
              ? `Assigned to ${assignee ?? "them"}`
              : "Unassigned"
            : fetcher.data.intent === "tags"
              ? "Tags saved"
              : null;
    if (message) shopify.toast.show(message);
  }, [fetcher.state, fetcher.data, shopify, ticket, staff, staffList]);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Ticket
        </Text>
        <Select
          label="Status"
          options={TICKET_STATUSES.map((s) => ({ label: ticketStatusBadge(s).label, value: s }))}
          value={ticket.status}
          onChange={(value) => submit({ intent: "status", status: value })}
          error={fetcher.data?.errors?.status}
        />
        <Select
          label="Priority"
          options={TICKET_PRIORITIES.map((p) => ({ label: priorityLabel(p), value: p }))}
          value={ticket.priority}
          onChange={(value) => submit({ intent: "priority", priority: value })}
        />
        <Select
          label="Assignee"
          options={[{ label: "Unassigned", value: "none" }, ...people.map((p) => ({ label: p.name, value: p.userId }))]}
          value={ticket.assigneeId ?? "none"}
          onChange={(value) => submit({ intent: "assign", assignee: value })}
          error={fetcher.data?.errors?.assignee}
        />
        <fetcher.Form method="post">
          <input type="hidden" name="intent" value="tags" />
          <BlockStack gap="200">
            <TextField label="Tags" name="tags" value={tags} onChange={setTags} autoComplete="off" helpText="Separate tags with commas." error={fetcher.data?.errors?.tags} />
            <InlineStack align="end">
              <Button submit disabled={tags === ticket.tags.split(",").filter(Boolean).join(", ")}>
                Save tags
              </Button>
            </InlineStack>
          </BlockStack>
        </fetcher.Form>
        <Divider />
        <Text as="p" tone="subdued" variant="bodySm">
          First response due {ticket.slaDueAt ? <DateTime value={ticket.slaDueAt} timeZone={timeZone} /> : "—"}
          {ticket.firstResponseAt ? (
            <>
              {" · answered "}
              <DateTime value={ticket.firstResponseAt} timeZone={timeZone} />
            </>
          ) : null}
        </Text>
      </BlockStack>
    </Card>
  );
}

/** An amount in the minor unit of its currency (as the storefront's cart gives it), in the shop's words. */
function formatMoney(minor: number, currency: string): string {
  try {
    const format = new Intl.NumberFormat("en", { style: "currency", currency });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(minor / 10 ** digits);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

/** Where a shopper in the chat is on the storefront, and their cart, as their panel last said. */
function StorefrontNow({ chat, timeZone }: { chat: NonNullable<Data["chat"]>; timeZone: string }) {
  const cart = chat.cart;
  return (
    <BlockStack gap="100">
      <Divider />
      <Text as="h3" variant="headingSm">
        On the storefront
      </Text>
      {chat.pagePath ? (
        <Text as="p" breakWord>
          {chat.present ? "On " : "Last on "}
          <Text as="span" fontWeight="semibold">
            {chat.pagePath}
          </Text>
        </Text>
      ) : null}
      {cart && cart.count > 0 ? (
        <BlockStack gap="100">
          <Text as="p">{`Cart: ${cart.count} ${cart.count === 1 ? "item" : "items"} · ${formatMoney(cart.total, cart.currency)}`}</Text>
          {cart.items.map((item, i) => (
            <Text as="p" key={i} variant="bodySm" breakWord>
              {`${item.quantity} × ${item.title}${item.variant ? ` (${item.variant})` : ""} · ${formatMoney(item.price, cart.currency)}`}
            </Text>
          ))}
          {cart.count > cart.items.reduce((n, item) => n + item.quantity, 0) ? (
            <Text as="p" variant="bodySm" tone="subdued">
              and more
            </Text>
          ) : null}
        </BlockStack>
      ) : (
        <Text as="p" tone="subdued">
          {cart ? "Cart: empty" : "Cart: not known yet"}
        </Text>
      )}
      {chat.cartAt ? (
        <Text as="p" variant="bodySm" tone="subdued">
          Updated <DateTime value={chat.cartAt} timeZone={timeZone} />
        </Text>
      ) : null}
    </BlockStack>
  );
}

function CustomerCard({
  ticket,
  customer,
  past,
  order: about,
  timeZone,
  chat,
}: {
  ticket: Data["ticket"];
  customer: Data["customer"];
  past: Data["past"];
  order: Data["order"];
  timeZone: string;
  chat: Data["chat"];
}) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Customer
        </Text>
        <BlockStack gap="100">
          {customer ? (
            <RemixLink to={`/app/customers/${customer.id}`}>
              <Text as="span" fontWeight="semibold">
                {ticket.customerName ?? customer.email}
              </Text>
            </RemixLink>
          ) : (
            <Text as="p" fontWeight="semibold">
              {ticket.customerName ?? "—"}
            </Text>
          )}
          <Text as="p" breakWord>
            {ticket.customerEmail ?? "—"}
          </Text>
          <Text as="p" tone="subdued">
            Language: {languageName(ticket.locale ?? customer?.locale ?? null)}
          </Text>
          {!customer ? (
            <Text as="p" tone="subdued" variant="bodySm">
              Not a customer of the store (no synced customer with this email).
            </Text>
          ) : null}
        </BlockStack>
        {chat ? <StorefrontNow chat={chat} timeZone={timeZone} /> : null}
        {about?.verified ? (
          <Text as="p">
            About order <Text as="span" fontWeight="semibold">{about.name}</Text>
          </Text>
        ) : about ? (
          <Text as="p" tone="caution">
            Mentions order {about.name}, which is not one of this customer's orders.
          </Text>
        ) : null}
        {customer && customer.orders.length > 0 ? (
          <BlockStack gap="200">
            <Divider />
            <Text as="h3" variant="headingSm">
              Orders
            </Text>
            {customer.orders.map((order) => {
              const fulfillment = statusBadge(order.fulfillmentStatus ?? "UNFULFILLED");
              return (
                <BlockStack gap="100" key={order.id}>
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="span" fontWeight={about?.verified && order.shopifyId === ticket.orderShopifyId ? "bold" : "regular"}>
                      {order.name}
                    </Text>
                    {order.cancelledAt ? <Badge tone="critical">Cancelled</Badge> : null}
                    <Badge tone={fulfillment.tone}>{fulfillment.label}</Badge>
                    <Text as="span" tone="subdued" variant="bodySm">
                      <DateTime value={order.processedAt} timeZone={timeZone} />
                    </Text>
                  </InlineStack>
                  {order.fulfillmentOrders.flatMap((fo) =>
                    fo.holds.map((hold, i) => (
                      <Text as="p" key={`${fo.id}-${i}`} tone="caution" variant="bodySm">
                        On hold: {holdReason(hold.reason)}
                      </Text>
                    )),
                  )}
                  {order.fulfillments.map((f) => {
                    const shipped = statusBadge(f.displayStatus ?? f.status);
                    return (
                      <Text as="p" key={f.id} variant="bodySm">
                        {shipped.label}
                        {f.estimatedDeliveryAt && !f.deliveredAt ? (
                          <>
                            {" · expected "}
                            <DateTime value={f.estimatedDeliveryAt} timeZone={timeZone} />
                          </>
                        ) : null}
                        {f.tracking.map((t, i) =>
                          t.url ? (
                            <span key={i}>
                              {" · "}
                              <a className="Polaris-Link" href={t.url} target="_blank" rel="noopener noreferrer">
                                {[t.company, t.number].filter(Boolean).join(" ") || "Track"}
                              </a>
                            </span>
                          ) : (
                            <span key={i}> · {[t.company, t.number].filter(Boolean).join(" ")}</span>
                          ),
                        )}
                      </Text>
                    );
                  })}
                </BlockStack>
              );
            })}
          </BlockStack>
        ) : null}
        {past.length > 0 ? (
          <BlockStack gap="100">
            <Divider />
            <Text as="h3" variant="headingSm">
              Past tickets
            </Text>
            {past.map((p) => (
              <InlineStack key={p.id} gap="200" blockAlign="center">
                <RemixLink to={`/app/inbox/${p.id}`}>
                  #{p.number} {p.subject}
                </RemixLink>
                <Badge tone={ticketStatusBadge(p.status).tone}>{ticketStatusBadge(p.status).label}</Badge>
              </InlineStack>
            ))}
          </BlockStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <Page backAction={{ content: "Inbox", url: "/app/inbox" }} title="Ticket not found">
        <Card>
          <EmptyState heading="This ticket is not in your inbox" image="" action={{ content: "Inbox", url: "/app/inbox" }}>
            <p>It may have been erased at the customer's request.</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  throw error;
}
