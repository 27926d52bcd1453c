import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readBlock, renderStorefrontPage, type AppMetafields } from "../emulator/storefront/render";

const EXTENSION_DIR = fileURLToPath(new URL("../../extensions/support-desk-help", import.meta.url));
const LOCALES = ["en", "sw", "et", "ta", "ro", "tr"];

const article = (id: string, question: string, answer: string) => ({
  id,
  question,
  answerHtml: `<p>${answer}</p>`,
  answerText: answer,
});

function storefrontMetafield(value: unknown): AppMetafields {
  return { support_desk: { storefront: { type: "json", value } } };
}

const published = {
  version: 1,
  defaultLocale: "en",
  responseTimeHours: 24,
  contact: {
    email: "help@shop.example",
    phone: "+372 555 0100",
    hours: { en: "Monday–Friday, 9:00–17:00 (Europe/Tallinn)", tr: "Pazartesi–Cuma, 9:00–17:00 (Europe/Tallinn)" },
  },
  locales: {
    en: {
      categories: [
        {
          id: "12",
          handle: "shipping",
          title: "Shipping",
          articles: [
            article("34", "How long does delivery take?", "Usually 2–4 working days."),
            article("35", "Is <script>alert(1)</script> shipping free?", "Yes, over €50 </script><b>."),
          ],
        },
        { id: "13", handle: "returns", title: "Returns", articles: [article("36", "How do I return an item?", "Use the returns form.")] },
      ],
      top: [{ id: "34", question: "How long does delivery take?" }],
    },
    tr: {
      categories: [
        {
          id: "12",
          handle: "shipping",
          title: "Kargo",
          articles: [article("34", "Teslimat ne kadar sürer?", "Genellikle 2–4 iş günü."), article("35", "Kargo ücretsiz mi?", "Evet, 50 € üzeri.")],
        },
      ],
      top: [{ id: "34", question: "Teslimat ne kadar sürer?" }],
    },
  },
};

function render(locale: string, appMetafields: AppMetafields = storefrontMetafield(published), extra: { faqSettings?: Record<string, unknown>; embedSettings?: Record<string, unknown> } = {}) {
  return renderStorefrontPage({ extensionDir: EXTENSION_DIR, locale, shopName: "Tallinn Linen & Co", appMetafields, locales: LOCALES, ...extra });
}

/** The launcher's data, as help.js reads it. */
function payload(html: string): Record<string, any> {
  const match = /<script type="application\/json" data-sd-data>([\s\S]*?)<\/script>/.exec(html);
  expect(match, "the launcher's data").not.toBeNull();
  return JSON.parse(match![1]);
}

function jsonLd(html: string): { "@context": string; "@type": string; mainEntity: { "@type": string; name: string; acceptedAnswer: { "@type": string; text: string } }[] } {
  const match = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html);
  expect(match, "FAQPage JSON-LD").not.toBeNull();
  return JSON.parse(match![1]);
}

