import { describe, expect, it } from "vitest";
import { deliveryView, type DeliveryRow } from "../../app/components/privacy-delivery";
import { exportEmailText, isDeliverableAddress } from "../../app/services/privacy/export-email";
import { SUPPORTED_LANGUAGES } from "../../app/services/tickets/auto-ack-text";

const ready: DeliveryRow = {
  status: "ready",
  email: "ada@example.com",
  deliveryEmailId: null,
  deliveredAt: null,
  deliveredVia: null,
  deliveredTo: null,
  deliveredBy: null,
};
const ZONE = "Pacific/Auckland";

describe("a data request's delivery, in the merchant's words", () => {
  it("offers the email, the download and marking it delivered while nothing was sent", () => {
    const view = deliveryView(ready, null, ZONE);
    expect(view.badge.label).toBe("Export ready to download");
    expect(view.email).toEqual({ label: "Email to customer", expected: "", disabledReason: null });
    expect(view.markDelivered).toBe(true);
    expect(view.inFlight).toBe(false);
  });

  it("says why the email cannot be sent when there is no address, or one mail cannot go to", () => {
    expect(deliveryView({ ...ready, email: null }, null, ZONE).email?.disabledReason).toMatch(/no email address/);
    expect(deliveryView({ ...ready, email: "<b>x</b>@example.com" }, null, ZONE).email?.disabledReason).toMatch(/not one mail/);
    expect(isDeliverableAddress("ada.lovelace+data@example.co.uk")).toBe(true);
    expect(isDeliverableAddress("ada@localhost")).toBe(false);
  });

  it("follows an email on its way, shows a failure with its error and a retry", () => {
    const asked = { ...ready, deliveryEmailId: "e1" };
    const sending = deliveryView(asked, { id: "e1", status: "queued", lastError: null }, ZONE);
    expect(sending).toMatchObject({ badge: { label: "Sending to customer…" }, inFlight: true, retryEmailId: null });
    expect(sending.email?.disabledReason).toBe("The export is being sent.");
    const refused = { id: "e1", status: "queued", lastError: "connect ECONNREFUSED 127.0.0.1:25\n    at x" };
    const retrying = deliveryView(asked, refused, ZONE);
    expect(retrying).toMatchObject({ badge: { label: "Failed to send", tone: "critical" }, retryEmailId: "e1", inFlight: true });
    expect(retrying.error).toBe("connect ECONNREFUSED 127.0.0.1:25");
    const failed = deliveryView(asked, { id: "e1", status: "failed", lastError: "no" }, ZONE);
    expect(failed).toMatchObject({ retryEmailId: "e1", inFlight: false, email: { label: "Send again", disabledReason: null } });
    const outbox = deliveryView(asked, { id: "e1", status: "outbox", lastError: null }, ZONE);
    expect(outbox.badge.label).toBe("Kept in the outbox");
  });

  it("shows the delivery in the shop's zone, by email or another way", () => {
    const at = "2026-12-02T22:30:00.000Z"; // 11:30 AM on 3 December in Auckland
    const emailed = {
      ...ready,
      deliveryEmailId: "e1",
      deliveredAt: at,
      deliveredVia: "email",
      deliveredTo: "ada@example.com",
      deliveredBy: "Alex Moreau",
    };
    const view = deliveryView(emailed, { id: "e1", status: "sent", lastError: null }, ZONE);
    expect(view.badge.label).toMatch(/^Sent to customer on Dec 3, 2026, 11:30\sAM$/);
    expect(view.detail).toBe("To ada@example.com by Alex Moreau");
    expect(view).toMatchObject({ markDelivered: false, email: { label: "Send again", expected: "e1" } });
    // Sent again, and that one failed: the failure first, the earlier delivery beside it.
    const again = deliveryView({ ...emailed, deliveryEmailId: "e2" }, { id: "e2", status: "failed", lastError: "no" }, ZONE);
    expect(again.badge.label).toBe("Failed to send");
    expect(again.previous).toMatch(/^Sent to customer on Dec 3/);
    const other = deliveryView({ ...ready, deliveredAt: at, deliveredVia: "other", deliveredBy: "Sam" }, null, ZONE);
    expect(other.badge.label).toMatch(/^Delivered on Dec 3, 2026/);
    expect(other.detail).toBe("Delivered another way, recorded by Sam");
  });

  it("has nothing to deliver for a request being assembled or erased", () => {
    expect(deliveryView({ ...ready, status: "redacted" }, null, ZONE)).toMatchObject({ email: null, badge: { label: "Customer redacted" } });
  });
});

describe("the export email", () => {
  const document = {
    customer: { email: "ada@example.com", phone: null },
    data: {
      customers: [{ firstName: "Ada", lastName: "Lovelace", email: "ada@example.com", phone: "+372 5555 0101", locale: "et" }],
      orders: [{ name: "#1001" }, { name: "#1002" }],
      tickets: [{ number: 7 }],
      storefrontHelp: [{ kind: "search" }, { kind: "search" }, { kind: "help_visit" }],
      webhookDeliveries: [],
      backgroundWork: [{ kind: "email.send" }],
    },
  };

  it("greets by name and sums up each kind of record in every language", () => {
    for (const language of SUPPORTED_LANGUAGES) {
      const { subject, text } = exportEmailText({ language, document, shopName: "Pood", fileName: "data-request-x.json" });
      expect(subject, language).toContain("Pood");
      expect(text, language).toContain("Ada");
      expect(text, language).toContain("data-request-x.json");
      expect(text, language).toContain("Ada Lovelace, ada@example.com, +372 5555 0101");
      expect(text, language).toContain(": 2 (#1001, #1002)");
      expect(text, language).toContain(": 1 (#7)");
      expect(text.match(/^• /gm)?.length, language).toBe(6);
      expect(text, language).not.toMatch(/\{\w+\}/);
    }
  });

  it("reads like the English template", () => {
    const { subject, text } = exportEmailText({ language: "en", document, shopName: "Pood", fileName: "f.json" });
    expect(subject).toBe("Your data from Pood");
    expect(text.split("\n\n")).toEqual([
      "Hi Ada,",
      "As you asked, here is a copy of the personal data Pood holds about you in its customer service app. " +
        "The attached file, f.json, has all of it; in short:",
      [
        "• Your details: Ada Lovelace, ada@example.com, +372 5555 0101",
        "• Orders: 2 (#1001, #1002)",
        "• Support conversations: 1 (#7)",
        "• Searches in the storefront help: 2",
        "• Visits to the storefront help: 1",
        "• Other records: 1",
      ].join("\n"),
      "If you have a question about your data, just reply to this email.",
      "Pood",
    ]);
  });
});
