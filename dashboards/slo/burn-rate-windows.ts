// Multi-window, multi-burn-rate alerting as in the Google SRE workbook (chapter 5, "Alerting on SLOs").
// The policy says how much of the budget may burn in how long; the factor follows from the SLO period,
// so a fork that changes `windowDays` gets consistent thresholds without touching this file.
import { durationSeconds, formatDuration, type Duration } from './duration';

/**
 * The whole severity vocabulary, which the alert router routes on: `page` wakes someone, `ticket` waits for
 * working hours. Page on symptoms users feel, ticket on causes (Google SRE workbook, "Alerting on SLOs").
 */
export const SEVERITIES = ['page', 'ticket'] as const;

/** Who is told: one of `SEVERITIES`. */
export type Severity = (typeof SEVERITIES)[number];

/** One row of the burn-rate policy, before it is applied to an SLO period. */
export interface BurnRatePolicyRow {
  /** Who is told. */
  readonly severity: Severity;
  /** Share of the whole period's error budget that, spent within `long`, triggers the alert. */
  readonly budgetSpent: number;
  /** Long window: the budget must really be burning at this rate. */
  readonly long: Duration;
  /** Short window (1/12 of `long`): the burn is still going on, so the alert resets soon after a fix. */
  readonly short: Duration;
  /** How long both windows must agree before the alert fires; filters one-evaluation spikes. */
  readonly for: Duration;
}

/** One burn-rate alert window of an SLO: the data the alerts, tests and dashboards are generated from. */
export interface BurnRateWindow extends BurnRatePolicyRow {
  /** Burn rate (multiple of the sustainable error rate) above which both windows must be. */
  readonly factor: number;
}

/** The workbook's policy: 2% of the budget in 1h or 5% in 6h pages; 10% in 1d or 10% in 3d opens a ticket. */
export const BURN_RATE_POLICY: readonly BurnRatePolicyRow[] = [
  { severity: 'page', budgetSpent: 0.02, long: '1h', short: '5m', for: '2m' },
  { severity: 'page', budgetSpent: 0.05, long: '6h', short: '30m', for: '15m' },
  { severity: 'ticket', budgetSpent: 0.1, long: '1d', short: '2h', for: '1h' },
  { severity: 'ticket', budgetSpent: 0.1, long: '3d', short: '6h', for: '3h' },
];

/**
 * A page needs at least this many requests in the long window: at 3 a.m. a handful of errors among a few
 * requests is a large ratio but not an outage worth waking someone for.
 */
export const MIN_REQUESTS_IN_LONG_WINDOW = 1000;

/** Applies the policy to an SLO period: factor = budget share × period / long window (14.4 for 2% in 1h of 30d). */
export function burnRateWindows(
  periodDays: number,
  policy: readonly BurnRatePolicyRow[] = BURN_RATE_POLICY,
): BurnRateWindow[] {
  const periodSeconds = periodDays * 86_400;
  return policy.map((row) => {
    const longSeconds = durationSeconds(row.long);
    if (durationSeconds(row.short) >= longSeconds) {
      throw new Error(`burn-rate window ${row.long}/${row.short}: short must be shorter than long`);
    }
    if (longSeconds >= periodSeconds) {
      throw new Error(`burn-rate window ${row.long} must be shorter than the ${periodDays}d SLO period`);
    }
    // Rounded to 4 decimals so 0.02 * 720 is 14.4, not 14.399999999999999, in the generated rules.
    const factor = Math.round(((row.budgetSpent * periodSeconds) / longSeconds) * 10_000) / 10_000;
    return { ...row, factor };
  });
}

/** Every window the SLI must be recorded at: the policy's long and short windows and the whole period, shortest first. */
export function sliWindows(windows: readonly BurnRateWindow[], periodDays: number): Duration[] {
  const seconds = new Set(windows.flatMap((w) => [durationSeconds(w.long), durationSeconds(w.short)]));
  return [...seconds]
    .sort((a, b) => a - b)
    .map(formatDuration)
    .concat(formatDuration(periodDays * 86_400));
}
