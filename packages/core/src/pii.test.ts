import { describe, expect, it } from "vitest";

import { hashEmail, maskName, maskPhone, normalizeEmail, normalizeItem, piiKey } from "./pii";

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
