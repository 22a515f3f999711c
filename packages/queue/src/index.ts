export { createBullImportQueue, IMPORT_QUEUE, startBullWorker } from "./bullmq";
export type { BullWorkerOptions, RunningWorker } from "./bullmq";
export { createPostgresDispatcher } from "./postgres";
export type { PostgresDispatcher, PostgresDispatcherOptions } from "./postgres";
export * from "./types";
export { instrumentConsumer } from "./instrument";
