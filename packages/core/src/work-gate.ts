import { AppError } from "./errors";

/** The work gate is full: the caller answers 503 with this Retry-After. */
export class BusyError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super("SERVICE_UNAVAILABLE", "Too many sign-ins at once; retry after the time in Retry-After");
  }
}

/**
 * Runs at most `maxActive` tasks at once and lets at most `maxQueued` wait; beyond that a task
 * is refused at once with BusyError instead of queueing into the client's timeout. `maxQueued`
 * 0 turns the refusal off (unbounded queue).
 */
export class WorkGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private maxActive: number,
    private maxQueued: number,
    private retryAfterSeconds = 2,
  ) {}

  configure(maxActive: number, maxQueued: number, retryAfterSeconds: number): void {
    this.maxActive = maxActive;
    this.maxQueued = maxQueued;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.maxActive) {
      if (this.maxQueued > 0 && this.waiting.length >= this.maxQueued) {
        throw new BusyError(this.retryAfterSeconds);
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
