// Small PromQL builders, so that every selector in the rules and dashboards is assembled the same way.

/** One label matcher of a PromQL selector. */
export interface Matcher {
  /** Label name. */
  readonly label: string;
  /** Matching operator. */
  readonly op: '=' | '!=' | '=~' | '!~';
  /** Value or regular expression. */
  readonly value: string;
}

/** Returns `metric{label="value",...}` with the values quoted as PromQL strings. */
export function selector(metric: string, matchers: readonly Matcher[]): string {
  const body = matchers.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(',');
  return `${metric}{${body}}`;
}

/** Returns a regular expression matching exactly one of the given strings. */
export function anyOf(values: readonly string[]): string {
  return values.map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}
