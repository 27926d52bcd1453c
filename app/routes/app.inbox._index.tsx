import { useEffect, useRef, useState } from "react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link as RemixLink, useFetcher, useLoaderData, useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  ChoiceList,
  EmptyState,
  Filters,
  IndexTable,
  InlineStack,
  Modal,
  Page,
  Select,
  Tabs,
  Text,
  TextField,
  useIndexResourceState,
} from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { z } from "zod";
import { authenticate } from "../shopify.server";
import { readInput, refusalBody } from "../services/input.server";
import { InboxParams, listTickets, ownTicketIds, tagsInUse } from "../models/ticket.server";
import { currentStaff, staffMembers } from "../models/staff.server";
import { onlineStaff, presenceOf } from "../models/presence.server";
import { chatAvailability } from "../services/chat/chat.server";
import { shopTimeZone } from "../models/shop-time-zone.server";
import { addTagToTickets, assignTicket, setTicketStatus } from "../services/tickets/tickets.server";
import { INBOX_VIEWS, TICKET_CHANNELS, TICKET_STATUSES, type InboxView } from "../services/tickets/constants";
import { DateTime } from "../components/DateTime";
import { chatAlertsOn, setChatAlerts } from "../components/live";
import { channelLabel, priorityBadge, ticketStatusBadge } from "../components/ticket-labels";
import inboxStyles from "../styles/inbox.css?url";

export const links = () => [{ rel: "stylesheet", href: inboxStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const staff = await currentStaff(request, session.shop, sessionToken);
  const query = InboxParams.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [page, tags, staffList, timeZone, presence, online, availability] = await Promise.all([
    listTickets(session.shop, query, staff.id),
    tagsInUse(session.shop),
    staffMembers(session.shop),
    shopTimeZone(session.shop),
    presenceOf(session.shop, staff.id),
    onlineStaff(session.shop),
    chatAvailability(session.shop),
  ]);
  return json({ ...page, query, tags, staff, staffList, timeZone, desk: { presence, online: online.map((o) => o.name), chat: availability.reason } });
};

const BulkSchema = z.object({
  intent: z.enum(["assign_me", "assign", "tag", "solve"]),
  assignee: z.string().max(64).optional(),
  ids: z
    .string()
    .transform((v) => v.split(",").filter(Boolean))
    .pipe(z.array(z.string().max(64)).min(1, "Select tickets first.").max(250)),
  tag: z.string().optional(),
});

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const staff = await currentStaff(request, session.shop, sessionToken);
  const input = await readInput(request, { maxBytes: 512 * 1024 });
  if (!input.ok) return json(refusalBody(input), { status: input.status });
  const parsed = BulkSchema.safeParse(input.fields);
  if (!parsed.success) return json({ ok: false, message: parsed.error.issues[0]?.message ?? "Choose an action." }, { status: 422 });
  // Only this shop's tickets, whatever ids were sent.
  // Any id that is not this shop's ticket: 404 and nothing changed.
  const ids = await ownTicketIds(session.shop, parsed.data.ids);
  if (ids.length === 0 || ids.length !== new Set(parsed.data.ids).size) return json({ ok: false, message: "Those tickets were not found." }, { status: 404 });
  if (parsed.data.intent === "tag") {
    const result = await addTagToTickets(session.shop, ids, parsed.data.tag, staff);
    if (!("ok" in result)) return json({ ok: false, message: result.errors?.tag ?? "Enter a tag." }, { status: 422 });
    return json({ ok: true, message: `Tagged ${result.count} ticket${result.count === 1 ? "" : "s"} “${result.tag}”.` });
  }
  let assignee: { id: string; name: string } | null = staff;
  if (parsed.data.intent === "assign") {
    const choice = parsed.data.assignee ?? "";
    const member = (await staffMembers(session.shop)).find((m) => m.userId === choice);
    if (choice !== "none" && !member) return json({ ok: false, message: "Choose someone from the list." }, { status: 422 });
    assignee = member ? { id: member.userId, name: member.name } : null;
  }
  for (const id of ids) {
    if (parsed.data.intent === "solve") await setTicketStatus(session.shop, id, "solved", staff);
    else await assignTicket(session.shop, id, assignee, staff);
  }
  const verb =
    parsed.data.intent === "solve" ? "Solved" : parsed.data.intent === "assign_me" ? "Assigned to you" : assignee ? `Assigned to ${assignee.name}` : "Unassigned";
  return json({ ok: true, message: `${verb}: ${ids.length} ticket${ids.length === 1 ? "" : "s"}.` });
};

