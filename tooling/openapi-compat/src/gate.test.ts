import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

import { release } from "./gate";
import { breakingChanges } from "./oasdiff";

/** The gate on copies of the real /v1 document: each edit is what a careless change would do. */
type Json = Record<string, unknown>;

/** The object at `keys` under `node`; a missing one fails the test that edits it. */
function at(node: Json, ...keys: string[]): Json {
  let value: unknown = node;
  for (const key of keys) value = (value as Json | undefined)?.[key];
  if (typeof value !== "object" || value === null)
    throw new Error(`no object at ${keys.join(" ")}`);
  return value as Json;
}

function names(node: Json, key = "required"): string[] {
  const value = node[key];
  if (!Array.isArray(value)) throw new Error(`no ${key} list`);
  return value as string[];
}

const repo = (file: string) => fileURLToPath(new URL(`../../../${file}`, import.meta.url));
const CURRENT = repo("packages/api/openapi.json");
const BASELINE = repo("packages/api/openapi.v1.baseline.json");
const current = JSON.parse(readFileSync(CURRENT, "utf8")) as Json;
const work = mkdtempSync(path.join(tmpdir(), "openapi-gate-"));
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

let copies = 0;
function copyWith(edit: (document: Json) => void, from: Json = current): string {
  const document = structuredClone(from);
  edit(document);
  const file = path.join(work, `copy-${String(++copies)}.json`);
  writeFileSync(file, JSON.stringify(document));
  return file;
}

const requestBody = (document: Json, path: string): Json =>
  at(document, "paths", path, "post", "requestBody", "content", "application/json", "schema");

function expectBreaking(revision: string, rule: string, from = CURRENT): void {
  const result = breakingChanges(from, revision);
  expect(result.ok).toBe(false);
  expect(result.output).toContain(`[${rule}]`);
}

function expectCompatible(revision: string, from = CURRENT): void {
  const result = breakingChanges(from, revision);
  expect(result.output).not.toMatch(/^error\t/m);
  expect(result.ok).toBe(true);
}

describe("the /v1 breaking-change gate (oasdiff)", () => {
  it("passes the committed document against the released baseline", () => {
    expectCompatible(CURRENT, BASELINE);
  });

  it("fails when a required response field is removed", () => {
    const revision = copyWith((document) => {
      const tokens = at(document, "components", "schemas", "Tokens");
      delete at(tokens, "properties").refreshToken;
      tokens.required = names(tokens).filter((name) => name !== "refreshToken");
    });
    expectBreaking(revision, "response-required-property-removed");
  });

  it("fails when a required request field is added", () => {
    const revision = copyWith((document) => {
      const body = requestBody(document, "/auth/login");
      at(body, "properties").deviceId = { type: "string" };
      names(body).push("deviceId");
    });
    expectBreaking(revision, "new-required-request-property");
  });

  it("fails when an operation is removed", () => {
    const revision = copyWith((document) => {
      delete at(document, "paths", "/imports/{importId}").delete;
    });
    expectBreaking(revision, "api-removed-without-deprecation");
  });

  it("fails when an optional request field becomes required", () => {
    const revision = copyWith((document) => {
      names(requestBody(document, "/auth/register")).push("displayName");
    });
    expectBreaking(revision, "request-property-became-required");
  });

  it("passes a new operation, a new optional request field and a new response field", () => {
    const revision = copyWith((document) => {
      const listSessions = { ...at(document, "paths", "/me", "get"), operationId: "listSessions" };
      at(document, "paths")["/me/sessions"] = { get: listSessions };
      at(requestBody(document, "/auth/login"), "properties").deviceName = { type: "string" };
      at(document, "components", "schemas", "User", "properties").locale = { type: "string" };
    });
    expectCompatible(revision);
  });

  it("passes a new enum value in a response (the Kotlin enums decode it to UNKNOWN)", () => {
    const revision = copyWith((document) => {
      names(at(document, "components", "schemas", "ImportStatus"), "enum").push("paused");
    });
    expectCompatible(revision);
  });

  it("gives a newly deprecated operation at least the 180-day window, and never an earlier sunset", () => {
    const inDays = (days: number) =>
      new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    const deprecate = (sunset: string, from: Json = current) =>
      copyWith((document) => {
        Object.assign(at(document, "paths", "/imports/{importId}", "delete"), {
          deprecated: true,
          "x-sunset": sunset,
        });
      }, from);
    expectBreaking(deprecate(inDays(30)), "api-sunset-date-too-small");
    expectCompatible(deprecate(inDays(365)));
    const announced = JSON.parse(readFileSync(deprecate(inDays(365)), "utf8")) as Json;
    expectBreaking(
      deprecate(inDays(300), announced),
      "api-sunset-date-changed-earlier",
      deprecate(inDays(365)),
    );
  });

  it("lets a deprecated operation go only after its sunset date", () => {
    const deprecate = (sunset: string) =>
      copyWith((document) => {
        Object.assign(at(document, "paths", "/imports/{importId}", "delete"), {
          deprecated: true,
          "x-sunset": sunset,
        });
      });
    const removed = copyWith((document) => {
      delete at(document, "paths", "/imports/{importId}").delete;
    });
    expectBreaking(removed, "api-removed-before-sunset", deprecate("2999-12-31"));
    expectCompatible(removed, deprecate("2020-01-31"));
  });
});