describe("storefront page rendering the theme app extension", () => {
  it("renders a whole page with the blocks' assets loaded the way Shopify loads them", async () => {
    const html = await render("en");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<noscript><link rel="stylesheet" href="/extension-assets/help.css"></noscript>');
    expect(html).toContain('<script src="/extension-assets/help.js" defer></script>');
    expect(html.match(/help\.js/g)).toHaveLength(1);
    expect(html).toContain("Tallinn Linen &amp; Co");
    for (const href of ['href="/"', 'href="/sw"', 'href="/et"', 'href="/ta"', 'href="/ro"', 'href="/tr"']) expect(html).toContain(href);
    expect(payload(html)).toMatchObject({ proxy: "/apps/support", locale: "en", panel: "/extension-assets/panel.js" });
    // The embed goes last in <body>, after the theme's content.
    expect(html.indexOf("<sd-help")).toBeGreaterThan(html.indexOf("theme-footer"));
    expect(html).toMatch(/<\/sd-help>\s*<\/body>/);
  });

  it("loads nothing render-blocking for the help button: its CSS swaps in, its JS is deferred", async () => {
    const embed = await readBlock(EXTENSION_DIR, "help-button");
    expect(embed.schema.stylesheet).toBeUndefined();
    expect(embed.schema.javascript).toBe("help.js");
    const html = await render("en");
    expect(html).toContain(`<link rel="stylesheet" href="/extension-assets/help.css" media="print" onload="this.media='all'">`);
    expect(html).toMatch(/<sd-help[^>]*visibility: hidden;/);
  });

  it("renders only the launcher and what only Liquid knows; the panel is built when it opens", async () => {
    const html = await render("en");
    expect(html).toMatch(/<button type="button" class="sd-launch" aria-expanded="false" aria-haspopup="dialog">/);
    expect(html).not.toMatch(/role="dialog"|<template/);
    for (const text of ["Search our help center", "Track my order", "Order number", "Send message", "Leave this field empty"]) {
      expect(html).not.toContain(text);
    }
    expect(payload(html)).toEqual({
      proxy: "/apps/support",
      locale: "en",
      panel: "/extension-assets/panel.js",
      top: [{ id: "34", question: "How long does delivery take?" }],
      email: "help@shop.example",
      phone: "+372 555 0100",
      hours: "Monday–Friday, 9:00–17:00 (Europe/Tallinn)",
      track: true,
      contact: true,
      chat: true,
      customer: null,
    });
  });

  it("shows Turkish strings and Turkish questions on the Turkish page", async () => {
    const html = await render("tr");
    expect(html).toContain('<html lang="tr">');
    expect(payload(html)).toMatchObject({ locale: "tr", top: [{ id: "34", question: "Teslimat ne kadar sürer?" }], hours: "Pazartesi–Cuma, 9:00–17:00 (Europe/Tallinn)" });
    expect(html).toContain("Sıkça sorulan sorular");
    expect(html).toContain("<span>Yardım</span>");
    expect(html).toContain("Teslimat ne kadar sürer?");
    expect(html).toContain("Pazartesi–Cuma");
    expect(html).not.toContain("How long does delivery take?");
    expect(html).not.toContain("Search our help center");
    expect(jsonLd(html).mainEntity.map((q) => q.name)).toEqual(["Teslimat ne kadar sürer?", "Kargo ücretsiz mi?"]);
  });

  it("renders FAQ answers as <details> with questions escaped and answers as the app's HTML", async () => {
    const html = await render("en");
    expect(html.match(/<details class="sd-faq__item">/g)).toHaveLength(3);
    expect(html).toContain('<summary class="sd-faq__q">Is &lt;script&gt;alert(1)&lt;/script&gt; shipping free?</summary>');
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("<p>Usually 2–4 working days.</p>");
  });

  it("outputs FAQPage JSON-LD that parses and lists the shown questions", async () => {
    const data = jsonLd(await render("en"));
    expect(data["@context"]).toBe("https://schema.org");
    expect(data["@type"]).toBe("FAQPage");
    expect(data.mainEntity).toHaveLength(3);
    expect(data.mainEntity[1]).toEqual({
      "@type": "Question",
      name: "Is <script>alert(1)</script> shipping free?",
      acceptedAnswer: { "@type": "Answer", text: "Yes, over €50 </script><b>." },
    });
  });

  it("honours the FAQ block's category, count and layout settings", async () => {
    const html = await render("en", undefined, { faqSettings: { category: "returns", layout: "list", heading: "Returns help" } });
    expect(html).toContain("Returns help");
    expect(html.match(/<details class="sd-faq__item" open>/g)).toHaveLength(1);
    expect(html).toContain("How do I return an item?");
    expect(jsonLd(html).mainEntity).toHaveLength(1);
    const limited = await render("en", undefined, { faqSettings: { count: 2 } });
    expect(jsonLd(limited).mainEntity).toHaveLength(2);
  });

  it("falls back to the default locale when the metafield has none for the shopper's language", async () => {
    const html = await render("et");
    expect(payload(html)).toMatchObject({ locale: "et", top: [{ id: "34", question: "How long does delivery take?" }] });
    expect(html).toContain("Korduma kippuvad küsimused");
    expect(html).toContain("How long does delivery take?");
    expect(html).toContain("Monday–Friday");
    expect(jsonLd(html).mainEntity).toHaveLength(3);
  });

  it("uses the merchant's own button label when they changed it", async () => {
    const html = await render("tr", undefined, { embedSettings: { label: "Destek", position: "bottom-left", show_tracking: false } });
    expect(html).toContain("<span>Destek</span>");
    expect(html).toContain("sd--bottom-left");
    expect(payload(html)).toMatchObject({ track: false, contact: true });
  });

  it("still renders the help embed and a localized empty FAQ when nothing is published", async () => {
    for (const metafields of [{}, storefrontMetafield(null), storefrontMetafield("")]) {
      const html = await render("ro", metafields);
      expect(html).toContain('class="sd-launch"');
      expect(payload(html)).toMatchObject({ locale: "ro", top: null });
      expect(html).toContain("Încă nu există întrebări. Revino în curând.");
      expect(html).not.toContain("<details");
      expect(html).not.toContain("application/ld+json");
      expect(html).not.toContain("translation missing");
    }
  });
});
