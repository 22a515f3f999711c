import { describe, expect, it } from "vitest";

import { AUDIT_EVENT_TYPES as CONTRACT_TYPES } from "@runway/contracts";
import { AUDIT_EVENT_TYPES as STORED_TYPES } from "@runway/db";

describe("audit event types", () => {
  it("the public contract lists exactly the types the database stores", () => {
    expect([...CONTRACT_TYPES].sort()).toEqual([...STORED_TYPES].sort());
  });
});
