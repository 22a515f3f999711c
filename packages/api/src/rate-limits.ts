import type { Redis } from "ioredis";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";

import type { RateLimitConfig, RateRule } from "@runway/config";
import { AppError } from "@runway/core";

export type LimitName = keyof RateLimitConfig;

/**
 * How long a successful sign-in exempts its account+IP pair from the per-IP failure cap. Below
 * 24.8 days: the in-memory store expires keys with setTimeout, which cannot wait longer.
 */
const KNOWN_PAIR_SEC = 14 * 86_400;

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
  /** Account+IP pairs that signed in successfully: exempt from the per-IP failure cap. */
  private readonly knownPairs: RateLimiterAbstract;

  constructor(
    private readonly config: RateLimitConfig,
    private readonly redis: Redis | null,
    /** Told about every refusal, for the rejections metric. */
    private readonly onReject: (name: LimitName) => void = () => undefined,
  ) {
    const build = (name: string, rule: RateRule): RateLimiterAbstract => {
      const options = { keyPrefix: `rl:${name}`, points: rule.points, duration: rule.windowSec };
      const memory = new RateLimiterMemory(options);
      if (!redis) return memory;
      return new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: memory });
    };
    this.limiters = Object.fromEntries(
      (Object.keys(config) as LimitName[]).map((name) => [name, build(name, config[name])]),
    ) as Record<LimitName, RateLimiterAbstract>;
    this.knownPairs = build("loginKnown", { points: 1, windowSec: KNOWN_PAIR_SEC });
  }

  /** True while Redis is unreachable and the in-memory insurance limiters answer. */
  fallbackActive(): boolean {
    return this.redis !== null && this.redis.status !== "ready";
  }

  private refuse(name: LimitName, res: RateLimiterRes): never {
    this.onReject(name);
    throw new RateLimitedError(headersFor(this.config[name], res));
  }

  /**
   * Spends `points` of `key`'s budget or throws RateLimitedError. A refused request spends
   * nothing, so a large refused import does not eat what is left of the budget.
   */
  async consume(name: LimitName, key: string, points = 1): Promise<void> {
    if (points <= 0) return;
    const res = await this.take(name, key, points);
    if (this.over(name, res)) {
      await this.limiters[name].reward(key, points);
      this.refuse(name, res);
    }
  }

  /** Spends `points` and reports whether that went over the limit, without throwing. */
  private async take(name: LimitName, key: string, points = 1): Promise<RateLimiterRes> {
    try {
      return await this.limiters[name].consume(key, points);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return rejection;
      throw rejection;
    }
  }

  private over(name: LimitName, res: RateLimiterRes): boolean {
    return res.consumedPoints > this.config[name].points;
  }

  /**
   * Brute-force guard for logins (consume, then reward): a failure point is reserved atomically
   * for the account+IP pair, the account and the IP before the password is checked, so parallel
   * requests and tRPC batches can never verify more passwords than the limits allow. Settle the
   * returned attempt with the verdict; a success gives the points back.
   *
   * Refused: an IP that spent its failures for this account; an IP that already failed for an
   * account whose total budget is spent (the owner, from an address that never failed, still
   * gets in); an IP that spent its failures across all accounts (password spraying), unless it
   * signed in to this account successfully before.
   */
  async beginLogin(account: string, ip: string): Promise<LoginAttempt> {
    const pairKey = `${account}|${ip}`;
    const pair = await this.take("loginAccountIp", pairKey);
    if (this.over("loginAccountIp", pair)) this.refuse("loginAccountIp", pair);
    const attackerOfAccount = pair.consumedPoints > 1;
    const [total, fromIp] = await Promise.all([
      this.take("loginAccount", account),
      this.take("loginIp", ip),
    ]);
    const giveBack = async () => {
      await Promise.all([
        this.limiters.loginAccountIp.reward(pairKey, 1),
        this.limiters.loginAccount.reward(account, 1),
        this.limiters.loginIp.reward(ip, 1),
      ]);
    };
    if (this.over("loginAccount", total) && attackerOfAccount) {
      await giveBack();
      this.refuse("loginAccount", total);
    }
    if (this.over("loginIp", fromIp) && !(await this.knownPairs.get(pairKey))) {
      await giveBack();
      this.refuse("loginIp", fromIp);
    }
    return {
      succeeded: async () => {
        await Promise.all([
          this.limiters.loginAccountIp.delete(pairKey),
          this.limiters.loginAccount.reward(account, 1),
          this.limiters.loginIp.reward(ip, 1),
          this.knownPairs.set(pairKey, 1, KNOWN_PAIR_SEC),
        ]);
      },
      // No verdict (the check itself failed): the attempt does not count.
      abandoned: giveBack,
    };
  }
}

/** A reserved login attempt: a failure keeps its points, anything else settles it. */
export interface LoginAttempt {
  succeeded(): Promise<void>;
  abandoned(): Promise<void>;
}
