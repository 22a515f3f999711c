import type { ImportJobPayload } from "@runway/contracts";
import type { Core, Dispatch, ImportRequest } from "@runway/core";
import type { ImportQueue } from "@runway/queue";
import { createImport, importJobHandlers, importJobStore } from "@runway/core";
import { createPostgresDispatcher } from "@runway/queue";

export const meta = { requestId: "req-test" };

/** A request to import two contacts. */
export function importRequest(
  userId: string,
  idempotencyKey: string,
  source = "test",
): ImportRequest {
  return {
    userId,
    idempotencyKey,
    meta,
    acceptedStatus: 202,
    input: { source, items: [{ email: "a@example.com" }, { phone: "+82 10 1234 5678" }] },
  };
}

/** A stored (not enqueued) import of two contacts. */
export async function newImport(
  core: Core,
  userId: string,
  idempotencyKey: string,
  source = "test",
): Promise<string> {
  const { body } = await createImport(core, importRequest(userId, idempotencyKey, source));
  return body.import.id;
}

/** The embedded dispatcher over core's job store, fast enough for tests. */
export function testDispatcher(core: Core, policy = { attempts: 2, backoffMs: 20 }) {
  return createPostgresDispatcher({
    store: importJobStore(core),
    policy,
    concurrency: 2,
    leaseMs: 5000,
    pollMs: 50,
    ...importJobHandlers(core),
    onError: () => undefined,
  });
}

/**
 * A dispatch whose hand-overs are recorded; `failing` makes the queue refuse them, as an
 * unreachable Redis does.
 */
export function recordingDispatch(queue: ImportQueue, failing = false) {
  const handedOver: ImportJobPayload[] = [];
  const reported: string[] = [];
  const dispatch: Dispatch = {
    queue: {
      ...queue,
      enqueue(payload) {
        handedOver.push(payload);
        return failing ? Promise.resolve(false) : queue.enqueue(payload);
      },
      requeue(payload) {
        handedOver.push(payload);
        return failing ? Promise.reject(new Error("queue unreachable")) : queue.requeue(payload);
      },
    },
    reportError(message) {
      reported.push(message);
    },
  };
  return { dispatch, handedOver, reported };
}
