import type { Logger } from "./logger";

export interface StoppableService {
  stop(): Promise<void>;
}

/**
 * A service process's life around `start`: an uncaught exception is logged before Node ends the
 * process as it would anyway, and SIGTERM or SIGINT stops the service once, exiting 0 when it
 * has stopped, 1 when stopping failed or outlasted `forceExitMs`.
 */
export async function runService(
  logger: Logger,
  start: () => Promise<StoppableService>,
  options: { forceExitMs: number; exit?: (code: number) => void },
): Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  process.on("uncaughtExceptionMonitor", (error, origin) => {
    logger.error("uncaught exception; exiting", { error, origin });
  });
  const running = await start();
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received, shutting down`);
    setTimeout(() => {
      exit(1);
    }, options.forceExitMs).unref();
    running.stop().then(
      () => {
        exit(0);
      },
      (error: unknown) => {
        logger.error("shutdown failed", { error });
        exit(1);
      },
    );
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      shutdown(signal);
    });
  }
}
