import { describe, expect, it } from "vitest";
import { answerText, renderAnswer } from "../../app/services/faq/rich-text";
import { FaqIndex, foldText, normalizeQuery } from "../../app/services/faq/search";
import { hoursText } from "../../app/services/faq/publish.server";
import { parseSchedule, type WeeklySchedule } from "../../app/services/support/business-hours";

describe("FAQ answers (Markdown subset → safe HTML)", () => {
  it("renders paragraphs, line breaks, lists, emphasis and links", () => {
    expect(renderAnswer("First line\nsecond line\n\n- one\n- **two**\n\n1. a\n2. *b*\n\n[Track](https://t.example/x?a=1&b=2)")).toBe(
      '<p>First line<br>second line</p><ul><li>one</li><li><strong>two</strong></li></ul><ol><li>a</li><li><em>b</em></li></ol>' +
        '<p><a href="https://t.example/x?a=1&amp;b=2" rel="noopener nofollow" target="_blank">Track</a></p>',
    );
  });

  it("escapes everything typed, so no markup or script gets through", () => {
    const html = renderAnswer('<script>alert(1)</script> <img src=x onerror="alert(2)"> **<b>bold</b>**');
    expect(html).toBe("<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=&quot;alert(2)&quot;&gt; <strong>&lt;b&gt;bold&lt;/b&gt;</strong></p>");
  });

  it("drops links to anything but http(s), mailto, tel and the shop's own paths", () => {
    expect(renderAnswer("[x](javascript:alert(1))")).toBe("<p>x)</p>");
    expect(renderAnswer("[x](//evil.example)")).toBe("<p>x</p>");
    expect(renderAnswer('[x](https://ok.example/"onmouseover="y)')).toBe('<p><a href="https://ok.example/&quot;onmouseover=&quot;y" rel="noopener nofollow" target="_blank">x</a></p>');
    expect(renderAnswer("[Email us](mailto:help@shop.example) or [returns](/pages/returns)")).toBe('<p><a href="mailto:help@shop.example">Email us</a> or <a href="/pages/returns">returns</a></p>');
  });

  it("gives plain text for search and structured data", () => {
    expect(answerText("Ship in **2 days**.\n\n- [Track](https://t.example) it\n- *fast*")).toBe("Ship in 2 days. Track it fast");
  });
});

describe("FAQ search", () => {
  const index = new FaqIndex([
    { id: 1, question: "How long does shipping take?", answerText: "Orders ship within two business days; delivery takes 3–5 days.", category: "Shipping" },
    { id: 2, question: "Can I return an item?", answerText: "Returns are free within 30 days of delivery.", category: "Returns" },
    { id: 3, question: "Kargo ne kadar sürer?", answerText: "Siparişler iki iş günü içinde kargoya verilir.", category: "Kargo" },
    { id: 4, question: "Ninaweza kubadilisha agizo langu?", answerText: "Ndiyo, ndani ya saa moja baada ya kuagiza.", category: null },
    { id: 5, question: "டெலிவரி எவ்வளவு நேரம் ஆகும்?", answerText: "ஆர்டர்கள் இரண்டு வேலை நாட்களில் அனுப்பப்படும்.", category: null },
  ]);
  const ids = (q: string) => index.search(q).map((h) => h.id);

  it("matches whole words, the word being typed, and stems both ways", () => {
    expect(ids("shipping")).toEqual([1]);
    expect(ids("shipp")).toEqual([1]);
    expect(ids("ship")).toEqual([1]);
    expect(ids("returning")).toEqual([2]);
    expect(ids("deliveries")).toEqual(expect.arrayContaining([1, 2]));
  });

  it("ranks questions above answers and needs half of the words", () => {
    expect(ids("delivery")[0]).toBe(1);
    expect(ids("how long does delivery take")[0]).toBe(1);
    expect(ids("gift wrapping please")).toEqual([]);
  });

  it("folds case and accents, Turkish ı and İ, and keeps Tamil intact", () => {
    expect(foldText("SÜRER İÇİNDE ışık")).toBe("surer icinde isik");
    expect(ids("surer")).toEqual([3]);
    expect(ids("İÇİNDE")).toEqual([3]);
    expect(ids("agizo")).toEqual([4]);
    expect(ids("டெலிவரி")).toEqual([5]);
    expect(ids("அனுப்ப")).toEqual([5]);
  });

  it("normalizes what is counted as the same search", () => {
    expect(normalizeQuery("  Gift   WRAPPING? ")).toBe("gift wrapping");
    expect(normalizeQuery("Hédiye")).toBe("hediye");
  });

  it("cuts a snippet around the match", () => {
    const long = new FaqIndex([{ id: 9, question: "Q", answerText: `${"word ".repeat(60)}the customs fee is paid by us ${"tail ".repeat(40)}`, category: null }]);
    const [hit] = long.search("customs");
    expect(hit.snippet.startsWith("…")).toBe(true);
    expect(hit.snippet).toContain("the customs fee is paid by us");
    expect(hit.snippet.length).toBeLessThanOrEqual(165);
  });
});

describe("opening hours in the shopper's language", () => {
  const schedule = (parseSchedule('{"mon":[["09:00","17:00"]],"tue":[["09:00","17:00"]],"wed":[["09:00","17:00"]],"thu":[["09:00","17:00"]],"fri":[["09:00","17:00"]],"sat":[["10:00","14:00"]],"sun":[]}') as { schedule: WeeklySchedule }).schedule;
  it("groups days with the same hours", () => {
    expect(hoursText(schedule, "Europe/Tallinn", "en")).toBe("Mon–Fri 09:00–17:00; Sat 10:00–14:00 (Europe/Tallinn)");
    expect(hoursText(schedule, "Europe/Istanbul", "tr")).toMatch(/^Pzt–Cum 09:00–17:00; Cmt 10:00–14:00 \(Europe\/Istanbul\)$/);
  });
});
