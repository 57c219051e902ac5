// Reads how far back the generated Prometheus rules look, from their PromQL, independently of how the SLO
// definitions describe their windows: what Prometheus must keep is what the rules actually read.
import type { RuleFile } from '../../../dashboards/prometheus/rule-group';

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  y: 31_536_000,
};

/** Seconds of a PromQL duration, single or compound (`30d`, `1h30m`). */
function promqlDurationSeconds(duration: string): number {
  return [...duration.matchAll(/(\d+)(ms|[smhdwy])/g)].reduce(
    (total, [, amount, unit]) => total + Number(amount) * UNIT_SECONDS[unit],
    0,
  );
}

/**
 * The longest range, in seconds, any rule of the files reads: range selectors `[30d]` and subqueries
 * `[30d:5m]`. Throws on `offset` or `@`, which look further back than their range and are not handled here.
 */
export function longestRuleRangeSeconds(files: readonly RuleFile[]): number {
  const expressions = files.flatMap((file) => file.groups.flatMap((group) => group.rules.map((r) => r.expr)));
  let longest = 0;
  for (const expr of expressions) {
    if (/\boffset\b|@\s*\d/.test(expr)) throw new Error(`offset or @ not handled: ${expr}`);
    for (const [, range] of expr.matchAll(/\[((?:\d+(?:ms|[smhdwy]))+)(?::[^\]]*)?\]/g)) {
      longest = Math.max(longest, promqlDurationSeconds(range));
    }
  }
  return longest;
}
