import { describe, expect, it } from "vitest";
import { containsPattern, foldSearchText, isWholeEmail, normaliseEmail, searchTextOf, searchWords } from "../../app/utils/search-text";
import { foldText } from "../../app/services/faq/search";

/** Words as shoppers write them, and as staff type them into a search box, in the six languages. */
const SPELLINGS: [string, string[]][] = [
  // English
  ["Refund for my ORDER", ["refund for my order", "REFUND", "Order"]],
  // Swahili
  ["Agizo langu halijafika", ["AGIZO", "halijafika", "Langu"]],
  // Estonian
  ["Pakk pole veel pakiautomaati jõudnud, Kärt", ["joudnud", "JÕUDNUD", "kart", "KÄRT"]],
  // Romanian: comma-below Ș/Ț and the cedilla Ş/Ţ older keyboards type fold alike
  ["Ștefan: coletul nu a mai fost scanat, țară", ["stefan", "Ştefan", "ȘTEFAN", "tara", "ţară"]],
  // Turkish: İ and I, ı and i all fold to i
  ["İstanbul'a Beden değişimi, Işık", ["istanbul", "ISTANBUL", "İSTANBUL", "beden", "degisimi", "DEĞİŞİMİ", "isik", "IŞIK"]],
  // Tamil, as written
  ["என் பார்சல் இன்னும் வரவில்லை", ["பார்சல்", "வரவில்லை"]],
];

describe("foldSearchText", () => {
  it("matches case and accent variants in all six languages", () => {
    for (const [stored, typed] of SPELLINGS) {
      for (const query of typed) expect(foldSearchText(stored), `${query} in ${stored}`).toContain(foldSearchText(query));
    }
  });

  it("folds as the brief's examples say", () => {
    expect(["İstanbul", "istanbul", "ISTANBUL", "İSTANBUL"].map(foldSearchText)).toEqual(Array(4).fill("istanbul"));
    expect(["şifre", "sifre", "ŞİFRE", "Şifre"].map(foldSearchText)).toEqual(Array(4).fill("sifre"));
    expect(["Ștefan", "Stefan", "Ştefan"].map(foldSearchText)).toEqual(Array(3).fill("stefan"));
    expect(["öde", "ode", "ÖDE"].map(foldSearchText)).toEqual(Array(3).fill("ode"));
    expect(foldSearchText("ılık")).toBe("ilik");
  });

  it("keeps Tamil exactly: its vowel signs and virama are combining marks, and stay", () => {
    for (const tamil of ["கமலா சுப்பிரமணியன்", "பொருள் திரும்ப வேண்டும்", "ஔவை", "கொ"]) {
      expect(foldSearchText(tamil)).toBe(tamil.normalize("NFC"));
      expect(foldSearchText(tamil.normalize("NFD"))).toBe(tamil.normalize("NFC"));
    }
    // A word that lost a sign is another word, and does not match.
    expect(foldSearchText("சுப்பிரமணியன்")).not.toContain(foldSearchText("சுபபிர"));
  });

  it("keeps marks of other scripts, removes those of Latin letters only", () => {
    expect(foldSearchText("Москва й")).toBe("москва й");
    expect(foldSearchText("Ελληνικά ΟΔΟΣ")).toBe("ελληνικά οδοσ");
    expect(foldSearchText("Việt Nam, Łódź, Straße, Øre, Æble, Đà")).toBe("viet nam, lodz, strasse, ore, aeble, da");
  });

  it("unfolds compatibility forms and collapses whitespace", () => {
    expect(foldSearchText("ﬁle ＳＨＯＰ ℌ")).toBe("file shop h");
    expect(foldSearchText("  two \t words\n here  ")).toBe("two words here");
    expect(foldSearchText("")).toBe("");
  });

  it("writes a row's fields one per line, so a search never spans two", () => {
    const text = searchTextOf(["Beden değişimi", null, "Ayşe Yılmaz", undefined, "AYSE@Example.com", "#1001"]);
    expect(text).toBe("beden degisimi\nayse yilmaz\nayse@example.com\n#1001");
    expect(text).not.toContain(foldSearchText("degisimi ayse"));
  });

  it("reads a typed search as folded words, at most six", () => {
    expect(searchWords("  ŞÜKRÜ   Yılmaz ")).toEqual(["sukru", "yilmaz"]);
    expect(searchWords("a b c d e f g h")).toHaveLength(6);
    expect(searchWords(undefined)).toEqual([]);
  });

  it("agrees with the storefront FAQ's folding on the six languages (case and accents)", () => {
    for (const [stored, typed] of SPELLINGS) {
      for (const query of typed) expect(foldText(stored), `${query} in ${stored}`).toContain(foldText(query));
    }
  });
});

describe("emails and LIKE patterns", () => {
  it("lowers and trims emails", () => {
    expect(normaliseEmail("  Asha.Mwangi@Example.CO.KE ")).toBe("asha.mwangi@example.co.ke");
    expect(normaliseEmail(null)).toBeNull();
    expect(normaliseEmail("  ")).toBeNull();
  });

  it("tells a whole address (looked up exactly) from part of one (searched as text)", () => {
    for (const email of ["asha@example.co.ke", "Ayse.Kaya+shop@Example.COM.TR", "a@b.c"]) expect(isWholeEmail(email), email).toBe(true);
    for (const text of ["asha@", "@example.com", "asha@example", "asha @example.com", "asha@example.", "beden"]) {
      expect(isWholeEmail(text), text).toBe(false);
    }
  });

  it("takes % _ and ! literally", () => {
    expect(containsPattern("100%_real!")).toBe("%100!%!_real!!%");
  });
});
