// The SLO overview: one row per SLO with the SLI against its objective, the budget left, the burn rate per
// alert window and the time left before the budget is gone. Burn-rate alerts link to the burn-rate panel.
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { PlatformConfig } from '../../infra/config/platform-config';
import { sliWindows } from '../slo/burn-rate-windows';
import { formatPercent } from '../slo/format-percent';
import { apiSlos, type SloDefinition } from '../slo/slo-definition';
import {
  burnRate,
  sliErrorRecord,
  sloSeries,
  timeToBudgetExhaustion,
} from '../prometheus/slo-recording-rules';
import { sloPanelId } from './dashboard-ids';
import { generatedDashboard } from './generated-dashboard';
import { IN_SELECTED_REGION, regionVariable, statPanel, timeseriesPanel } from './panel-factories';

/** Returns the SLO overview dashboard of an environment. */
export function sloOverviewDashboard(config: PlatformConfig): dashboard.DashboardBuilder {
  const builder = generatedDashboard(config, {
    kind: 'slo-overview',
    title: 'API SLOs',
    description: 'Service level objectives of the API: SLI, error budget, burn rate.',
    from: 'now-7d',
  });
  const slos = apiSlos(config);
  // Each region's Prometheus judges its own traffic; where several regions meet, pick one.
  builder.withVariable(
    regionVariable(sliErrorRecord(sliWindows(slos[0].burnRateWindows, slos[0].periodDays)[0])),
  );
  slos.forEach((slo, index) => {
    builder.withRow(
      new dashboard.RowBuilder(`${slo.name}: ${slo.description}`).id(sloPanelId(index, 'sli') - 1),
    );
    for (const panel of sloPanels(slo, index)) builder.withPanel(panel);
  });
  return builder;
}

function sloPanels(slo: SloDefinition, index: number) {
  const period = `${slo.periodDays}d`;
  const windows = sliWindows(slo.burnRateWindows, slo.periodDays).slice(0, -1);
  // The fastest paging window: the exhaustion time reacts within the hour without 5-minute noise.
  const exhaustionWindow = slo.burnRateWindows[0].long;
  const region = [IN_SELECTED_REGION];
  return [
    statPanel({
      id: sloPanelId(index, 'sli'),
      title: `SLI over ${period} vs ${formatPercent(slo.objective)} objective`,
      description: `Share of good requests over the last ${period}. Red means the objective (${formatPercent(slo.objective)}) is already missed.`,
      unit: 'percentunit',
      queries: [{ expr: `1 - ${sloSeries(sliErrorRecord(period), slo, region)}`, legend: 'SLI' }],
      thresholds: [
        { value: null, color: 'red' },
        { value: slo.objective, color: 'green' },
      ],
    }),
    timeseriesPanel({
      id: sloPanelId(index, 'budgetRemaining'),
      title: `Error budget remaining (${period})`,
      description: `Share of the ${period} error budget (${formatPercent(slo.errorBudget)} of requests) not yet spent. Below zero the objective is missed.`,
      unit: 'percentunit',
      width: 6,
      queries: [
        { expr: sloSeries('slo:period_error_budget_remaining:ratio', slo, region), legend: 'remaining' },
      ],
      thresholds: [
        { value: null, color: 'red' },
        { value: 0, color: 'green' },
      ],
    }),
    timeseriesPanel({
      id: sloPanelId(index, 'burnRate'),
      title: 'Burn rate per window',
      description:
        'How many times faster than sustainable the budget burns, per window (1 = spent exactly at the end of the period). ' +
        `Dashed lines are the alert factors: ${slo.burnRateWindows.map((w) => `${w.factor}x over ${w.long} (${w.severity})`).join(', ')}.`,
      unit: 'x',
      queries: windows.map((window) => ({ expr: burnRate(slo, window, region), legend: window })),
      runbooks: [slo.alertName],
      thresholds: [
        { value: null, color: 'green' },
        ...[...new Set(slo.burnRateWindows.map((w) => w.factor))]
          .sort((a, b) => a - b)
          .map((factor, i, all) => ({ value: factor, color: i === all.length - 1 ? 'red' : 'orange' })),
      ],
    }),
    statPanel({
      id: sloPanelId(index, 'exhaustion'),
      title: 'Time to budget exhaustion',
      description: `Time until the remaining ${period} budget is gone if requests keep failing as in the last ${exhaustionWindow}. No value or infinity: nothing is failing.`,
      unit: 's',
      queries: [{ expr: timeToBudgetExhaustion(slo, exhaustionWindow, region), legend: 'time left' }],
      runbooks: [slo.alertName],
      thresholds: [
        { value: null, color: 'red' },
        { value: 86_400, color: 'orange' },
        { value: slo.periodDays * 86_400, color: 'green' },
      ],
    }),
  ];
}
