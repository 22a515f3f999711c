import type { Instance, Request } from "autocannon";
import autocannon from "autocannon";

import type { RouteClass } from "./routes";
import type { Scheduler } from "./scheduler";
import type { Reply } from "./session";
import { ROUTE_CLASSES } from "./routes";
import { classOf, IO_FAILURE } from "./session";

/** One answered (or failed) request: ms since the run started, class index, status, latency. */
export type Sample = [t: number, cls: number, status: number, latencyMs: number];

export interface Stage {
  name: string;
  /** Offered arrival rate, requests per second over all connections. */
  rate: number;
  durationS: number;
}

export interface StageResult extends Stage {
  /** ms since the run started, like the samples' times. */
  startMs: number;
  endMs: number;
  sent: number;
}

/** Separate autocannon instances, started this far apart within a second, spread the arrivals. */
const PHASES = 10;
/** A read timeout as the app's (docs/android/networking.md): longer than this is an I/O failure. */
const TIMEOUT_S = 20;
/** Request slots per connection before autocannon wraps its sequence (and resets the context). */
const SLOTS = 10_000;

interface Pending {
  ticket: ReturnType<Scheduler["take"]>["ticket"];
  cls: number;
  sentAt: number;
}

/**
 * Drives one stage with autocannon's programmatic API at a fixed overall rate. Every request
 * slot asks the scheduler which session speaks next; replies go back to the session (its
 * retry rules, its next step). autocannon paces each connection per second, so the stage runs
 * as PHASES instances a fraction of a second apart to keep arrivals smooth.
 */
export async function runStage(
  base: string,
  scheduler: Scheduler,
  stage: Stage,
  t0: number,
  samples: Sample[],
): Promise<StageResult> {
  let answered: { cls: number; status: number; sentAt: number } | null = null;
  let sent = 0;
  const now = () => performance.now();
  const record = (cls: number, status: number, latency: number) => {
    samples.push([Math.round(now() - t0), cls, status, Math.round(latency * 10) / 10]);
  };

  const slot: Request = {
    method: "GET",
    path: "/",
    setupRequest: (request, context) => {
      const ctx = context as { pending?: Pending };
      const at = now();
      if (ctx.pending) {
        // No reply came for the previous request on this connection: timeout or reset.
        record(ctx.pending.cls, 0, at - ctx.pending.sentAt);
        scheduler.reply(ctx.pending.ticket, IO_FAILURE, Date.now());
      }
      const { call, ticket } = scheduler.take(Date.now());
      ctx.pending = { ticket, cls: ROUTE_CLASSES.indexOf(classOf(call)), sentAt: at };
      sent++;
      return {
        ...request,
        method: call.method,
        path: call.path,
        headers: call.headers,
        body: call.body ?? "",
      };
    },
    onResponse: (status, body, context, headers) => {
      const ctx = context as { pending?: Pending };
      const pending = ctx.pending;
      if (!pending) return;
      ctx.pending = undefined;
      answered = { cls: pending.cls, status, sentAt: pending.sentAt };
      const reply: Reply = { status, body, headers: headers as Reply["headers"] };
      scheduler.reply(pending.ticket, reply, Date.now());
    },
  };
  const requests = Array.from({ length: SLOTS }, () => ({ ...slot }));

  const phases = Math.max(1, Math.min(PHASES, Math.floor(stage.rate)));
  const startMs = Math.round(now() - t0);
  const instances: Promise<void>[] = [];
  const total = Math.max(phases, Math.round(stage.rate));
  for (let phase = 0; phase < phases; phase++) {
    // The remainder goes to the first phases: the instances add up to the offered rate.
    const rate = Math.floor(total / phases) + (phase < total % phases ? 1 : 0);
    instances.push(
      new Promise<void>((resolve) => {
        setTimeout(
          () => {
            const instance: Instance = autocannon(
              {
                url: base,
                connections: rate,
                overallRate: rate,
                // Stopped below instead: autocannon acts on a stop at its next sample tick, which
                // by default lands on the connections' rate tick and cuts off the requests they
                // just wrote. Ticks every 250 ms and a stop half a second after a rate tick leave
                // those requests 750 ms to be answered.
                duration: stage.durationS + 5,
                sampleInt: 250,
                timeout: TIMEOUT_S,
                requests,
              },
              () => {
                resolve();
              },
            );
            setTimeout(
              () => {
                instance.stop();
              },
              stage.durationS * 1000 + 500,
            );
            // autocannon reports the response right after onResponse: take its exact latency.
            instance.on("response", (_client, _status, _bytes, responseTime) => {
              if (answered) record(answered.cls, answered.status, responseTime);
              answered = null;
            });
          },
          (phase * 1000) / phases,
        );
      }),
    );
  }
  await Promise.all(instances);
  scheduler.abandonInFlight();
  return { ...stage, startMs, endMs: Math.round(now() - t0), sent };
}

export function classIndex(cls: RouteClass): number {
  return ROUTE_CLASSES.indexOf(cls);
}
