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

/**
 * The console cookie of one /trpc request. Read when a console procedure asks: most tRPC calls
 * never look at the cookie. A class, so its getters live on the prototype: node 20's V8 kept an
 * object literal with getters over the request, and so every /trpc request, through
 * young-generation collections (docs/performance.md, fourth pass).
 */
class RequestConsoleCookie implements ConsoleCookie {
  constructor(
    private readonly req: Request,
    private readonly res: Response,
    private readonly config: Config,
  ) {}

  private get options() {
    return {
      httpOnly: true,
      sameSite: "strict",
      // Secure except on plain-HTTP development (browsers drop Secure cookies over http).
      secure: this.config.isProduction || this.req.secure,
      path: CONSOLE_COOKIE_PATH,
    } as const;
  }

  get refreshToken(): string | undefined {
    return readCookie(this.req.get("cookie"), CONSOLE_REFRESH_COOKIE);
  }

  get csrfPassed(): boolean {
    return csrfPassed(this.req, this.config.http.corsOrigins);
  }

  set(token: string, maxAgeSeconds: number): void {
    this.res.cookie(CONSOLE_REFRESH_COOKIE, token, {
      ...this.options,
      maxAge: maxAgeSeconds * 1000,
    });
  }

  clear(): void {
    this.res.clearCookie(CONSOLE_REFRESH_COOKIE, this.options);
  }
}

export function consoleCookie(req: Request, res: Response, config: Config): ConsoleCookie {
  return new RequestConsoleCookie(req, res, config);
}
