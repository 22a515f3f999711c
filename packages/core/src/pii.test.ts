import { describe, expect, it } from "vitest";

import { isWellFormedText } from "@runway/contracts";

import { firstGrapheme, maskEmail, maskName } from "./mask";
import { hashEmail, maskPhone, normalizeEmail, normalizeItem, piiKey } from "./pii";

const key = piiKey("Zq8Lr2Vx7Nc4Tb9Wm1Ks6Hd3Jf0Gp5Ya8Ue2Io7Pl4Qw9");

describe("PII reduction", () => {
  it("normalizes emails and keys the hash", () => {
    expect(normalizeEmail("  Jane@Example.COM ")).toBe("jane@example.com");
    expect(normalizeEmail("no-at-sign")).toBeNull();
    expect(hashEmail(key, "jane@example.com")).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEmail(key, "jane@example.com")).not.toBe(
      hashEmail(piiKey("another-key-another-key-another-key-1234"), "jane@example.com"),
    );
  });

  it("masks phones, emails and names", () => {
    expect(maskPhone("+82 10 1234 5678")).toBe("+82 10 **** 5678");
    expect(maskPhone("+1 415 555 2671")).toBe("+1 415 *** 2671");
    expect(maskName("Jane Doe")).toBe("J***");
  });

  it("normalizes phones to E.164 with the default region, so formats dedupe", () => {
    const a = normalizeItem(key, { phone: "010-1234-5678" }, 0, "KR");
    const b = normalizeItem(key, { phone: "+82 10 1234 5678" }, 1, undefined);
    expect(a.phoneHash).toBe(b.phoneHash);
    expect(a.status).toBe("valid");
    expect(normalizeItem(key, { phone: "010-1234-5678" }, 2, undefined)).toMatchObject({
      status: "invalid",
      reason: "INVALID_PHONE",
    });
  });

  it("keeps nothing raw", () => {
    const item = normalizeItem(
      key,
      { name: "Jane Doe", email: "jane@example.com", phone: "+82 10 1234 5678" },
      0,
      undefined,
    );
    expect(JSON.stringify(item)).not.toMatch(/jane@|Jane Doe|1234|821012345678/);
  });
});

describe("masking text from anywhere in Unicode", () => {
  // Astral characters (surrogate pairs), combining marks, ZWJ sequences and right-to-left text.
  const cases: [string, string][] = [
    ["😀 Jane", "😀"],
    ["👩‍👩‍👧 Family", "👩‍👩‍👧"],
    ["🇰🇷 Kim", "🇰🇷"],
    ["e\u0301mile", "e\u0301"],
    ["שרה כהן", "ש"],
    ["محمد", "م"],
    ["𝒜lice", "𝒜"],
  ];

  it("takes one ASCII character without the segmenter, except where it starts a cluster", () => {
    expect(firstGrapheme("jane@example.com")).toBe("j");
    expect(firstGrapheme("J")).toBe("J");
    expect(firstGrapheme("")).toBe("");
    expect(firstGrapheme("\r\nx")).toBe("\r\n");
    expect(firstGrapheme("e\u0301x")).toBe("e\u0301");
    expect(firstGrapheme("a\u200dx")).toBe("a\u200d");
  });

  it.each(cases)("keeps the whole first character of the name %s", (name, first) => {
    expect(maskName(name)).toBe(`${first}***`);
  });

  it.each(cases)("keeps the whole first character of an email starting %s", (start, first) => {
    const email = `${start.replace(/\s/g, "")}@example.com`;
    expect(maskEmail(email)).toBe(`${first}***@example.com`);
  });

  it("masks an item whose name and email start with an emoji into well-formed text", () => {
    const item = normalizeItem(key, { name: "😀 Jane", email: "😀jane@example.com" }, 0, undefined);
    for (const masked of [item.nameMasked, item.emailMasked]) {
      expect(masked).not.toBeNull();
      expect(isWellFormedText(masked ?? "")).toBe(true);
    }
    expect(item).toMatchObject({ nameMasked: "😀***", emailMasked: "😀***@example.com" });
  });

  it("masks phones written with astral, combining or right-to-left characters around them into ASCII", () => {
    for (const phone of [
      "😀 010-5555-1234",
      "\u200f010-5555-1234\u200f",
      "٠١٠-٥٥٥٥-١٢٣٤",
      "01\u03010-5555-1234",
    ]) {
      const item = normalizeItem(key, { name: "Kim", phone }, 0, "KR");
      if (item.status === "valid") expect(item.phoneMasked).toMatch(/^\+82 [\d* -]+$/);
      else expect(item.reason).toBe("INVALID_PHONE");
      expect(isWellFormedText(JSON.stringify(item))).toBe(true);
    }
  });

  it("refuses a lone surrogate in any field with a reason of its own, keeping nothing of it", () => {
    for (const field of ["name", "email", "phone"] as const) {
      for (const lone of ["\ud83d", "\ude00x", "a\ud83d"]) {
        const item = normalizeItem(key, { name: "Jane", [field]: lone }, 3, "KR");
        expect(item).toMatchObject({ idx: 3, status: "invalid", reason: "MALFORMED_TEXT" });
        expect(item.nameMasked).toBeNull();
        expect(item.emailHash).toBeNull();
        expect(item.phoneHash).toBeNull();
      }
    }
    expect(isWellFormedText("😀")).toBe(true);
    expect(isWellFormedText("\ud83d")).toBe(false);
  });
});
