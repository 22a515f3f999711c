import type { ReactNode } from "react";
import { Link } from "@tanstack/react-router";

/** A user's page, shown as the short id unless `children` says otherwise; a dash for none. */
export function UserLink({ id, children }: { id: string | null; children?: ReactNode }) {
  if (!id) return <>–</>;
  return (
    <Link to="/users/$userId" params={{ userId: id }}>
      {children ?? <code>{id.slice(0, 8)}</code>}
    </Link>
  );
}

/** An import's page, shown as the short id. */
export function ImportLink({ id }: { id: string }) {
  return (
    <Link to="/imports/$importId" params={{ importId: id }}>
      <code>{id.slice(0, 8)}</code>
    </Link>
  );
}

/** A value followed by a muted note, when there is one. */
export function WithNote({ children, note }: { children: ReactNode; note: string | null }) {
  return (
    <>
      {children}
      {note ? <span className="muted"> {note}</span> : null}
    </>
  );
}

/** The way back to a detail page's listing. */
export function BackLink({ to, children }: { to: "/imports" | "/users"; children: string }) {
  return (
    <p>
      <Link to={to}>{`← ${children}`}</Link>
    </p>
  );
}
