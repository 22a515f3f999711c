import { useMutation } from "@tanstack/react-query";
import { useState } from "react";

import { ConfirmDialog } from "../components/confirm";
import { ErrorBox } from "../components/status";
import { formatCount } from "../lib/format";
import { useTRPC } from "../lib/trpc";

export function MaintenanceScreen() {
  const trpc = useTRPC();
  const [confirm, setConfirm] = useState(false);
  const cleanup = useMutation(trpc.admin.maintenance.cleanup.mutationOptions());

  return (
    <section aria-labelledby="maintenance-title">
      <h1 id="maintenance-title">Maintenance</h1>
      <div className="card">
        <h2>Cleanup</h2>
        <p>
          Deletes expired sessions, revocation records past their last access token, and expired
          idempotency keys. It also runs on a schedule; run it now after a large revocation.
        </p>
        <button
          type="button"
          className="button"
          disabled={cleanup.isPending}
          onClick={() => {
            setConfirm(true);
          }}
        >
          {cleanup.isPending ? "Running…" : "Run cleanup"}
        </button>
        {cleanup.error ? <ErrorBox error={cleanup.error} /> : null}
        {cleanup.data ? (
          <div role="status">
            <h3>Deleted</h3>
            <dl className="facts">
              <dt>Sessions</dt>
              <dd>{formatCount(cleanup.data.deleted.sessions)}</dd>
              <dt>Revocation records</dt>
              <dd>{formatCount(cleanup.data.deleted.revokedSessions)}</dd>
              <dt>Idempotency keys</dt>
              <dd>{formatCount(cleanup.data.deleted.idempotencyKeys)}</dd>
            </dl>
          </div>
        ) : null}
      </div>
      <ConfirmDialog
        open={confirm}
        title="Run the cleanup now?"
        confirmLabel="Run cleanup"
        onCancel={() => {
          setConfirm(false);
        }}
        onConfirm={() => {
          setConfirm(false);
          cleanup.mutate();
        }}
      >
        <p>Only expired records are deleted; live sessions are not touched.</p>
      </ConfirmDialog>
    </section>
  );
}
