import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../support/database";

/**
 * Canned replies over a real SQLite file: per-shop titles and isolation, a text per language with
 * the shop's default required and placeholders checked at save, the variant a ticket gets (the
 * shopper's language, else the default) with its placeholders filled from the ticket's customer and
 * order; and the migration that moved each reply's one text into its default-language variant.
 */

type Model = typeof import("../../app/models/canned-reply.server");
type Service = typeof import("../../app/services/tickets/canned.server");
type Prisma = typeof import("../../app/db.server")["default"];

/** A Turkish shop: Turkish is the language every canned reply must have. */
const SHOP = "canned-a.myshopify.com";
const OTHER = "canned-b.myshopify.com";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "support-desk-canned-"));
const database = await createTestDatabase("canned");
const databaseUrl = database.url;
let model: Model;
let service: Service;
let prisma: Prisma;

function ticket(
  id: string,
  number: number,
  extra: {
    locale?: string | null;
    customerShopifyId?: string;
    customerName?: string;
    orderShopifyId?: string | null;
    orderName?: string | null;
  }
) {
  return prisma.ticket.create({
    data: {
      id,
      shop: SHOP,
      number,
      subject: "Kargom nerede?",
      channel: "storefront",
      customerEmail: `${id}@example.net`,
      customerName: extra.customerName ?? "Emre Demir",
      customerShopifyId: extra.customerShopifyId ?? null,
      locale: extra.locale === undefined ? "tr" : extra.locale,
      orderShopifyId: extra.orderShopifyId === undefined ? "gid://shopify/Order/7" : extra.orderShopifyId,
      orderName: extra.orderName === undefined ? "#1007" : extra.orderName,
      replyToken: `tok-${id}`,
    },
  });
}

beforeAll(async () => {
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    SHOPIFY_API_KEY: "k",
    SHOPIFY_API_SECRET: "s",
    SHOPIFY_APP_URL: "http://127.0.0.1:1",
  });
  model = await import("../../app/models/canned-reply.server");
  service = await import("../../app/services/tickets/canned.server");
  prisma = (await import("../../app/db.server")).default;
  await prisma.shop.create({
    data: {
      shop: SHOP,
      name: "Mağaza",
      ianaTimezone: "Europe/Istanbul",
      primaryLocale: "tr-TR",
      email: "destek@magaza.example",
    },
  });
  await prisma.shop.create({ data: { shop: OTHER, name: "Other", primaryLocale: "en" } });
  await ticket("ticket-1", 1, {});
  await prisma.fulfillment.create({
    data: {
      shop: SHOP,
      shopifyId: "gid://shopify/Fulfillment/7",
      orderShopifyId: "gid://shopify/Order/7",
      tracking: JSON.stringify([
        { company: "Yurtiçi", number: "YK1", url: "javascript:alert(1)" },
        { company: "Yurtiçi", number: "YK2", url: "https://track.example/YK2" },
      ]),
      estimatedDeliveryAt: new Date("2026-12-03T09:00:00Z"),
    },
  });
  await prisma.orderLineItem.create({
    data: {
      shop: SHOP,
      shopifyId: "gid://shopify/LineItem/71",
      orderShopifyId: "gid://shopify/Order/7",
      title: "Kupa",
      variantTitle: "Mavi",
      quantity: 2,
    },
  });
  // A Swahili-speaking customer known to the store, whose ticket says no language of its own.
  await prisma.customer.create({
    data: {
      shop: SHOP,
      shopifyId: "gid://shopify/Customer/9",
      firstName: "Amani",
      lastName: "Njoroge",
      locale: "sw-KE",
    },
  });
  await ticket("ticket-sw", 2, {
    locale: null,
    customerShopifyId: "gid://shopify/Customer/9",
    customerName: "Amani Njoroge",
    orderShopifyId: null,
    orderName: null,
  });
  await ticket("ticket-et", 3, { locale: "et", orderShopifyId: null, orderName: "#2002" });
  await ticket("ticket-fr", 4, { locale: "fr-CA" });
});

afterAll(async () => {
  await prisma?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
  await database.drop();
});

