import type { LoginInput, User } from "@runway/contracts";

import type { Core, RequestMeta } from "./context";
import { AppError } from "./errors";
import { logout, refreshSession } from "./sessions";
import { getCurrentUser, login } from "./users";

/** A console session: the user and a token pair; the HTTP layer puts the refresh token in a cookie. */
export interface ConsoleTokens {
  user: User;
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
}

const ADMINS_ONLY = "Only administrators can sign in to the Runway console";

/**
 * Signs an operator in to the console. Only admins get a session: anyone else's freshly opened
 * session is ended at once and they get FORBIDDEN, so no data and no usable token.
 */
export async function consoleSignIn(
  core: Core,
  input: LoginInput,
  meta: RequestMeta,
): Promise<ConsoleTokens> {
  const { user, tokens } = await login(core, input, meta);
  if (!user.roles.includes("admin")) {
    await logout(core, tokens.refreshToken, meta);
    throw new AppError("FORBIDDEN", ADMINS_ONLY);
  }
  return { user, ...tokens };
}

/**
 * Rotates the console's refresh token with the body flow's rules (lost-response grace, reuse
 * detection). A user who lost the admin role meanwhile is refused and their session ended.
 */
export async function consoleRefresh(
  core: Core,
  refreshToken: string,
  meta: RequestMeta,
): Promise<ConsoleTokens> {
  const tokens = await refreshSession(core, refreshToken, meta);
  const { userId } = core.tokens.verify(tokens.accessToken, core.now());
  const user = await getCurrentUser(core, userId);
  if (!user.roles.includes("admin")) {
    await logout(core, tokens.refreshToken, meta);
    throw new AppError("FORBIDDEN", ADMINS_ONLY);
  }
  return { user, ...tokens };
}
