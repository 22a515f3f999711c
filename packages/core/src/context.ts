import type { AuthConfig } from "@runway/config";
import type { Database } from "@runway/db";

import type { AccessTokens } from "./access-token";
import type { RevocationList } from "./revocations";

/** What every domain function needs: the database, auth settings and a clock. */
export interface Core {
  db: Database;
  auth: AuthConfig;
  tokens: AccessTokens;
  revocations: RevocationList;
  now: () => Date;
}

/** Who is asking, for the audit trail. Never contains PII. */
export interface RequestMeta {
  requestId: string | null;
}
