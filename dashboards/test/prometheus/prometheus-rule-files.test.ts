import { ENVIRONMENT_NAMES, loadPlatformConfig } from '../../../infra/config/platform-config';
import { SEVERITIES } from '../../slo/burn-rate-windows';
import { grafanaDashboards } from '../../grafana/write-grafana-dashboards';
import { GRAFANA_BASE_URL, runbookUrl } from '../../links';
import { alertNames, prometheusRuleFiles } from '../../prometheus/prometheus-rule-files';
import { isAlertingRule, type AlertingRule, type RecordingRule } from '../../prometheus/rule-group';
import { renderRuleFile } from '../../prometheus/write-prometheus-rules';
import { exportedMetricNames, otherExporterMetricNames } from '../helpers/exported-metric-names';
import { promqlMetricNames } from '../helpers/promql-metric-names';

describe('prometheusRuleFiles', () => {
  // GIVEN
  const config = loadPlatformConfig('prod');
  const files = prometheusRuleFiles(config);
  const rules = files.flatMap((file) => file.groups.flatMap((group) => group.rules));
  const alerts = rules.filter(isAlertingRule);
  const recordings = rules.filter((rule): rule is RecordingRule => !isAlertingRule(rule));

  it('generates the burn-rate, absent, saturation and defence alerts', () => {
    expect(alertNames(files)).toEqual([
      'ApiAvailabilityErrorBudgetBurn',
      'ApiCacheHitRatioLow',
      'ApiCanaryAnalysisFailed',
      'ApiCanaryAnalysisInconclusive',
      'ApiDatabaseCircuitOpen',
      'ApiDbPoolClientsWaiting',
      'ApiEventLoopLagHigh',
      'ApiLatencyErrorBudgetBurn',
      'ApiOutboxLagHigh',
      'ApiRateLimiterDegraded',
      'ApiRedisCircuitOpen',
      'ApiRequestsShed',
      'ApiRolloutAborted',
      'ApiSliMetricsAbsent',
      'ApiUnauthorizedShareHigh',
    ]);
  });

  it("gives every alert of every environment a severity of the router's vocabulary, page or ticket", () => {
    for (const env of ENVIRONMENT_NAMES) {
      for (const file of prometheusRuleFiles(loadPlatformConfig(env))) {
        for (const alert of file.groups.flatMap((group) => group.rules).filter(isAlertingRule)) {
          expect({ env, alert: alert.alert, severity: alert.labels.severity }).toEqual({
            env,
            alert: alert.alert,
            severity: expect.stringMatching(new RegExp(`^(${SEVERITIES.join('|')})$`)),
          });
        }
      }
    }
  });

  it('pages only on symptoms users feel or on the SLIs going blind; causes open tickets', () => {
    const pages = alerts.filter((alert) => alert.labels.severity === 'page').map((alert) => alert.alert);
    expect([...new Set(pages)].sort()).toEqual([
      'ApiAvailabilityErrorBudgetBurn',
      'ApiLatencyErrorBudgetBurn',
      'ApiSliMetricsAbsent',
      'ApiUnauthorizedShareHigh',
    ]);
  });

  it('gives every alert a summary, description, runbook and dashboard link', () => {
    for (const alert of alerts) {
      expect(alert.annotations.summary).toBeTruthy();
      expect(alert.annotations.description).toBeTruthy();
      expect(alert.annotations.runbook_url).toBe(runbookUrl(alert.alert));
      expect(alert.annotations.dashboard_url).toMatch(
        new RegExp(`^${GRAFANA_BASE_URL}/d/[a-z0-9-]+\\?viewPanel=\\d+$`),
      );
    }
  });

  it('points every dashboard_url at a panel of a generated dashboard', () => {
    const panels = new Set(
      grafanaDashboards(config).flatMap((d) =>
        (d.panels ?? []).map((panel) => `${d.uid}?viewPanel=${panel.id}`),
      ),
    );
    for (const alert of alerts) {
      expect(panels).toContain(alert.annotations.dashboard_url.replace(`${GRAFANA_BASE_URL}/d/`, ''));
    }
  });

  it('states the value and the time to budget exhaustion in every burn-rate description', () => {
    const burns = alerts.filter((alert) => alert.alert.endsWith('ErrorBudgetBurn'));
    expect(burns).toHaveLength(12);
    for (const alert of burns) {
      expect(alert.annotations.description).toContain('{{ $value | humanizePercentage }}');
      expect(alert.annotations.description).toContain('humanizeDuration');
    }
  });

  it('pages on 14.4x over 1h/5m and 6x over 6h/30m, tickets on 3x over 1d/2h and 1x over 3d/6h', () => {
    const availability = alerts.filter((alert) => alert.alert === 'ApiAvailabilityErrorBudgetBurn');
    expect(availability.map((a) => [a.labels.severity, a.labels.long, a.labels.short, a.for])).toEqual([
      ['page', '1h', '5m', '2m'],
      ['page', '6h', '30m', '15m'],
      ['ticket', '1d', '2h', '1h'],
      ['ticket', '3d', '6h', '3h'],
    ]);
    expect(availability[0].expr).toContain('> (14.4 * 0.001)');
    expect(availability[3].expr).toContain('> (1 * 0.001)');
  });

  it('guards every burn-rate alert with a minimum request count over its long window, in its own region', () => {
    for (const alert of alerts.filter((a: AlertingRule) => a.alert.endsWith('ErrorBudgetBurn'))) {
      expect(alert.expr).toMatch(
        /and on\(region\) \(sum by \(region\) \(rate\(http_request_duration_seconds_count\{.*\}\[(\w+)\]\)\) \* \d+ >= \d+\)/,
      );
    }
  });

  it('records the SLI at every window under sloth names, labelled by SLO and service', () => {
    const availability = recordings.filter(
      (r) => r.labels?.sloth_id === 'api-availability' || r.labels?.sloth_window === '30d',
    );
    expect(recordings.filter((r) => r.record.startsWith('slo:sli_error:')).map((r) => r.record)).toEqual(
      expect.arrayContaining(
        ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d'].map((w) => `slo:sli_error:ratio_rate${w}`),
      ),
    );
    expect(availability.find((r) => r.record === 'slo:sli_error:ratio_rate5m')?.labels).toEqual({
      sloth_id: 'api-availability',
      sloth_service: 'api',
      sloth_slo: 'availability',
      sloth_window: '5m',
    });
    for (const name of [
      'slo:error_budget:ratio',
      'slo:current_burn_rate:ratio',
      'slo:period_error_budget_remaining:ratio',
    ]) {
      expect(recordings.filter((r) => r.record === name)).toHaveLength(3);
    }
  });

  it('reads only metrics the service exports, the rules record or a listed other exporter provides', async () => {
    const known = new Set([
      ...(await exportedMetricNames()),
      ...otherExporterMetricNames(),
      ...recordings.map((r) => r.record),
    ]);
    for (const rule of rules) {
      for (const name of promqlMetricNames(rule.expr)) {
        expect({ rule: 'record' in rule ? rule.record : rule.alert, name, known: known.has(name) }).toEqual({
          rule: 'record' in rule ? rule.record : rule.alert,
          name,
          known: true,
        });
      }
    }
  });

  it('renders the availability file as committed in the golden snapshot', () => {
    expect(renderRuleFile(files[0])).toMatchSnapshot();
  });
});
