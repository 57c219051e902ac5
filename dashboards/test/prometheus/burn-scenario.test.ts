import { loadPlatformConfig } from '../../../infra/config/platform-config';
import {
  burnScenarios,
  checkMinutes,
  expectedFirings,
  quietNightBudgetSpent,
  quietNightScenario,
  windowBadShare,
} from '../../prometheus/burn-scenario';
import { apiSlos } from '../../slo/slo-definition';

describe('burn scenario model', () => {
  // GIVEN
  const availability = apiSlos(loadPlatformConfig('prod'))[0];
  const [fast, slow, under, lowTraffic] = burnScenarios(availability);
  const firesAt = (scenario: typeof fast) =>
    expectedFirings(availability, scenario).map(
      (f) => f.firesAtMinute && f.firesAtMinute - scenario.onsetMinute,
    );

  it('counts only the history that exists in a window', () => {
    expect(windowBadShare(fast, fast.onsetMinute + 30, 60)).toBeCloseTo(fast.badShare / 2);
    expect(windowBadShare(fast, 10, 60)).toBe(0);
  });

  it('pages on a fast burn within the hour, 1h window first', () => {
    // A 2 x 14.4 burn: the 1h window is strictly over 14.4x from minute 31, then 2m of `for`.
    expect(firesAt(fast)[0]).toBe(33);
    expect(firesAt(fast)[1]).toBeGreaterThan(firesAt(fast)[0]!);
  });

  it('opens only the 3-day ticket on a slow burn', () => {
    expect(firesAt(slow).slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(firesAt(slow)[3]).toBeGreaterThan(6 * 60);
  });

  it('stays silent under budget and at low traffic', () => {
    expect(firesAt(under).every((t) => t === undefined)).toBe(true);
    expect(firesAt(lowTraffic).slice(0, 2)).toEqual([undefined, undefined]);
  });

  it('checks just before and just after each transition, never on one', () => {
    const firings = expectedFirings(availability, fast);
    const minutes = checkMinutes(firings, fast);
    for (const f of firings.filter((x) => x.firesAtMinute !== undefined)) {
      expect(minutes).toEqual(expect.arrayContaining([f.firesAtMinute! - 3, f.firesAtMinute! + 3]));
      expect(minutes).not.toContain(f.firesAtMinute);
    }
  });

  it('counts each quiet night error among all the requests of the month: 30 in 39.6 M is 0.076% of the budget', () => {
    const scenario = quietNightScenario(availability);
    expect(scenario.days).toBe(30);
    expect(quietNightBudgetSpent(availability, scenario)).toBeCloseTo(30 / 39_607_200 / 0.001, 12);
  });
});
