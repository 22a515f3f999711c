import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";

import type { Role } from "@runway/contracts";
import { SetUserRolesInputSchema } from "@runway/contracts";

import { ConfirmDialog } from "../components/confirm";
import { BackLink } from "../components/links";
import { ErrorBox, QueryState } from "../components/status";
import { DataTable, RoleBadges } from "../components/table";
import { describeError } from "../lib/errors";
import { formatDateTime } from "../lib/format";
import { useTRPC } from "../lib/trpc";
import { userDetailRoute } from "../routes";

const route = userDetailRoute;

/** The roles after granting or revoking admin, checked against the API's schema. */
export function toggledAdminRoles(current: Role[], grant: boolean, userId: string) {
  const roles = grant
    ? [...new Set<Role>([...current, "admin"])]
    : current.filter((role) => role !== "admin");
  return SetUserRolesInputSchema.parse({ userId, roles: roles.length ? roles : ["user"] });
}

const LAST_ADMIN_HELP =
  "Runway always keeps at least one admin. Grant admin to someone else first, then revoke it here.";

export function UserDetailScreen() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { userId } = route.useParams();
  const detail = useQuery(trpc.admin.users.get.queryOptions({ userId }));
  const [confirm, setConfirm] = useState<"grant" | "revoke" | "sessions" | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const invalidate = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.admin.users.get.queryKey({ userId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.admin.users.list.pathKey() }),
    ]);
  const setRoles = useMutation(
    trpc.admin.users.setRoles.mutationOptions({
      onSuccess: (result) => {
        setDone(`Roles are now: ${result.user.roles.join(", ")}.`);
        return invalidate();
      },
    }),
  );
  const revoke = useMutation(
    trpc.admin.users.revokeSessions.mutationOptions({
      onSuccess: () => {
        setDone("Every session of this user was ended.");
        return invalidate();
      },
    }),
  );
  const mutationError = setRoles.error ?? revoke.error;
  const closeConfirm = () => {
    setConfirm(null);
  };
  /** A confirmed action starts with no earlier outcome on screen. */
  const startAction = (mutate: () => void) => {
    setConfirm(null);
    setRoles.reset();
    revoke.reset();
    mutate();
  };

  return (
    <section aria-labelledby="user-title">
      <BackLink to="/users">Users</BackLink>
      <QueryState query={detail}>
        {({ user, sessions }) => {
          const isAdmin = user.roles.includes("admin");
          return (
            <>
              <h1 id="user-title">{user.email}</h1>
              <dl className="facts">
                <dt>Name</dt>
                <dd>{user.displayName ?? "–"}</dd>
                <dt>User id</dt>
                <dd>
                  <code>{user.id}</code>
                </dd>
                <dt>Created</dt>
                <dd>{formatDateTime(user.createdAt)}</dd>
                <dt>Roles</dt>
                <dd>
                  <RoleBadges roles={user.roles} />
                </dd>
              </dl>
              <div className="actions">
                <button
                  type="button"
                  className={isAdmin ? "button danger" : "button"}
                  disabled={setRoles.isPending}
                  onClick={() => {
                    setDone(null);
                    setConfirm(isAdmin ? "revoke" : "grant");
                  }}
                >
                  {isAdmin ? "Revoke admin" : "Grant admin"}
                </button>
                <Link className="button secondary" to="/audit" search={{ userId: user.id }}>
                  Audit events
                </Link>
              </div>
              {done ? (
                <p className="notice" role="status">
                  {done}
                </p>
              ) : null}
              {mutationError ? (
                <>
                  <ErrorBox error={mutationError} title="The change was refused" />
                  {describeError(mutationError).code === "LAST_ADMIN" ? (
                    <p className="field-error">{LAST_ADMIN_HELP}</p>
                  ) : null}
                </>
              ) : null}
              <h2>Active sessions ({sessions.length})</h2>
              {sessions.length === 0 ? (
                <p className="empty">No active session.</p>
              ) : (
                <DataTable
                  rows={sessions}
                  table={{
                    label: "Session list",
                    rowKey: (s) => s.id,
                    columns: [
                      { header: "Session", cell: (s) => <code>{s.id.slice(0, 8)}</code> },
                      { header: "Started", cell: (s) => formatDateTime(s.createdAt) },
                      { header: "Last used", cell: (s) => formatDateTime(s.lastUsedAt) },
                      { header: "Expires", cell: (s) => formatDateTime(s.expiresAt) },
                    ],
                  }}
                />
              )}
              <button
                type="button"
                className="button danger"
                disabled={sessions.length === 0 || revoke.isPending}
                onClick={() => {
                  setDone(null);
                  setConfirm("sessions");
                }}
              >
                Revoke all sessions
              </button>
              <ConfirmDialog
                open={confirm === "grant" || confirm === "revoke"}
                title={confirm === "grant" ? "Grant admin?" : "Revoke admin?"}
                confirmLabel={confirm === "grant" ? "Grant admin" : "Revoke admin"}
                danger={confirm === "revoke"}
                onCancel={closeConfirm}
                onConfirm={() => {
                  startAction(() => {
                    setRoles.mutate(toggledAdminRoles(user.roles, !isAdmin, user.id));
                  });
                }}
              >
                <p>
                  {confirm === "grant"
                    ? `${user.email} will be able to manage users, imports and the queue.`
                    : `${user.email} will lose access to the console and /v1/admin on their next request.`}
                </p>
              </ConfirmDialog>
              <ConfirmDialog
                open={confirm === "sessions"}
                title="Revoke all sessions?"
                confirmLabel="Revoke sessions"
                danger
                onCancel={closeConfirm}
                onConfirm={() => {
                  startAction(() => {
                    revoke.mutate({ userId: user.id });
                  });
                }}
              >
                <p>{user.email} is signed out everywhere; their tokens stop working at once.</p>
              </ConfirmDialog>
            </>
          );
        }}
      </QueryState>
    </section>
  );
}
