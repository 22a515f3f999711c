import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";

import { ConfirmDialog } from "../components/confirm";
import { ImportLink } from "../components/links";
import { ErrorBox, QueryState } from "../components/status";
import { PagedTable } from "../components/table";
import { Tiles } from "../components/tiles";
import { formatCount, formatDateTime, formatSeconds } from "../lib/format";
import { withoutItem } from "../lib/optimistic";
import { useTRPC } from "../lib/trpc";
import { queueRoute } from "../routes";

const route = queueRoute;

const JOB_STATES = ["waiting", "active", "delayed", "failed", "completed"] as const;
const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

interface Pending {
  action: "retry" | "discard";
  id: string;
  importId: string;
}

export function QueueScreen() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const search = route.useSearch();
  const navigate = useNavigate();
  const [pending, setPending] = useState<Pending | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const stats = useQuery({ ...trpc.admin.queue.stats.queryOptions(), refetchInterval: 5000 });
  const listInput = { cursor: search.cursor, limit: 20 };
  const listKey = trpc.admin.deadLetters.list.queryKey(listInput);
  const letters = useQuery(trpc.admin.deadLetters.list.queryOptions(listInput));

  // Optimistic: the letter leaves the list at once and comes back if the API refuses.
  const optimistic = {
    onMutate: async ({ deadLetterId }: { deadLetterId: string }) => {
      await queryClient.cancelQueries({ queryKey: listKey });
      const previous = queryClient.getQueryData(listKey);
      queryClient.setQueryData(listKey, (page) => withoutItem(page, deadLetterId));
      return { previous };
    },
    onError: (
      _error: unknown,
      _input: unknown,
      context: { previous: typeof letters.data } | undefined,
    ) => {
      queryClient.setQueryData(listKey, context?.previous);
    },
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.admin.deadLetters.list.pathKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.admin.queue.stats.queryKey() }),
      ]),
  };
  const retry = useMutation(
    trpc.admin.deadLetters.retry.mutationOptions({
      ...optimistic,
      onSuccess: (result) => {
        setDone(`Import ${result.importId.slice(0, 8)} is queued again.`);
      },
    }),
  );
  const discard = useMutation(
    trpc.admin.deadLetters.discard.mutationOptions({
      ...optimistic,
      onSuccess: () => {
        setDone("Dead letter discarded; the import stays failed.");
      },
    }),
  );
  const mutationError = retry.error ?? discard.error;

  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">Queue and dead letters</h1>
      <QueryState query={stats}>
        {(s) => (
          <Tiles
            label="Queue"
            tiles={[
              ["Backend", s.backend],
              ...JOB_STATES.map((state) => [capitalized(state), formatCount(s[state])] as const),
              ["Oldest wait", formatSeconds(s.oldestWaitingAgeSeconds)],
              ["Dead letters", formatCount(s.deadLetters)],
            ]}
          />
        )}
      </QueryState>
      <h2>Dead letters</h2>
      {done ? (
        <p className="notice" role="status">
          {done}
        </p>
      ) : null}
      {mutationError ? <ErrorBox error={mutationError} title="The action was refused" /> : null}
      <PagedTable
        query={letters}
        empty="No dead letters: every import either completed or is still being tried."
        table={{
          label: "Dead letter list",
          rowKey: (letter) => letter.id,
          columns: [
            { header: "Import", cell: (letter) => <ImportLink id={letter.importId} /> },
            { header: "Reason", cellClassName: "wrap", cell: (letter) => letter.error },
            { header: "Attempts", className: "num", cell: (letter) => letter.attempts },
            { header: "Dead since", cell: (letter) => formatDateTime(letter.createdAt) },
            {
              header: "Actions",
              cellClassName: "row-actions",
              cell: (letter) =>
                (["retry", "discard"] as const).map((action) => (
                  <button
                    key={action}
                    type="button"
                    className={action === "retry" ? "button small" : "button small danger"}
                    aria-label={`${action === "retry" ? "Retry" : "Discard"} import ${letter.importId.slice(0, 8)}`}
                    onClick={() => {
                      setDone(null);
                      retry.reset();
                      discard.reset();
                      setPending({ action, id: letter.id, importId: letter.importId });
                    }}
                  >
                    {action === "retry" ? "Retry" : "Discard"}
                  </button>
                )),
            },
          ],
        }}
        cursor={search.cursor}
        onPage={(cursor) => void navigate({ to: "/queue", search: { cursor } })}
      />
      <ConfirmDialog
        open={pending !== null}
        title={pending?.action === "retry" ? "Retry this import?" : "Discard this dead letter?"}
        confirmLabel={pending?.action === "retry" ? "Retry" : "Discard"}
        danger={pending?.action === "discard"}
        onCancel={() => {
          setPending(null);
        }}
        onConfirm={() => {
          if (!pending) return;
          setPending(null);
          const input = { deadLetterId: pending.id };
          if (pending.action === "retry") retry.mutate(input);
          else discard.mutate(input);
        }}
      >
        <p>
          {pending?.action === "retry"
            ? `Import ${pending.importId.slice(0, 8)} goes back to the queue with fresh attempts.`
            : `Import ${pending?.importId.slice(0, 8) ?? ""} stays failed and leaves this list.`}
        </p>
      </ConfirmDialog>
    </section>
  );
}
