import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { loadPlatformConfig } from '../../../infra/config/platform-config';
import { SATURATION_PANEL_IDS } from '../../grafana/dashboard-ids';
import { saturationDashboard } from '../../grafana/saturation-dashboard';
import { gaugeAlerts } from '../../prometheus/service-alert-rules';

describe('saturationDashboard', () => {
  const config = loadPlatformConfig('prod');
  const panels = (saturationDashboard(config).build().panels ?? []) as dashboard.Panel[];

  it('draws each gauge alert’s threshold on the panel the alert links to', () => {
    for (const alert of gaugeAlerts(config)) {
      const panel = panels.find((p) => p.id === alert.panelId)!;
      expect(panel.fieldConfig?.defaults?.thresholds?.steps.at(-1)?.value).toBe(alert.threshold);
      expect(panel.links?.[0]?.url).toMatch(new RegExp(`${alert.alert}\\.md$`));
    }
  });

  it('shows event loop, heap, RSS, CPU and the pools', () => {
    expect(panels.map((p) => p.id).sort()).toEqual(Object.values(SATURATION_PANEL_IDS).sort());
  });
});