describe("canned replies", () => {
  it("keep titles unique per shop and never reach across shops", async () => {
    const created = await model.createCannedReply(SHOP, { title: "Kargo", body_tr: "Merhaba {{first_name}}" });
    expect(created).toMatchObject({ ok: true });
    expect(await model.createCannedReply(SHOP, { title: "Kargo", body_tr: "x" })).toEqual({
      errors: { title: "A canned reply with this title exists." },
    });
    expect(await model.createCannedReply(OTHER, { title: "Kargo", body_en: "theirs" })).toMatchObject({ ok: true });
    const id = "ok" in created ? created.id : "";
    expect(await model.updateCannedReply(OTHER, id, { title: "Stolen", body_en: "x" })).toEqual({ notFound: true });
    // Not found before anything is checked: another shop learns nothing from field errors.
    expect(await model.updateCannedReply(OTHER, id, { title: "", body_en: "{{nope}}" })).toEqual({ notFound: true });
    expect(await model.deleteCannedReply(OTHER, id)).toBe(false);
    expect(await model.cannedReplyForShop(OTHER, id)).toBeNull();
    const mine = await model.listCannedReplies(SHOP);
    expect(mine.map((r) => [r.title, r.variants.map((v) => [v.locale, v.body])])).toEqual([
      ["Kargo", [["tr", "Merhaba {{first_name}}"]]],
    ]);
    expect(await model.deleteCannedReply(SHOP, id)).toBe(true);
    expect(await prisma.cannedReplyVariant.count({ where: { shop: SHOP } })).toBe(0);
    // The other shop's reply and its variant are untouched.
    expect(await prisma.cannedReplyVariant.count({ where: { shop: OTHER } })).toBe(1);
  });

  it("require the shop's default language and refuse bad text field by field", async () => {
    expect(await model.cannedDefaultLanguage(SHOP)).toBe("tr");
    expect(await model.createCannedReply(SHOP, { title: "", body_en: "Hello" })).toEqual({
      errors: {
        title: "Give it a title.",
        body_tr: "Write the reply in your shop's default language: every canned reply has it.",
      },
    });
    const result = await model.createCannedReply(SHOP, {
      title: "İade",
      body_tr: "Merhaba {{first_name}}, kodunuz {{discount_code}}.",
      body_sw: "x".repeat(5001),
      body_et: "Teie tellimus on ootel: {{reason}}",
      body_ro: "Bună {first_name}",
    });
    expect(result).toEqual({
      errors: {
        body_tr: expect.stringMatching(/^Unknown placeholder: \{\{discount_code\}\}\. Use \{\{first_name\}\}, /),
        body_sw: "Keep the reply under 5,000 characters.",
        body_et: "{{reason}} is filled only in delay notices.",
        body_ro: "Write placeholders with double braces: {{first_name}}.",
      },
    });
    // Text that is not a string counts as empty; nothing was stored by any refusal.
    expect(await model.createCannedReply(SHOP, { title: ["x"], body_tr: { a: 1 } })).toEqual({
      errors: {
        title: "Give it a title.",
        body_tr: "Write the reply in your shop's default language: every canned reply has it.",
      },
    });
    expect(await prisma.cannedReply.count({ where: { shop: SHOP } })).toBe(0);
  });

  it("store a text per language: emptied languages are removed, the default stays required", async () => {
    const created = await model.createCannedReply(SHOP, {
      title: "Teslimat",
      body_tr: "Merhaba",
      body_en: "Hello",
      body_sw: "Habari",
    });
    const id = "ok" in created ? created.id : "";
    expect(await model.updateCannedReply(SHOP, id, { title: "Teslimat", body_tr: "", body_en: "Hello" })).toEqual({
      errors: { body_tr: "Write the reply in your shop's default language: every canned reply has it." },
    });
    expect(
      await model.updateCannedReply(SHOP, id, {
        title: "Teslimat zamanı",
        body_tr: "Merhaba!",
        body_en: "",
        body_et: "Tere!",
      })
    ).toEqual({ ok: true, id });
    const saved = await model.cannedReplyForShop(SHOP, id);
    expect(saved?.title).toBe("Teslimat zamanı");
    expect(Object.fromEntries(saved!.variants.map((v) => [v.locale, v.body]))).toEqual({ et: "Tere!", tr: "Merhaba!" });
    expect(saved!.variants.every((v) => v.shop === SHOP)).toBe(true);
    expect(await model.deleteCannedReply(SHOP, id)).toBe(true);
  });
});

