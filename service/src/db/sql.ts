/** Renders a timestamptz column as RFC 3339 UTC with microseconds (sessions run in UTC; see create-pool). */
export function isoTimestamp(column: string): string {
  return `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
