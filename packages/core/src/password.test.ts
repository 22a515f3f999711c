import { hash, parseOptions } from "@node-rs/argon2";
import { describe, expect, it } from "vitest";

import { AppError } from "./errors";
import { assertPasswordPolicy, hashPassword, needsRehash, verifyPassword } from "./password";

describe("password hashing", () => {
  it("stores argon2id with the OWASP parameters (19 MiB, t=2, p=1)", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(stored.startsWith("$argon2id$v=19$m=19456,t=2,p=1$")).toBe(true);
    const params = parseOptions(stored);
    expect(params).toMatchObject({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
    expect(await verifyPassword(stored, "correct horse battery staple")).toBe(true);
    expect(await verifyPassword(stored, "correct horse battery stapler")).toBe(false);
    expect(needsRehash(stored)).toBe(false);
  });

  it("flags hashes made with other parameters for rehash", async () => {
    const weaker = await hash("correct horse battery staple", {
      memoryCost: 4096,
      timeCost: 1,
      parallelism: 1,
    });
    expect(needsRehash(weaker)).toBe(true);
    expect(needsRehash("not a hash")).toBe(true);
    expect(await verifyPassword("not a hash", "anything")).toBe(false);
  });
});

describe("password policy", () => {
  it.each([
    "password1234",
    "123456789012",
    "qwertyuiopas",
    "aaaaaaaaaaaaaaaa",
    "iloveyou1234",
    "Password123!",
  ])("refuses the common password %s", (password) => {
    expect(() => {
      assertPasswordPolicy(password);
    }).toThrow(AppError);
  });

  it("refuses passwords built from the user's own email", () => {
    expect(() => {
      assertPasswordPolicy("janedoe@example.com", ["janedoe@example.com"]);
    }).toThrow(/too common/);
  });

  it("refuses too short and too long passwords", () => {
    expect(() => {
      assertPasswordPolicy("Sh0rt!x");
    }).toThrow(/12 to 128/);
    expect(() => {
      assertPasswordPolicy("x".repeat(129));
    }).toThrow(/12 to 128/);
  });

  it("accepts a passphrase", () => {
    expect(() => {
      assertPasswordPolicy("correct horse battery staple");
    }).not.toThrow();
    expect(() => {
      assertPasswordPolicy("violet-tugboat-47-quartz");
    }).not.toThrow();
  });
});
