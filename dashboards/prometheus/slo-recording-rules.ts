// SLI and SLO recording rules under the names sloth generates, so that sloth's dashboards, existing
// queries and people's habits all work: slo:sli_error:ratio_rate<window>, slo:error_budget:ratio, ...
import { durationSeconds } from '../slo/duration';
import { sliWindows } from '../slo/burn-rate-windows';
import { sliBadRate, sliErrorRatio, sliTotalRate, type SloDefinition } from '../slo/slo-definition';
import { selector, type Matcher } from '../slo/promql';
import type { RecordingRule, RuleGroup } from './rule-group';

/** Name of the recorded SLI error ratio over `window`, for example `slo:sli_error:ratio_rate5m`. */
export function sliErrorRecord(window: string): string {
  return `slo:sli_error:ratio_rate${window}`;
}

/** The labels that identify one SLO on every recorded series (sloth's names). */
export function sloLabels(slo: SloDefinition): Record<string, string> {
  return { sloth_id: slo.id, sloth_service: slo.service, sloth_slo: slo.name };
}

/** Returns `metric{sloth_id="...",sloth_service="...",sloth_slo="..."}` for one SLO, plus any `extra` matchers. */
export function sloSeries(metric: string, slo: SloDefinition, extra: readonly Matcher[] = []): string {
  const matchers: Matcher[] = Object.entries(sloLabels(slo)).map(([label, value]) => ({
    label,
    op: '=',
    value,
  }));
  return selector(metric, [...matchers, ...extra]);
}

/** Burn rate over `window`: the error ratio as a multiple of the ratio that spends the budget exactly in the period. */
export function burnRate(slo: SloDefinition, window: string, extra: readonly Matcher[] = []): string {
  return `${sloSeries(sliErrorRecord(window), slo, extra)} / ${slo.errorBudget}`;
}

/**
 * Seconds until the period's remaining error budget is gone if requests keep failing as in `window`:
 * remaining share × period / burn rate. +Inf while nothing fails.
 */
export function timeToBudgetExhaustion(
  slo: SloDefinition,
  window: string,
  extra: readonly Matcher[] = [],
): string {
  const periodSeconds = slo.periodDays * 86_400;
  return (
    `clamp_min(${sloSeries('slo:period_error_budget_remaining:ratio', slo, extra)}, 0) * ${periodSeconds}` +
    ` / ignoring(sloth_window) (${burnRate(slo, window, extra)})`
  );
}

/** Name of the recorded per-second rate of requests an SLO judges, over `window`. */
export function sliRequestsRecord(window: string): string {
  return `slo:sli_requests:rate${window}`;
}

/** Name of the recorded per-second rate of bad requests of an SLO, over `window`. */
export function sliErrorsRecord(window: string): string {
  return `slo:sli_errors:rate${window}`;
}

/** Returns the SLI group: the error ratio at every window the alerts and the period need. */
export function sliRecordingGroup(slo: SloDefinition): RuleGroup {
  const windows = sliWindows(slo.burnRateWindows, slo.periodDays);
  const period = windows[windows.length - 1];
  const short = windows[0];
  const shortLabels = { ...sloLabels(slo), sloth_window: short };
  const rules: RecordingRule[] = windows.slice(0, -1).map((window) => ({
    record: sliErrorRecord(window),
    expr: sliErrorRatio(slo, window),
    labels: { ...sloLabels(slo), sloth_window: window },
  }));
  // The period ratio is bad requests over all requests, from the short window's rates summed over the period:
  // an average of short-window ratios (sloth's way) lets a quiet night's one error weigh like a busy hour.
  // Summing recorded rates, rather than a raw 30-day rate, reads one series per SLO, not a month of every pod's.
  rules.push(
    { record: sliRequestsRecord(short), expr: sliTotalRate(slo, short), labels: shortLabels },
    { record: sliErrorsRecord(short), expr: sliBadRate(slo, short), labels: shortLabels },
    {
      record: sliErrorRecord(period),
      expr: periodErrorRatio(slo),
      labels: { ...sloLabels(slo), sloth_window: period },
    },
  );
  return { name: `slo-sli-recordings-${slo.id}`, rules };
}

/** The period's error ratio: bad requests over all requests, from the shortest window's recorded rates. */
export function periodErrorRatio(slo: SloDefinition): string {
  const windows = sliWindows(slo.burnRateWindows, slo.periodDays);
  const [short, period] = [windows[0], windows[windows.length - 1]];
  return (
    `sum_over_time(${sloSeries(sliErrorsRecord(short), slo)}[${period}])\n` +
    `/\n` +
    `(sum_over_time(${sloSeries(sliRequestsRecord(short), slo)}[${period}]) > 0)`
  );
}

/** Returns the meta group: objective, budget, period, current and period burn rate, budget remaining. */
export function metaRecordingGroup(slo: SloDefinition): RuleGroup {
  const labels = sloLabels(slo);
  const windows = sliWindows(slo.burnRateWindows, slo.periodDays);
  const short = windows[0];
  const period = windows[windows.length - 1];
  if (durationSeconds(period) !== slo.periodDays * 86_400)
    throw new Error('the last SLI window must be the period');
  const ratio = (window: string) => sloSeries(sliErrorRecord(window), slo);
  const budget = sloSeries('slo:error_budget:ratio', slo);
  const on = 'on(sloth_id, sloth_slo, sloth_service) group_left';
  return {
    name: `slo-meta-recordings-${slo.id}`,
    rules: [
      { record: 'slo:objective:ratio', expr: `vector(${slo.objective})`, labels },
      { record: 'slo:error_budget:ratio', expr: `vector(${slo.errorBudget})`, labels },
      { record: 'slo:time_period:days', expr: `vector(${slo.periodDays})`, labels },
      { record: 'slo:current_burn_rate:ratio', expr: `${ratio(short)}\n/ ${on}\n${budget}`, labels },
      { record: 'slo:period_burn_rate:ratio', expr: `${ratio(period)}\n/ ${on}\n${budget}`, labels },
      {
        record: 'slo:period_error_budget_remaining:ratio',
        expr: `1 - ${sloSeries('slo:period_burn_rate:ratio', slo)}`,
        labels,
      },
    ],
  };
}