const VIEW_LABELS: Record<InboxView, string> = {
  open: "Open",
  mine: "Mine",
  unassigned: "Unassigned",
  overdue: "Overdue",
  solved: "Solved",
  all: "All",
};

const SEARCH_DELAY_MS = 300;

export default function Inbox() {
  const data = useLoaderData<typeof loader>();
  const { tickets, hasNext, hasPrevious, query, tags, staffList, timeZone } = data;
  const navigate = useNavigate();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const bulk = useFetcher<{ ok: boolean; message: string }>();
  const shopify = useAppBridge();
  const [search, setSearch] = useState(query.q ?? "");
  const [tagModal, setTagModal] = useState(false);
  const [assignModal, setAssignModal] = useState(false);
  const [assigneeValue, setAssigneeValue] = useState("none");
  const [tagValue, setTagValue] = useState("");
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(tickets);

  useEffect(() => () => clearTimeout(timer.current), []);
  useEffect(() => {
    if (bulk.state === "idle" && bulk.data) {
      shopify.toast.show(bulk.data.message, { isError: !bulk.data.ok });
      if (bulk.data.ok) clearSelection();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bulk.state, bulk.data]);

  // The parameters last asked for: a search typed while a tab is still loading builds on that tab.
  const wanted = useRef(searchParams.toString());
  useEffect(() => {
    wanted.current = searchParams.toString();
  }, [searchParams]);

  const go = (changes: Record<string, string | undefined>, keepCursor = false) => {
    const next = new URLSearchParams(wanted.current);
    if (!keepCursor) {
      next.delete("after");
      next.delete("before");
    }
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    const text = next.toString();
    wanted.current = text;
    navigate(text ? `/app/inbox?${text}` : "/app/inbox", { replace: true });
  };

  const onSearch = (value: string) => {
    setSearch(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => go({ q: value.trim() || undefined }), SEARCH_DELAY_MS);
  };

  const selectedIds = allResourcesSelected ? tickets.map((t) => t.id) : selectedResources;
  const runBulk = (intent: string, extra: Record<string, string> = {}) => bulk.submit({ intent, ids: selectedIds.join(","), ...extra }, { method: "post" });

  const viewIndex = Math.max(0, INBOX_VIEWS.indexOf(query.view));
  const rows = tickets.map((ticket, index) => {
    const status = ticketStatusBadge(ticket.status);
    const priority = priorityBadge(ticket.priority);
    const customer = ticket.customerName ?? ticket.customerEmail ?? "—";
    return (
      <IndexTable.Row id={ticket.id} key={ticket.id} position={index} selected={selectedResources.includes(ticket.id)}>
        <IndexTable.Cell className="sd-inbox-subject">
          <BlockStack gap="050">
            <InlineStack gap="200" blockAlign="center" wrap={false}>
              {/* The row's primary link: a click anywhere on the row follows it; Tab and Enter reach it. */}
              <RemixLink to={`/app/inbox/${ticket.id}`} className="sd-inbox-link" data-primary-link onClick={(e) => e.stopPropagation()}>
                <Text as="p" truncate fontWeight={ticket.unread ? "bold" : "regular"}>
                  #{ticket.number} {ticket.subject}
                </Text>
              </RemixLink>
              {ticket.unread && <Badge tone="info">New</Badge>}
              {ticket.overdue && <Badge tone="critical">Overdue</Badge>}
            </InlineStack>
            <Text as="p" truncate tone="subdued" variant="bodySm">
              {channelLabel(ticket.channel)}
              {ticket.preview ? ` · ${ticket.preview}` : ""}
            </Text>
          </BlockStack>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <div className="sd-inbox-clip">
            <Text as="p" truncate>
              {customer}
            </Text>
          </div>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <Badge tone={status.tone}>{status.label}</Badge>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <Badge tone={priority.tone}>{priority.label}</Badge>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <div className="sd-inbox-clip">
            <Text as="p" truncate>
              {ticket.assigneeName ?? "Unassigned"}
            </Text>
          </div>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <DateTime value={ticket.lastMessageAt} timeZone={timeZone} />
        </IndexTable.Cell>
      </IndexTable.Row>
    );
  });

  const filtered = Boolean(query.q || query.status.length || query.channel.length || query.assignee || query.tag);
  const viewName = VIEW_LABELS[query.view];
  const assigneeName = (value: string) => (value === "none" ? "Unassigned" : (staffList.find((s) => s.userId === value)?.name ?? value));
  const choice = (key: string, title: string, choices: { label: string; value: string }[], selected: string | undefined) => ({
    key,
    label: title,
    filter: <ChoiceList title={title} titleHidden choices={choices} selected={selected ? [selected] : []} onChange={(values) => go({ [key]: values[0] })} />,
    shortcut: true,
  });
  const appliedFilters = [
    ...(query.status[0] ? [{ key: "status", label: `Status: ${ticketStatusBadge(query.status[0]).label}`, onRemove: () => go({ status: undefined }) }] : []),
    ...(query.channel[0] ? [{ key: "channel", label: `Channel: ${channelLabel(query.channel[0])}`, onRemove: () => go({ channel: undefined }) }] : []),
    ...(query.assignee ? [{ key: "assignee", label: `Assignee: ${assigneeName(query.assignee)}`, onRemove: () => go({ assignee: undefined }) }] : []),
    ...(query.tag ? [{ key: "tag", label: `Tag: ${query.tag}`, onRemove: () => go({ tag: undefined }) }] : []),
  ];

  return (
    <Page fullWidth title="Inbox" primaryAction={{ content: "New ticket", url: "/app/inbox/new" }}>
      <TitleBar title="Inbox" />
      <BlockStack gap="400">
        <DeskStatus desk={data.desk} />
        <Card padding="0">
          <Tabs
            tabs={INBOX_VIEWS.map((view) => ({ id: view, content: VIEW_LABELS[view], accessibilityLabel: `${VIEW_LABELS[view]} tickets` }))}
            selected={viewIndex}
            onSelect={(index) => go({ view: INBOX_VIEWS[index] === "open" ? undefined : INBOX_VIEWS[index] })}
          />
          <Filters
            queryValue={search}
            queryPlaceholder={`Search ${viewName.toLowerCase()} tickets: subject, customer, email, order or #number`}
            onQueryChange={onSearch}
            onQueryClear={() => onSearch("")}
            onClearAll={() => {
              setSearch("");
              go({ q: undefined, status: undefined, channel: undefined, assignee: undefined, tag: undefined });
            }}
            filters={[
              choice("status", "Status", TICKET_STATUSES.map((s) => ({ label: ticketStatusBadge(s).label, value: s })), query.status[0]),
              choice("channel", "Channel", TICKET_CHANNELS.map((c) => ({ label: channelLabel(c), value: c })), query.channel[0]),
              choice("assignee", "Assignee", [{ label: "Unassigned", value: "none" }, ...staffList.map((m) => ({ label: m.name, value: m.userId }))], query.assignee),
              ...(tags.length > 0 ? [choice("tag", "Tag", tags.map((t) => ({ label: t, value: t })), query.tag)] : []),
            ]}
            appliedFilters={appliedFilters}
          >
            <Box paddingInlineStart="200">
              <Select
                label="Sort"
                labelInline
                options={[
                  { label: "Latest activity", value: "activity" },
                  { label: "Newest", value: "newest" },
                  { label: "Oldest", value: "oldest" },
                  { label: "Due soonest", value: "due" },
                ]}
                value={query.sort}
                onChange={(value) => go({ sort: value === "activity" ? undefined : value })}
              />
            </Box>
          </Filters>
          {query.q && query.view !== "all" ? (
            <Box paddingInline="300" paddingBlockEnd="200">
              <Text as="p" tone="subdued" variant="bodySm">
                Searching {viewName.toLowerCase()} tickets only.{" "}
                <Button variant="plain" onClick={() => go({ view: "all" })}>
                  Search all tickets
                </Button>
              </Text>
            </Box>
          ) : null}
          <IndexTable
            resourceName={{ singular: "ticket", plural: "tickets" }}
            itemCount={tickets.length}
            selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
            onSelectionChange={handleSelectionChange}
            loading={navigation.state === "loading" || bulk.state !== "idle"}
            promotedBulkActions={[
              { content: "Assign to me", onAction: () => runBulk("assign_me") },
              { content: "Assign to…", onAction: () => setAssignModal(true) },
              { content: "Add tag", onAction: () => setTagModal(true) },
              { content: "Solve", onAction: () => runBulk("solve") },
            ]}
            emptyState={
              <EmptyState heading={filtered ? "No tickets match these filters" : `No ${VIEW_LABELS[query.view].toLowerCase()} tickets`} image="">
                <p>{filtered ? "Try other filters or clear the search." : "Shopper questions from the storefront, email and delay notices land here."}</p>
              </EmptyState>
            }
            headings={[{ title: "Ticket" }, { title: "Customer" }, { title: "Status" }, { title: "Priority" }, { title: "Assignee" }, { title: "Last activity" }]}
            pagination={{
              hasNext,
              hasPrevious,
              onNext: () => go({ after: tickets[tickets.length - 1]?.id, before: undefined }, true),
              onPrevious: () => go({ before: tickets[0]?.id, after: undefined }, true),
            }}
          >
            {rows}
          </IndexTable>
        </Card>
      </BlockStack>
      <Modal
        open={assignModal}
        onClose={() => setAssignModal(false)}
        title="Assign the selected tickets"
        primaryAction={{
          content: "Assign",
          onAction: () => {
            runBulk("assign", { assignee: assigneeValue });
            setAssignModal(false);
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setAssignModal(false) }]}
      >
        <Modal.Section>
          <Select
            label="Assignee"
            options={[{ label: "Unassigned", value: "none" }, ...staffList.map((s) => ({ label: s.name, value: s.userId }))]}
            value={assigneeValue}
            onChange={setAssigneeValue}
          />
        </Modal.Section>
      </Modal>
      <Modal
        open={tagModal}
        onClose={() => setTagModal(false)}
        title="Add a tag to the selected tickets"
        primaryAction={{
          content: "Add tag",
          disabled: tagValue.trim() === "",
          onAction: () => {
            runBulk("tag", { tag: tagValue });
            setTagModal(false);
            setTagValue("");
          },
        }}
        secondaryActions={[{ content: "Cancel", onAction: () => setTagModal(false) }]}
      >
        <Modal.Section>
          <TextField label="Tag" value={tagValue} onChange={setTagValue} autoComplete="off" maxLength={40} />
        </Modal.Section>
      </Modal>
    </Page>
  );
}

const CHAT_STATE: Record<string, string> = {
  open: "Storefront chat is open: shoppers can chat with the team now.",
  closed: "Storefront chat is closed outside business hours: shoppers leave a message, answered by email.",
  no_agent: "No one is online: shoppers leave a message, answered by email. Set yourself online to take chats.",
};

/** The staff member's chat status (online takes chats, away does not; closing the admin goes offline after a minute) and the team's. */
function DeskStatus({ desk }: { desk: { presence: string; online: string[]; chat: string } }) {
  const fetcher = useFetcher<{ ok: boolean; status?: string }>();
  // A choice of this browser's (sound needs the page's own permission anyway), read once mounted.
  const [alerts, setAlerts] = useState(false);
  useEffect(() => setAlerts(chatAlertsOn()), []);
  const chosen = (fetcher.formData?.get("status") as string | null) ?? (desk.presence === "away" ? "away" : "online");
  return (
    <Card>
      <InlineStack gap="400" align="space-between" blockAlign="center" wrap>
        <BlockStack gap="100">
          <Text as="p">{CHAT_STATE[desk.chat] ?? ""}</Text>
          <Text as="p" tone="subdued" variant="bodySm">
            {desk.online.length > 0 ? `Online now: ${desk.online.join(", ")}` : "No one on the team is online."}
          </Text>
        </BlockStack>
        <Select
          label="Your chat status"
          labelInline
          options={[
            { label: "Online", value: "online" },
            { label: "Away", value: "away" },
          ]}
          value={chosen}
          onChange={(status) => fetcher.submit({ status }, { method: "post", action: "/app/presence" })}
        />
        <Checkbox
          label="Sound and notification for new chats"
          checked={alerts}
          onChange={(on) => {
            setAlerts(on);
            setChatAlerts(on);
          }}
        />
      </InlineStack>
    </Card>
  );
}
