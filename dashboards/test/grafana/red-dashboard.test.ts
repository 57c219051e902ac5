import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { loadPlatformConfig } from '../../../infra/config/platform-config';
import { RED_PANEL_IDS } from '../../grafana/dashboard-ids';
import { redDashboard } from '../../grafana/red-dashboard';

describe('redDashboard', () => {
  const panels = (redDashboard(loadPlatformConfig('prod')).build().panels ?? []) as dashboard.Panel[];
  const exprs = (id: number) =>
    panels.find((p) => p.id === id)!.targets!.map((t) => (t as { expr?: string }).expr ?? '');

  it('shows p50, p95 and p99 per route from the histogram', () => {
    expect(exprs(RED_PANEL_IDS.latency).map((e) => e.split(',')[0])).toEqual([
      'histogram_quantile(0.5',
      'histogram_quantile(0.95',
      'histogram_quantile(0.99',
    ]);
  });

  it('leaves probes and scrapes out of every query of the request histogram', () => {
    for (const panel of panels.filter((p) => p.id !== RED_PANEL_IDS.canaryAnalysis)) {
      for (const target of panel.targets ?? []) {
        expect((target as { expr?: string }).expr).toContain('route!~"/health/live|/health/ready|/metrics"');
      }
    }
  });

  it('shows the canary analysis runs from the Argo Rollouts controller, linking the canary runbook', () => {
    expect(exprs(RED_PANEL_IDS.canaryAnalysis)).toEqual([
      'max by (name, phase) (analysis_run_info{exported_namespace="api"})',
    ]);
    const canary = panels.find((p) => p.id === RED_PANEL_IDS.canaryAnalysis)!;
    expect(canary.links?.map((l) => l.url)).toEqual([expect.stringMatching(/ApiCanaryAnalysisFailed\.md$/)]);
  });
});
