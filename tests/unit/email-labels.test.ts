import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EMAIL_PURPOSES, emailPurpose } from "../../app/components/email-labels";

/** Every `purpose` the app's services give an outgoing email, read from their source. */
function purposesInSource(): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.tsx?$/.test(entry.name)) {
        const text = fs.readFileSync(file, "utf8");
        for (const m of text.matchAll(/purpose:\s*"([a-z_]+)"/g)) found.add(m[1]);
        for (const m of text.matchAll(/threadEmail\([^,]+,[^,]+,[^,]+,\s*"([a-z_]+)"/g)) found.add(m[1]);
      }
    }
  };
  walk(path.resolve(__dirname, "../../app/services"));
  return found;
}

describe("email kinds on the Email page", () => {
  it("names every kind of email the app sends in the merchant's words", () => {
    const purposes = purposesInSource();
    expect([...purposes].sort()).toEqual(expect.arrayContaining(["auto_ack", "checkin", "csat", "notice", "reply"]));
    for (const purpose of purposes) expect(EMAIL_PURPOSES[purpose], `a label for "${purpose}"`).toBeTruthy();
    expect(emailPurpose("csat")).toBe("Satisfaction survey");
  });

  it("never shows a raw code for a kind it does not know", () => {
    expect(emailPurpose("order_update")).toBe("Order update");
    expect(emailPurpose("")).toBe("Email");
  });
});
