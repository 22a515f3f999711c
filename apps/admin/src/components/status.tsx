import { useState } from "react";

import { describeError } from "../lib/errors";

/** An API failure: message, code and a copyable request id, so the logs can be found. */
export function ErrorBox({ error, title = "Request failed" }: { error: unknown; title?: string }) {
  const { message, code, requestId } = describeError(error);
  const [copied, setCopied] = useState(false);
  return (
    <div className="error-box" role="alert">
      <p className="error-title">{title}</p>
      <p>
        {message}
        {code ? <code className="error-code">{code}</code> : null}
      </p>
      {requestId ? (
        <p className="request-id">
          Request id <code>{requestId}</code>{" "}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              void navigator.clipboard
                .writeText(requestId)
                .then(() => {
                  setCopied(true);
                })
                .catch(() => undefined);
            }}
          >
            {copied ? "Copied" : "Copy"}
          </button>
        </p>
      ) : null}
    </div>
  );
}

export function Loading({ label = "Loading" }: { label?: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      {label}…
    </p>
  );
}

export function Empty({ children }: { children: React.ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** A query's three states around its content. */
export function QueryState<T>({
  query,
  isEmpty,
  empty,
  children,
}: {
  query: { isPending: boolean; error: unknown; data: T | undefined };
  isEmpty?: (data: T) => boolean;
  empty?: React.ReactNode;
  children: (data: T) => React.ReactNode;
}) {
  if (query.error) return <ErrorBox error={query.error} />;
  if (query.isPending || query.data === undefined) return <Loading />;
  if (isEmpty?.(query.data)) return <Empty>{empty ?? "Nothing here yet."}</Empty>;
  return <>{children(query.data)}</>;
}
