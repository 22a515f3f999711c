/** Keyset paging: the cursor lives in the URL, so the browser's Back is "previous page". */
export function Pager({
  cursor,
  nextCursor,
  onPage,
}: {
  cursor: string | undefined;
  nextCursor: string | null;
  onPage: (cursor: string | undefined) => void;
}) {
  if (!cursor && !nextCursor) return null;
  return (
    <nav className="pager" aria-label="Pages">
      {cursor ? (
        <button
          type="button"
          className="button secondary"
          onClick={() => {
            onPage(undefined);
          }}
        >
          First page
        </button>
      ) : null}
      {nextCursor ? (
        <button
          type="button"
          className="button secondary"
          onClick={() => {
            onPage(nextCursor);
          }}
        >
          Next page
        </button>
      ) : null}
    </nav>
  );
}
