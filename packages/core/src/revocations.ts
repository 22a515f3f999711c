import { gt } from "drizzle-orm";

import type { Database } from "@runway/db";
import { revokedSessions } from "@runway/db";

/**
 * Replicas learn about revocations by polling; the window re-reads rows committed late by a
 * long transaction whose `now()` was taken before the previous poll.
 */
const POLL_OVERLAP_MS = 60_000;

/**
 * The set of sessions whose access tokens must be refused before they expire. Local
 * revocations apply at once; other replicas' arrive with the next sync.
 */
export class RevocationList {
  private readonly revoked = new Map<string, number>();
  private syncedUntil: Date | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  isRevoked(sessionId: string): boolean {
    const expiresAt = this.revoked.get(sessionId);
    return expiresAt !== undefined && expiresAt > this.now().getTime();
  }

  add(sessionId: string, expiresAt: Date): void {
    this.revoked.set(sessionId, expiresAt.getTime());
  }

  get size(): number {
    return this.revoked.size;
  }

  async sync(): Promise<void> {
    const startedAt = this.now();
    const query = this.db
      .select({ sessionId: revokedSessions.sessionId, expiresAt: revokedSessions.expiresAt })
      .from(revokedSessions);
    const rows = await (this.syncedUntil
      ? query.where(
          gt(revokedSessions.revokedAt, new Date(this.syncedUntil.getTime() - POLL_OVERLAP_MS)),
        )
      : query.where(gt(revokedSessions.expiresAt, startedAt)));
    for (const row of rows) this.add(row.sessionId, row.expiresAt);
    const nowMs = startedAt.getTime();
    for (const [sessionId, expiresAt] of this.revoked) {
      if (expiresAt <= nowMs) this.revoked.delete(sessionId);
    }
    this.syncedUntil = startedAt;
  }

  /** Polls every `intervalMs`; failures are reported and retried on the next tick. */
  start(intervalMs: number, onError: (error: unknown) => void): void {
    this.stop();
    this.timer = setInterval(() => {
      this.sync().catch(onError);
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
