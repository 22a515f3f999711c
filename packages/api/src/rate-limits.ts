import type { Redis } from "ioredis";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";

import type { RateLimitConfig, RateRule } from "@runway/config";
import { AppError } from "@runway/core";

export type LimitName = keyof RateLimitConfig;

/** What a 429 tells the client, as headers. */
export type RateLimitHeaders = Record<
  "Retry-After" | "RateLimit-Limit" | "RateLimit-Remaining" | "RateLimit-Reset",
  string
>;

export class RateLimitedError extends AppError {
  constructor(readonly headers: RateLimitHeaders) {
    super("RATE_LIMITED", "Too many requests; retry after the time in Retry-After");
  }
}

function headersFor(rule: RateRule, res: RateLimiterRes): RateLimitHeaders {
  const seconds = String(Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
  return {
    "Retry-After": seconds,
    "RateLimit-Limit": String(rule.points),
    "RateLimit-Remaining": String(Math.max(0, res.remainingPoints)),
    "RateLimit-Reset": seconds,
  };
}

/**
 * Every limit, in Redis when there is one, with an in-memory insurance limiter that takes over
 * while Redis is unreachable: requests stay limited (per process) instead of passing or failing.
 */
export class RateLimits {
  private readonly limiters: Record<LimitName, RateLimiterAbstract>;

  constructor(
    private readonly config: RateLimitConfig,
    private readonly redis: Redis | null,
    /** Told about every refusal, for the rejections metric. */
    private readonly onReject: (name: LimitName) => void = () => undefined,
  ) {
    const build = (name: LimitName): RateLimiterAbstract => {
      const rule = config[name];
      const memory = new RateLimiterMemory({
        keyPrefix: `rl:${name}`,
        points: rule.points,
        duration: rule.windowSec,
      });
      if (!redis) return memory;
      return new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `rl:${name}`,
        points: rule.points,
        duration: rule.windowSec,
        insuranceLimiter: memory,
      });
    };
    this.limiters = {
      ip: build("ip"),
      register: build("register"),
      refresh: build("refresh"),
      loginAccountIp: build("loginAccountIp"),
      loginAccount: build("loginAccount"),
      importRequests: build("importRequests"),
      importItems: build("importItems"),
    };
  }

  /** True while Redis is unreachable and the in-memory insurance limiters answer. */
  fallbackActive(): boolean {
    return this.redis !== null && this.redis.status !== "ready";
  }

  private refuse(name: LimitName, res: RateLimiterRes): never {
    this.onReject(name);
    throw new RateLimitedError(headersFor(this.config[name], res));
  }

  /** Spends `points` of `key`'s budget or throws RateLimitedError. */
  async consume(name: LimitName, key: string, points = 1): Promise<void> {
    try {
      await this.limiters[name].consume(key, points);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) this.refuse(name, rejection);
      throw rejection;
    }
  }

  /**
   * Brute-force guard for logins, checked before the password: 429 when this IP has spent its
   * failures for this account, or when the account is under attack and this IP is one of the
   * attackers. An IP with no failures for the account (its owner's phone) still gets in.
   */
  async assertLoginAllowed(account: string, ip: string): Promise<void> {
    const pairKey = `${account}|${ip}`;
    const [pair, total] = await Promise.all([
      this.limiters.loginAccountIp.get(pairKey),
      this.limiters.loginAccount.get(account),
    ]);
    const pairFails = pair?.consumedPoints ?? 0;
    if (pair && pairFails >= this.config.loginAccountIp.points) {
      this.refuse("loginAccountIp", pair);
    }
    if (total && total.consumedPoints >= this.config.loginAccount.points && pairFails > 0) {
      this.refuse("loginAccount", total);
    }
  }

  async recordLoginFailure(account: string, ip: string): Promise<void> {
    await Promise.all([
      this.limiters.loginAccountIp.penalty(`${account}|${ip}`),
      this.limiters.loginAccount.penalty(account),
    ]);
  }

  async recordLoginSuccess(account: string, ip: string): Promise<void> {
    await this.limiters.loginAccountIp.delete(`${account}|${ip}`);
  }
}
