// Multi-window, multi-burn-rate alerts, one rule per row of the burn-rate policy (as kubernetes-mixin's
// KubeAPIErrorBudgetBurn), so that each row keeps its own `for` and says which windows tripped.
import { API_WORKLOAD } from '../slo/api-workload';
import { durationSeconds } from '../slo/duration';
import { MIN_REQUESTS_IN_LONG_WINDOW, type BurnRateWindow } from '../slo/burn-rate-windows';
import { formatPercent } from '../slo/format-percent';
import { sliTotalRate, type SloDefinition } from '../slo/slo-definition';
import type { AlertingRule, RuleGroup } from './rule-group';
import { sliErrorRecord, sloSeries, timeToBudgetExhaustion } from './slo-recording-rules';

/** Where each SLO's alerts send people: the burn-rate panel of its row on the SLO overview. */
export type SloPanelUrl = (slo: SloDefinition) => string;

/**
 * Returns the condition of one burn-rate row: both windows above `factor` × budget, and enough requests in
 * the long window that the ratio means something. Its value is the long window's error ratio.
 */
export function burnRateCondition(slo: SloDefinition, window: BurnRateWindow): string {
  const threshold = `(${window.factor} * ${slo.errorBudget})`;
  const requestsInLongWindow = `${sliTotalRate(slo, window.long)} * ${durationSeconds(window.long)}`;
  return [
    '(',
    `  ${sloSeries(sliErrorRecord(window.long), slo)} > ${threshold}`,
    '  and ignoring(sloth_window)',
    `  ${sloSeries(sliErrorRecord(window.short), slo)} > ${threshold}`,
    ')',
    // The minimum-traffic guard: keeps the alert only while its own region's request count clears the bar.
    `and on(${API_WORKLOAD.prometheusLabels.region}) (${requestsInLongWindow} >= ${MIN_REQUESTS_IN_LONG_WINDOW})`,
  ].join('\n');
}

/** Returns the alert group of one SLO: one rule per burn-rate window. */
export function sloAlertGroup(slo: SloDefinition, panelUrl: SloPanelUrl): RuleGroup {
  return {
    name: `slo-alerts-${slo.id}`,
    rules: slo.burnRateWindows.map((window) => burnRateAlert(slo, window, panelUrl(slo))),
  };
}

function burnRateAlert(slo: SloDefinition, window: BurnRateWindow, dashboardUrl: string): AlertingRule {
  const what =
    slo.events.kind === 'availability'
      ? 'requests failed with a 5xx'
      : `${slo.events.method} requests took longer than ${slo.events.thresholdSeconds * 1000} ms`;
  // Query in the template: alert templates cannot do arithmetic on $value, so the exhaustion time is asked for.
  const exhaustion =
    `{{ with query \`${timeToBudgetExhaustion(slo, window.long)}\` }}` +
    `{{ $left := . | first | value }}{{ if le $left 0.0 }}no time: it is already used up{{ else }}{{ humanizeDuration $left }}{{ end }}` +
    `{{ else }}an unknown time (no data){{ end }}`;
  return {
    alert: slo.alertName,
    expr: burnRateCondition(slo, window),
    for: window.for,
    labels: { severity: window.severity, long: window.long, short: window.short },
    annotations: {
      summary: `The ${slo.service} ${slo.name} SLO burns its error budget at over ${window.factor}x the sustainable rate (${window.long} and ${window.short} windows).`,
      description:
        `Over the last ${window.long}, {{ $value | humanizePercentage }} of ${what}; ` +
        `the ${formatPercent(slo.objective)} objective allows ${formatPercent(slo.errorBudget)} over ${slo.periodDays} days. ` +
        `At the last ${window.long}'s rate, the error budget left in the ${slo.periodDays}-day window lasts ${exhaustion}.`,
      dashboard_url: dashboardUrl,
    },
  };
}
