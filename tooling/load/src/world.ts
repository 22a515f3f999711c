import { randomUUID } from "node:crypto";

/** A signed-in app: its tokens and when the access token expires (client clock). */
export interface Auth {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
}

export interface Credentials {
  email: string;
  password: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export const PASSWORD = "correct horse battery staple";

export function authFrom(tokens: TokenPair, now: number): Auth {
  return {
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresAt: now + tokens.expiresIn * 1000,
  };
}

/** What all sessions of a run share: users to log in as, signed-in apps, accepted imports. */
export class World {
  readonly acceptedImports = new Set<string>();
  /** Signed-in apps free to borrow (read-heavy, import-burst): one borrower at a time. */
  readonly idleAuths: Auth[] = [];
  counters = { sessions: 0, completed: 0, failed: 0, abandoned: 0, refreshes: 0, retries: 0 };
  failures = new Map<string, number>();

  constructor(
    readonly users: Credentials[],
    readonly runId: string = randomUUID().slice(0, 8),
    readonly random: () => number = Math.random,
  ) {}

  pickUser(): Credentials {
    const user = this.users[Math.floor(this.random() * this.users.length)];
    if (!user) throw new Error("the run has no users to log in as");
    return user;
  }

  newEmail(): string {
    return `load.${this.runId}.${randomUUID().slice(0, 12)}@example.com`;
  }

  noteFailure(reason: string): void {
    this.failures.set(reason, (this.failures.get(reason) ?? 0) + 1);
  }
}

/** `n` contacts for an import: emails and Korean mobile numbers, some repeated (duplicates). */
export function contacts(
  n: number,
  seed: string,
): { name: string; email?: string; phone?: string }[] {
  return Array.from({ length: n }, (_, i) => {
    const k = i % Math.max(1, n - 3);
    return i % 3 === 2
      ? {
          name: `Contact ${String(k)}`,
          phone: `010-${String(2000 + (k % 7000))}-${String(k % 10_000).padStart(4, "0")}`,
        }
      : { name: `Contact ${String(k)}`, email: `c${String(k)}.${seed}@example.com` };
  });
}