describe("inserting a canned reply on a ticket", () => {
  beforeAll(async () => {
    await model.createCannedReply(SHOP, {
      title: "Kargo durumu",
      body_tr:
        "Merhaba {{first_name}},\n\n{{order_name}} numaralı siparişiniz ({{items}}) yolda: {{tracking_link}}\nTahmini teslimat: {{expected_delivery}}.\n\n{{shop_name}}",
      body_en:
        "Hi {{first_name}} {{last_name}},\n\nYour order {{order_name}} is on its way: {{tracking_link}}\nExpected: {{expected_delivery}}.\nQuestions? {{support_email}}",
      body_sw:
        "Habari {{first_name}},\n\nAgizo lako {{order_name}} liko njiani.\nFuatilia hapa: {{tracking_link}}\n\n{{shop_name}}",
    });
  });

  it("picks the ticket's language and fills it from the ticket's order: name, items, the first safe tracking link, the date in Turkish", async () => {
    const canned = await service.cannedRepliesForTicket(SHOP, "ticket-1");
    expect(canned).toMatchObject({ shopperLanguage: "tr", defaultLanguage: "tr" });
    const [reply] = canned.replies;
    expect(reply).toMatchObject({ title: "Kargo durumu", chosen: "tr" });
    expect(reply.variants.map((v) => v.locale)).toEqual(["en", "sw", "tr"]);
    const tr = reply.variants.find((v) => v.locale === "tr")!;
    expect(tr).toEqual({
      locale: "tr",
      text: "Merhaba Emre,\n\n#1007 numaralı siparişiniz (2 × Kupa (Mavi)) yolda: https://track.example/YK2\nTahmini teslimat: 3 Aralık 2026.\n\nMağaza",
      missing: [],
      unknown: [],
    });
    // Another language of the same reply, for the agent to choose: its date in its own language.
    expect(reply.variants.find((v) => v.locale === "en")!.text).toBe(
      "Hi Emre Demir,\n\nYour order #1007 is on its way: https://track.example/YK2\nExpected: December 3, 2026.\nQuestions? destek@magaza.example"
    );
  });

  it("takes the synced customer's language and name when the ticket has none, leaving out what the ticket lacks", async () => {
    const canned = await service.cannedRepliesForTicket(SHOP, "ticket-sw");
    expect(canned.shopperLanguage).toBe("sw");
    const [reply] = canned.replies;
    expect(reply.chosen).toBe("sw");
    expect(reply.variants.find((v) => v.locale === "sw")).toEqual({
      locale: "sw",
      text: "Habari Amani,\n\nMağaza",
      missing: ["order_name", "tracking_link"],
      unknown: [],
    });
    expect(reply.variants.find((v) => v.locale === "en")!.text).toMatch(
      /^Hi Amani Njoroge,\n\nQuestions\? destek@magaza\.example$/
    );
  });

  it("falls back to the shop's default language when the shopper's has no version, or the desk does not speak it", async () => {
    const estonian = await service.cannedRepliesForTicket(SHOP, "ticket-et");
    expect(estonian.shopperLanguage).toBe("et");
    expect(estonian.replies[0].chosen).toBe("tr");
    // The order the shopper named is not linked: its number is used, there is no tracking to tell.
    expect(estonian.replies[0].variants.find((v) => v.locale === "tr")).toMatchObject({
      missing: ["items", "tracking_link", "expected_delivery"],
    });
    const french = await service.cannedRepliesForTicket(SHOP, "ticket-fr");
    expect(french.shopperLanguage).toBe("fr");
    expect(french.replies[0].chosen).toBe("tr");
  });

  it("shows another shop nothing of this shop's tickets or replies", async () => {
    const foreign = await service.cannedRepliesForTicket(OTHER, "ticket-1");
    expect(foreign.shopperLanguage).toBeNull();
    expect(foreign.replies.map((r) => r.title)).toEqual(["Kargo"]);
    expect(foreign.replies[0].variants).toEqual([{ locale: "en", text: "theirs", missing: [], unknown: [] }]);
    expect(await model.cannedTicketContext(OTHER, "ticket-1")).toBeNull();
  });

  it("counts a use for the shop's own reply only", async () => {
    const [reply] = await model.listCannedReplies(SHOP);
    await model.recordCannedReplyUse(OTHER, reply.id);
    await model.recordCannedReplyUse(SHOP, reply.id);
    expect((await model.cannedReplyForShop(SHOP, reply.id))?.usageCount).toBe(1);
  });
});

