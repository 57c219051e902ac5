// Finds the metric names a PromQL expression reads, so tests can check that each one is really exported.

/** PromQL functions, aggregations and keywords: words that are not metric names. */
const PROMQL_WORDS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'quantile',
  'count_values',
  'group',
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'deriv',
  'histogram_quantile',
  'absent',
  'absent_over_time',
  'vector',
  'scalar',
  'clamp_min',
  'clamp_max',
  'clamp',
  'round',
  'abs',
  'ceil',
  'floor',
  'sum_over_time',
  'count_over_time',
  'avg_over_time',
  'min_over_time',
  'max_over_time',
  'label_replace',
  'time',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'inf',
  'nan',
]);

/** Returns the distinct metric names read by `expr` (recorded series included). */
export function promqlMetricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // label values and strings
    .replace(/\{[^}]*\}/g, '') // matchers
    .replace(/\[[^\]]*\]/g, '') // ranges
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ''); // label lists
  const words = stripped.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  return [...new Set(words.filter((word) => !PROMQL_WORDS.has(word.toLowerCase())))];
}
