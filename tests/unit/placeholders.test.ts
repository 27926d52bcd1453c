import { describe, expect, it } from "vitest";
import {
  PLACEHOLDERS,
  fillPlaceholders,
  placeholderError,
  placeholdersFor,
  placeholdersIn,
} from "../../app/utils/placeholders";
import { DELAY_TRIGGERS, SUPPORTED_LANGUAGES, defaultTemplate } from "../../app/services/delay-notices/text";
import { chooseVariant, primaryLanguage } from "../../app/services/tickets/canned-variants";

/** The one placeholder style of canned replies and delay notices: the list, the checks at save, the fill. */

const values = {
  first_name: "Amani",
  last_name: "Njoroge",
  order_name: "#1042",
  tracking_link: "https://t.example/1",
  shop_name: "Duka",
};

describe("filling placeholders", () => {
  it("fills {{ name }} with or without spaces, in any case, and never fills a value again", () => {
    const filled = fillPlaceholders("Habari {{ first_name }} {{LAST_NAME}},\nAgizo {{order_name}}: {{tracking_link}}", {
      ...values,
      last_name: "{{shop_name}}",
    });
    expect(filled).toEqual({
      text: "Habari Amani {{shop_name}},\nAgizo #1042: https://t.example/1",
      missing: [],
      unknown: [],
    });
  });

  it("leaves out a line whose placeholder has no value, and a missing name with its punctuation", () => {
    const text =
      "Hi {{first_name}},\n\nYour order {{order_name}} is on its way.\nFollow it here: {{tracking_link}}\nIt arrives by {{expected_delivery}}.\n\n{{shop_name}}";
    const filled = fillPlaceholders(text, { order_name: "#7", shop_name: "Duka" });
    expect(filled.text).toBe("Hi,\n\nYour order #7 is on its way.\n\nDuka");
    expect(filled.missing).toEqual(["first_name", "tracking_link", "expected_delivery"]);
    expect(fillPlaceholders("Tere, {{first_name}}!", {}).text).toBe("Tere!");
    expect(fillPlaceholders("Bună, {{first_name}},", {}).text).toBe("Bună,");
    expect(fillPlaceholders("வணக்கம் {{first_name}},", {}).text).toBe("வணக்கம்,");
  });

  it("never passes an unknown placeholder on: its line is left out and named", () => {
    const filled = fillPlaceholders(
      "Hello {{first_name}}\nUse {{discount_code}} today\n{{ first_name | upcase }}\nBye",
      values
    );
    expect(filled.text).toBe("Hello Amani\nBye");
    expect(filled.unknown).toEqual(["{{discount_code}}", "{{first_name | upcase}}"]);
  });

  it("keeps a subject's line, dropping only the empty placeholder", () => {
    expect(fillPlaceholders("An update on your order {{order_name}}", {}, { keepLines: true }).text).toBe(
      "An update on your order"
    );
  });

  it("leaves single braces as plain text", () => {
    expect(fillPlaceholders("Use code {SAVE10} on {{order_name}}", values).text).toBe("Use code {SAVE10} on #1042");
  });
});

describe("checking placeholders at save", () => {
  it("names unknown placeholders", () => {
    expect(placeholderError("Hi {{first_name}}, code {{discount}} and {{ coupon }}", "canned")).toBe(
      `Unknown placeholders: {{discount}}, {{coupon}}. Use ${placeholdersFor("canned")
        .map((n) => `{{${n}}}`)
        .join(", ")}.`
    );
  });

  it("refuses a placeholder that only the other kind of text fills", () => {
    expect(placeholderError("On hold: {{reason}}", "canned")).toBe("{{reason}} is filled only in delay notices.");
    expect(placeholderError("Arrives {{expected_delivery}}, {{order_name}}", "notice")).toBe(
      "{{expected_delivery}} is filled only in canned replies."
    );
  });

  it("asks for double braces when a known name is written in the old style", () => {
    expect(placeholderError("Hi {first_name}, order {order_name}", "notice")).toBe(
      "Write placeholders with double braces: {{first_name}}, {{order_name}}."
    );
    expect(placeholderError("Use code {SAVE10} on {{order_name}}", "notice")).toBeNull();
  });

  it("accepts every listed placeholder where it is filled", () => {
    for (const use of ["canned", "notice"] as const) {
      expect(
        placeholderError(
          placeholdersFor(use)
            .map((n) => `{{ ${n} }}`)
            .join(" "),
          use
        )
      ).toBeNull();
    }
    expect(Object.keys(PLACEHOLDERS)).toEqual(
      expect.arrayContaining(["first_name", "last_name", "order_name", "tracking_link", "shop_name"])
    );
  });

  it("passes every default notice wording in every language", () => {
    for (const trigger of DELAY_TRIGGERS) {
      for (const language of SUPPORTED_LANGUAGES) {
        const template = defaultTemplate(trigger, language);
        expect(placeholderError(template.subject, "notice")).toBeNull();
        expect(placeholderError(template.body, "notice")).toBeNull();
        expect(placeholdersIn(template.body).known).toContain("order_name");
      }
    }
  });
});

describe("choosing a canned reply's language", () => {
  it("takes the shopper's, else the shop's default, else English, else any", () => {
    expect(chooseVariant(["en", "sw"], "sw", "en")).toBe("sw");
    expect(chooseVariant(["en", "tr"], "sw", "tr")).toBe("tr");
    expect(chooseVariant(["en", "ro"], "fr", "tr")).toBe("en");
    expect(chooseVariant(["ta"], null, "en")).toBe("ta");
    expect(chooseVariant([], "sw", "en")).toBeNull();
    expect(primaryLanguage("sw-KE")).toBe("sw");
    expect(primaryLanguage("ta_IN")).toBe("ta");
    expect(primaryLanguage("")).toBeNull();
    expect(primaryLanguage(null)).toBeNull();
  });
});
