import { loadPlatformConfig } from '../../../infra/config/platform-config';
import { dashboardUid, sloPanelId } from '../../grafana/dashboard-ids';

describe('dashboard ids', () => {
  it('derives uids from platform and environment, within Grafana’s 40 characters', () => {
    const uid = dashboardUid(loadPlatformConfig('prod'), 'slo-overview');
    expect(uid).toBe('api-platform-prod-slo-overview');
    expect(uid.length).toBeLessThanOrEqual(40);
  });

  it('keeps ten panel ids per SLO so adding a panel never renumbers another SLO', () => {
    expect([sloPanelId(0, 'sli'), sloPanelId(0, 'burnRate'), sloPanelId(1, 'burnRate')]).toEqual([
      11, 13, 23,
    ]);
  });
});
