/**
 * A /v1 operation on its way out. Apps keep working until the sunset date; the responses tell
 * them (and their developers) so, and the document says it too (docs/api-versioning.md).
 */
export interface Deprecation {
  /** ISO date (YYYY-MM-DD, UTC) from which the operation is deprecated. */
  since: string;
  /** ISO date (YYYY-MM-DD, UTC) after which the operation may be removed. */
  sunset: string;
  /** What to call instead, for the document and the generated `@Deprecated` message. */
  replacement: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function utcMidnight(date: string, field: string): Date {
  const parsed = new Date(`${date}T00:00:00Z`);
  if (
    !ISO_DATE.test(date) ||
    Number.isNaN(parsed.getTime()) ||
    parsed.toISOString().slice(0, 10) !== date
  ) {
    throw new Error(`deprecation ${field} must be a YYYY-MM-DD date (got ${date})`);
  }
  return parsed;
}

/** Where a deprecated operation is described: its entry in the API reference served at /docs. */
export function deprecationDocsPath(tag: string, operationId: string): string {
  return `/docs/#/${encodeURIComponent(tag)}/${encodeURIComponent(operationId)}`;
}

/**
 * The response headers of a deprecated operation: `Deprecation` as an RFC 9745 structured date
 * (`@<unix seconds>`), `Sunset` as an RFC 8594 HTTP-date, and a `Link` to the documentation
 * with the relation RFC 9745 registers.
 */
export function deprecationHeaders(deprecation: Deprecation, docsPath: string): [string, string][] {
  const since = utcMidnight(deprecation.since, "since");
  const sunset = utcMidnight(deprecation.sunset, "sunset");
  if (sunset <= since) throw new Error("deprecation sunset must come after since");
  return [
    ["Deprecation", `@${String(Math.floor(since.getTime() / 1000))}`],
    ["Sunset", sunset.toUTCString()],
    ["Link", `<${docsPath}>; rel="deprecation"; type="text/html"`],
  ];
}
