export {
  createBullImportQueue,
  IMPORT_QUEUE,
  SCHEDULE_QUEUE,
  startBullSchedules,
  startBullWorker,
} from "./bullmq";
export type { BullWorkerOptions, RunningSchedules, RunningWorker, ScheduledTask } from "./bullmq";
export { createPostgresDispatcher } from "./postgres";
export type { PostgresDispatcher, PostgresDispatcherOptions } from "./postgres";
export * from "./types";
export { instrumentConsumer } from "./instrument";
