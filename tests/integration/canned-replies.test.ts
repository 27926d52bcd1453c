import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "../support/processes";

/** Canned replies over a real SQLite file: per-shop titles, isolation, and variables filled from a ticket's order. */

type Model = typeof import("../../app/models/canned-reply.server");
type Prisma = (typeof import("../../app/db.server"))["default"];

const SHOP = "canned-a.myshopify.com";
const OTHER = "canned-b.myshopify.com";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "support-desk-canned-"));
const databaseUrl = `file:${path.join(dir, "canned.sqlite")}`;
let model: Model;
let prisma: Prisma;

beforeAll(async () => {
  Object.assign(process.env, { DATABASE_URL: databaseUrl, SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "http://127.0.0.1:1" });
  await migrateDatabase(databaseUrl);
  model = await import("../../app/models/canned-reply.server");
  prisma = (await import("../../app/db.server")).default;
  await prisma.shop.create({ data: { shop: SHOP, name: "Mağaza", ianaTimezone: "Europe/Istanbul" } });
  await prisma.ticket.create({
    data: {
      id: "ticket-1",
      shop: SHOP,
      number: 1,
      subject: "Kargom nerede?",
      channel: "storefront",
      customerEmail: "emre@example.net",
      customerName: "Emre Demir",
      locale: "tr",
      orderShopifyId: "gid://shopify/Order/7",
      orderName: "#1007",
      replyToken: "tok-1",
    },
  });
  await prisma.fulfillment.create({
    data: {
      shop: SHOP,
      shopifyId: "gid://shopify/Fulfillment/7",
      orderShopifyId: "gid://shopify/Order/7",
      tracking: JSON.stringify([{ company: "Yurtiçi", number: "YK1", url: "javascript:alert(1)" }, { company: "Yurtiçi", number: "YK2", url: "https://track.example/YK2" }]),
      estimatedDeliveryAt: new Date("2026-12-03T09:00:00Z"),
    },
  });
});

afterAll(async () => {
  await prisma?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("canned replies", () => {
  it("keep titles unique per shop and never reach across shops", async () => {
    const created = await model.createCannedReply(SHOP, { title: "Kargo", body: "Merhaba {{first_name}}" });
    expect(created).toMatchObject({ ok: true });
    expect(await model.createCannedReply(SHOP, { title: "Kargo", body: "x" })).toEqual({ errors: { title: "A canned reply with this title exists." } });
    expect(await model.createCannedReply(OTHER, { title: "Kargo", body: "theirs" })).toMatchObject({ ok: true });
    expect(await model.createCannedReply(SHOP, { title: "", body: "" })).toEqual({ errors: { title: "Give it a title.", body: "Write the reply." } });
    const id = "ok" in created ? created.id : "";
    expect(await model.updateCannedReply(OTHER, id, { title: "Stolen", body: "x" })).toEqual({ notFound: true });
    expect(await model.deleteCannedReply(OTHER, id)).toBe(false);
    expect(await model.cannedReplyForShop(OTHER, id)).toBeNull();
    expect((await model.listCannedReplies(SHOP)).map((r) => r.body)).toEqual(["Merhaba {{first_name}}"]);
    expect(await model.deleteCannedReply(SHOP, id)).toBe(true);
  });

  it("fill a ticket's variables: name, order, the first safe tracking link, delivery in the shopper's language", async () => {
    const values = await model.cannedReplyVariables(SHOP, "ticket-1");
    expect(values).toMatchObject({ first_name: "Emre", customer_name: "Emre Demir", order_name: "#1007", tracking_link: "https://track.example/YK2", shop_name: "Mağaza" });
    expect(values?.expected_delivery).toBe("3 Aralık 2026");
    const text = model.fillVariables("Merhaba {{ first_name }}, {{ORDER_NAME}} {{expected_delivery}} geliyor: {{tracking_link}} {{unknown_thing}}", values!);
    expect(text).toBe("Merhaba Emre, #1007 3 Aralık 2026 geliyor: https://track.example/YK2 {{unknown_thing}}");
    expect(model.fillVariables("Hi {{first_name}}!", {})).toBe("Hi !");
    expect(await model.cannedReplyVariables(OTHER, "ticket-1")).toBeNull();
  });
});
