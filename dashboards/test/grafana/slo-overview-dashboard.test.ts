import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { loadPlatformConfig } from '../../../infra/config/platform-config';
import { sloPanelId } from '../../grafana/dashboard-ids';
import { sloOverviewDashboard } from '../../grafana/slo-overview-dashboard';

describe('sloOverviewDashboard', () => {
  // GIVEN
  const config = loadPlatformConfig('prod');
  const built = sloOverviewDashboard(config).build();
  const panels = (built.panels ?? []) as dashboard.Panel[];

  it('has one row per SLO', () => {
    expect(panels.filter((p) => p.type === 'row').map((p) => p.title?.split(':')[0])).toEqual([
      'availability',
      'latency-get',
      'latency-post',
    ]);
  });

  it('plots the burn rate at every alert window with the alert factors as thresholds', () => {
    const burn = panels.find((p) => p.id === sloPanelId(0, 'burnRate'))!;
    expect(burn.targets?.map((t) => (t as { legendFormat?: string }).legendFormat)).toEqual([
      '5m',
      '30m',
      '1h',
      '2h',
      '6h',
      '1d',
      '3d',
    ]);
    expect(burn.fieldConfig?.defaults?.thresholds?.steps.map((s) => s.value)).toEqual([null, 1, 3, 6, 14.4]);
  });

  it('narrows every query to the region variable, which lists the regions and stays on All in one Prometheus', () => {
    const region = built.templating?.list?.find((v) => v.name === 'region');
    expect(region).toMatchObject({
      type: 'query',
      query: 'label_values(slo:sli_error:ratio_rate5m, region)',
      includeAll: true,
      allValue: '.*',
    });
    const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => (t as { expr?: string }).expr ?? ''));
    expect(exprs.length).toBeGreaterThan(0);
    for (const expr of exprs) {
      const selectors = expr.match(/slo:[a-z_:0-9]+\{[^}]*\}/g) ?? [];
      expect(selectors.length).toBeGreaterThan(0);
      for (const selector of selectors) expect(selector).toContain('region=~"$region"');
    }
  });
});
