import type { DatabaseHandle } from "@runway/db";
import type { ImportQueue } from "@runway/queue";

/** Each dependency's state, "ok" or why not: for /readyz, the alerts and the metrics. */
export async function checkReadiness(
  database: DatabaseHandle,
  queue: ImportQueue,
): Promise<Record<string, string>> {
  const checks: Record<string, string> = {};
  await database.checkReady().then(
    () => (checks.database = "ok"),
    (error: unknown) =>
      (checks.database =
        error instanceof Error && error.message.includes("migration")
          ? error.message
          : "unreachable"),
  );
  if (queue.backend === "bullmq") {
    await queue.ping().then(
      () => (checks.redis = "ok"),
      () => (checks.redis = "unreachable"),
    );
  }
  return checks;
}
