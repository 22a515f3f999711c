import type { AuthConfig } from "@runway/config";
import type { Database } from "@runway/db";

import type { Core } from "./context";
import { AccessTokens } from "./access-token";
import { RevocationList } from "./revocations";

export { AccessTokens, CLOCK_LEEWAY_SECONDS } from "./access-token";
export type { Core, RequestMeta } from "./context";
export { AppError } from "./errors";
export { maskEmail } from "./mask";
export {
  ARGON2_PARAMS,
  assertPasswordPolicy,
  hashPassword,
  needsRehash,
  verifyPassword,
} from "./password";
export { RevocationList } from "./revocations";
export { authenticate, logout, refreshSession } from "./sessions";
export * from "./users";

export function createCore(options: { db: Database; auth: AuthConfig; now?: () => Date }): Core {
  const now = options.now ?? (() => new Date());
  return {
    db: options.db,
    auth: options.auth,
    tokens: new AccessTokens(options.auth),
    revocations: new RevocationList(options.db, now),
    now,
  };
}
