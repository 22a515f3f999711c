import type { Request, Response } from "express";

import type { ConsoleCookie } from "@runway/api";
import type { Config } from "@runway/config";
import { CONSOLE_REFRESH_COOKIE, CSRF_HEADER } from "@runway/contracts";

/** The cookie travels with /trpc calls only; nothing else on the origin ever sees it. */
export const CONSOLE_COOKIE_PATH = "/trpc";

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{1,512}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/**
 * CSRF defence of the cookie-authenticated console calls: a custom header (which a cross-site
 * form cannot send, and a cross-site fetch cannot send without a CORS preflight we refuse) and
 * an Origin that is this server's own or an allow-listed one.
 */
export function csrfPassed(req: Request, allowedOrigins: string[]): boolean {
  if (req.get(CSRF_HEADER) !== "1") return false;
  const origin = req.get("origin");
  if (!origin) return false;
  const own = `${req.protocol}://${req.get("host") ?? ""}`;
  return origin === own || allowedOrigins.includes(origin);
}

export function consoleCookie(req: Request, res: Response, config: Config): ConsoleCookie {
  // Secure except on plain-HTTP development (browsers drop Secure cookies over http).
  const secure = config.isProduction || req.secure;
  const options = {
    httpOnly: true,
    sameSite: "strict",
    secure,
    path: CONSOLE_COOKIE_PATH,
  } as const;
  // Read when a console procedure asks: most tRPC calls never look at the cookie.
  return {
    get refreshToken() {
      return readCookie(req.get("cookie"), CONSOLE_REFRESH_COOKIE);
    },
    get csrfPassed() {
      return csrfPassed(req, config.http.corsOrigins);
    },
    set: (token, maxAgeSeconds) => {
      res.cookie(CONSOLE_REFRESH_COOKIE, token, { ...options, maxAge: maxAgeSeconds * 1000 });
    },
    clear: () => {
      res.clearCookie(CONSOLE_REFRESH_COOKIE, options);
    },
  };
}
