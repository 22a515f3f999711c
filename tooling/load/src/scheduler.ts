import type { Call, Reply, Session } from "./session";
import { IO_FAILURE } from "./session";

/** A request that no reply answered for this long is an I/O failure (autocannon times out first). */
const LOST_AFTER_MS = 70_000;

interface InFlight {
  session: Session;
  since: number;
}

/**
 * Hands the load generator's next request slot to a session: the first one that is ready (its
 * think time, poll interval or backoff is over), else a new session, up to `maxActive`. The
 * arrival rate is set by the generator (requests per second), so sessions that wait do not slow
 * it: other sessions, or new ones, fill the slots (an open model).
 */
export class Scheduler {
  private readonly waiting: Session[] = [];
  private readonly inFlight = new Set<InFlight>();
  started = 0;

  constructor(
    private readonly create: () => Session,
    private readonly maxActive = 2000,
  ) {}

  get active(): number {
    return this.waiting.length + this.inFlight.size;
  }

  /** The next request to send now, and a ticket to report its reply with. */
  take(now: number): { call: Call; ticket: InFlight } {
    this.expire(now);
    for (;;) {
      const session = this.pick(now);
      const call = session.next(now);
      if (!call) continue;
      const ticket = { session, since: now };
      this.inFlight.add(ticket);
      return { call, ticket };
    }
  }

  /** The reply to a ticket's request (IO_FAILURE when none came). */
  reply(ticket: InFlight, reply: Reply, now: number): void {
    if (!this.inFlight.delete(ticket)) return;
    ticket.session.onReply(reply, now);
    if (!ticket.session.done) this.waiting.push(ticket.session);
    else ticket.session.next(now);
  }

  /** The generator stopped with requests on the wire: their sessions resend them next stage. */
  abandonInFlight(): void {
    for (const ticket of this.inFlight) {
      ticket.session.rewind();
      if (ticket.session.done) ticket.session.next(Date.now());
      else this.waiting.push(ticket.session);
    }
    this.inFlight.clear();
  }

  private pick(now: number): Session {
    let earliest = -1;
    for (let i = 0; i < this.waiting.length; i++) {
      const session = this.waiting[i];
      if (!session) continue;
      if (session.readyAt <= now) return this.waiting.splice(i, 1)[0] ?? session;
      if (earliest < 0 || session.readyAt < (this.waiting[earliest]?.readyAt ?? Infinity)) {
        earliest = i;
      }
    }
    if (this.active < this.maxActive || earliest < 0) {
      this.started++;
      return this.create();
    }
    // At the cap with nobody ready: the one closest to ready goes a little early.
    return this.waiting.splice(earliest, 1)[0] ?? this.create();
  }

  private expire(now: number): void {
    for (const ticket of this.inFlight) {
      if (now - ticket.since > LOST_AFTER_MS) this.reply(ticket, IO_FAILURE, now);
    }
  }
}