describe("the canned-variants migration", () => {
  it("moves each reply's text into its shop's default language and rewrites {name} as {{name}}", () => {
    const migrations = path.join(process.cwd(), "prisma", "migrations");
    const names = fs
      .readdirSync(migrations)
      .filter((name) => fs.existsSync(path.join(migrations, name, "migration.sql")))
      .sort();
    const target = names.indexOf("20261202010000_canned_variants");
    expect(target).toBeGreaterThan(0);
    const db = new Database(path.join(dir, "migration.sqlite"));
    const apply = (name: string) => db.exec(fs.readFileSync(path.join(migrations, name, "migration.sql"), "utf8"));
    try {
      names.slice(0, target).forEach(apply);
      db.exec(`
        INSERT INTO "Shop" (shop, primaryLocale, updatedAt) VALUES ('sw.example', 'sw-KE', CURRENT_TIMESTAMP), ('fr.example', 'fr', CURRENT_TIMESTAMP), ('ta.example', 'ta_IN', CURRENT_TIMESTAMP);
        INSERT INTO "CannedReply" (id, shop, title, body, usageCount, updatedAt) VALUES
          ('c1', 'sw.example', 'Oda', 'Habari {{first_name}}, oda {order_name}', 3, CURRENT_TIMESTAMP),
          ('c2', 'fr.example', 'Hi', 'Hi {first_name}', 0, CURRENT_TIMESTAMP),
          ('c3', 'gone.example', 'No shop row', 'Hello', 1, CURRENT_TIMESTAMP),
          ('c4', 'ta.example', 'வணக்கம்', 'வணக்கம் {{ first_name }}', 2, CURRENT_TIMESTAMP);
        INSERT INTO "DelayNoticeSettings" (shop, templates, updatedAt) VALUES
          ('sw.example', '{"on_hold":{"en":{"subject":"Order {order_name}","body":"Hi {first_name}, {{order_name}}: {reason} {SAVE10}"}}}', CURRENT_TIMESTAMP);
      `);
      apply(names[target]);
      const replies = db.prepare(`SELECT id, usageCount FROM "CannedReply" ORDER BY id`).all();
      expect(replies).toEqual([
        { id: "c1", usageCount: 3 },
        { id: "c2", usageCount: 0 },
        { id: "c3", usageCount: 1 },
        { id: "c4", usageCount: 2 },
      ]);
      expect(
        db.prepare(`SELECT cannedReplyId, shop, locale, body FROM "CannedReplyVariant" ORDER BY cannedReplyId`).all()
      ).toEqual([
        { cannedReplyId: "c1", shop: "sw.example", locale: "sw", body: "Habari {{first_name}}, oda {{order_name}}" },
        { cannedReplyId: "c2", shop: "fr.example", locale: "en", body: "Hi {{first_name}}" },
        { cannedReplyId: "c3", shop: "gone.example", locale: "en", body: "Hello" },
        { cannedReplyId: "c4", shop: "ta.example", locale: "ta", body: "வணக்கம் {{ first_name }}" },
      ]);
      const [settings] = db.prepare(`SELECT templates FROM "DelayNoticeSettings"`).all() as { templates: string }[];
      expect(JSON.parse(settings.templates)).toEqual({
        on_hold: {
          en: { subject: "Order {{order_name}}", body: "Hi {{first_name}}, {{order_name}}: {{reason}} {SAVE10}" },
        },
      });
      // Deleting a reply takes its variants with it.
      db.prepare(`DELETE FROM "CannedReply" WHERE id = 'c1'`).run();
      expect(db.prepare(`SELECT COUNT(*) AS n FROM "CannedReplyVariant"`).get()).toEqual({ n: 3 });
    } finally {
      db.close();
    }
  });
});