describe("openapi:release", () => {
  const releaseDir = mkdtempSync(path.join(tmpdir(), "openapi-release-"));
  afterAll(() => {
    rmSync(releaseDir, { recursive: true, force: true });
  });
  const files = {
    baseline: path.join(releaseDir, "baseline.json"),
    current: path.join(releaseDir, "current.json"),
    changelog: path.join(releaseDir, "api-changelog.md"),
  };
  const write = (file: string, document: Json) => {
    writeFileSync(file, JSON.stringify(document));
  };

  it("moves the baseline forward and prepends oasdiff's changelog, newest first", () => {
    write(files.baseline, current);
    const first = structuredClone(current);
    at(first, "paths")["/me/sessions"] = {
      get: { ...at(first, "paths", "/me", "get"), operationId: "listSessions" },
    };
    write(files.current, first);
    expect(release(files, false, new Date("2027-01-15T00:00:00Z"))).toBe(0);
    expect(readFileSync(files.baseline, "utf8")).toBe(readFileSync(files.current, "utf8"));
    const once = readFileSync(files.changelog, "utf8");
    expect(once).toMatch(/^# \/v1 API changelog\n/);
    expect(once).toMatch(/^## API Changelog .* \(released 2027-01-15\)$/m);
    expect(once).toContain("#### GET /me/sessions");

    const second = structuredClone(first);
    at(second, "components", "schemas", "User", "properties").locale = { type: "string" };
    write(files.current, second);
    expect(release(files, false, new Date("2027-02-01T00:00:00Z"))).toBe(0);
    const twice = readFileSync(files.changelog, "utf8");
    expect(twice.indexOf("(released 2027-02-01)")).toBeLessThan(
      twice.indexOf("(released 2027-01-15)"),
    );
    expect(twice).toContain("#### GET /me/sessions");
  });

  it("refuses a breaking change and leaves the baseline and the changelog alone", () => {
    const baselineBefore = readFileSync(files.baseline, "utf8");
    const changelogBefore = readFileSync(files.changelog, "utf8");
    const broken = JSON.parse(baselineBefore) as Json;
    delete at(broken, "paths", "/imports/{importId}").delete;
    write(files.current, broken);
    expect(release(files, false)).toBe(1);
    expect(readFileSync(files.baseline, "utf8")).toBe(baselineBefore);
    expect(readFileSync(files.changelog, "utf8")).toBe(changelogBefore);
  });
});
