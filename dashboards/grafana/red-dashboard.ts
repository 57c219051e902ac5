// RED per route: request rate, error ratio and latency quantiles, from the same histogram the SLIs use.
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { PlatformConfig } from '../../infra/config/platform-config';
import { HTTP_REQUEST_DURATION } from '../../service/src/plugins/external/metrics';
import { selector, type Matcher } from '../slo/promql';
import { API_REQUEST_MATCHERS, apiSlos } from '../slo/slo-definition';
import { RED_PANEL_IDS } from './dashboard-ids';
import { timeseriesPanel } from './panel-factories';
import { ANALYSIS_RUN_INFO, ARGO_OBJECT_NAMESPACE_LABEL } from '../prometheus/argo-rollouts-metrics';
import { CANARY_ANALYSIS_FAILED_ALERT } from '../prometheus/service-alert-rules';
import { API_WORKLOAD } from '../slo/api-workload';
import { generatedDashboard } from './generated-dashboard';

const QUANTILES = [0.5, 0.95, 0.99];

/** Returns the RED (rate, errors, duration) dashboard of an environment, per route template. */
export function redDashboard(config: PlatformConfig): dashboard.DashboardBuilder {
  const count = (extra: readonly Matcher[] = []) =>
    `rate(${selector(`${HTTP_REQUEST_DURATION}_count`, [...API_REQUEST_MATCHERS, ...extra])}[$__rate_interval])`;
  const buckets = `rate(${selector(`${HTTP_REQUEST_DURATION}_bucket`, API_REQUEST_MATCHERS)}[$__rate_interval])`;
  const latencyAlerts = [
    ...new Set(
      apiSlos(config)
        .filter((s) => s.events.kind === 'latency')
        .map((s) => s.alertName),
    ),
  ];
  const availabilityAlerts = apiSlos(config)
    .filter((s) => s.events.kind === 'availability')
    .map((s) => s.alertName);
  return generatedDashboard(config, {
    kind: 'red',
    title: 'API RED per route',
    description: 'Request rate, error ratio and latency of the API per route template.',
    from: 'now-3h',
  })
    .withPanel(
      timeseriesPanel({
        id: RED_PANEL_IDS.requestRate,
        title: 'Request rate per route',
        description:
          'Requests per second by route template and method, probes and scrapes excluded. All lines at zero: no traffic reaches the pods, or Prometheus cannot scrape them.',
        unit: 'reqps',
        width: 24,
        queries: [{ expr: `sum by (route, method) (${count()})`, legend: '{{method}} {{route}}' }],
      }),
    )
    .withPanel(
      timeseriesPanel({
        id: RED_PANEL_IDS.errorRatio,
        title: 'Error ratio (5xx) per route',
        description:
          'Share of requests answered with a 5xx, by route template. 4xx are client errors and not counted.',
        unit: 'percentunit',
        queries: [
          {
            expr: `sum by (route) (${count([{ label: 'status_class', op: '=', value: '5xx' }])})\n/\nsum by (route) (${count()})`,
            legend: '{{route}}',
          },
        ],
        runbooks: availabilityAlerts,
      }),
    )
    .withPanel(
      timeseriesPanel({
        id: RED_PANEL_IDS.latency,
        title: 'Latency p50 / p95 / p99 per route',
        description:
          'Latency quantiles by route template, estimated from the histogram buckets (an estimate, only as precise as the buckets).',
        unit: 's',
        queries: QUANTILES.map((q) => ({
          expr: `histogram_quantile(${q}, sum by (le, route) (${buckets}))`,
          legend: `p${q * 100} {{route}}`,
        })),
        runbooks: latencyAlerts,
      }),
    )
    .withPanel(
      timeseriesPanel({
        id: RED_PANEL_IDS.canaryAnalysis,
        title: 'Canary analysis runs by phase',
        description:
          'Analysis runs Argo Rollouts started for API canaries, one line per run at its current phase (from the Argo Rollouts controller, not the API). A Failed or Error run aborts the rollout. Empty between deploys.',
        unit: 'short',
        width: 24,
        queries: [
          {
            expr: `max by (name, phase) (${selector(ANALYSIS_RUN_INFO, [{ label: ARGO_OBJECT_NAMESPACE_LABEL, op: '=', value: API_WORKLOAD.namespace }])})`,
            legend: '{{name}} {{phase}}',
          },
        ],
        runbooks: [CANARY_ANALYSIS_FAILED_ALERT],
      }),
    );
}
