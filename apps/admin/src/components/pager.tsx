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
  const pages = [
    { label: "First page", shown: cursor !== undefined && cursor !== "", target: undefined },
    {
      label: "Next page",
      shown: nextCursor !== null && nextCursor !== "",
      target: nextCursor ?? undefined,
    },
  ].filter((page) => page.shown);
  if (pages.length === 0) return null;
  return (
    <nav className="pager" aria-label="Pages">
      {pages.map((page) => (
        <button
          key={page.label}
          type="button"
          className="button secondary"
          onClick={() => {
            onPage(page.target);
          }}
        >
          {page.label}
        </button>
      ))}
    </nav>
  );
}
