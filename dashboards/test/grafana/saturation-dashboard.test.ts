import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { loadPlatformConfig } from '../../../infra/config/platform-config';
import { SATURATION_PANEL_IDS } from '../../grafana/dashboard-ids';
import { saturationDashboard } from '../../grafana/saturation-dashboard';
import { gaugeAlerts, rateAlerts } from '../../prometheus/service-alert-rules';

describe('saturationDashboard', () => {
  const config = loadPlatformConfig('prod');
  const panels = (saturationDashboard(config).build().panels ?? []) as dashboard.Panel[];

  it('draws each gauge alert’s threshold on the panel the alert links to', () => {
    for (const alert of gaugeAlerts(config)) {
      const panel = panels.find((p) => p.id === alert.panelId)!;
      expect(panel.fieldConfig?.defaults?.thresholds?.steps.at(-1)?.value).toBe(alert.threshold);
      // A panel may carry several alerts (the breaker panel: the database's and Redis's).
      expect(panel.links?.map((link) => link.url)).toContainEqual(
        expect.stringMatching(new RegExp(`${alert.alert}\\.md$`)),
      );
    }
  });

  it('links every counter alert’s runbook from the panel the alert links to', () => {
    for (const alert of rateAlerts()) {
      const panel = panels.find((p) => p.id === alert.panelId)!;
      expect(panel.links?.map((link) => link.url)).toContainEqual(
        expect.stringMatching(`${alert.alert}\\.md$`),
      );
    }
  });

  it('describes every panel', () => {
    for (const panel of panels) expect(panel.description).toBeTruthy();
  });

  it('shows event loop, memory, CPU, pools, caches, breaker, limiter, shedding, outbox and replays', () => {
    expect(panels.map((p) => p.id).sort()).toEqual(Object.values(SATURATION_PANEL_IDS).sort());
  });
});
