import { BURN_RATE_POLICY, burnRateWindows, sliWindows } from '../../slo/burn-rate-windows';

describe('burnRateWindows', () => {
  it('derives the workbook factors 14.4, 6, 3 and 1 from a 30-day period', () => {
    // WHEN
    const windows = burnRateWindows(30);

    // THEN
    expect(windows.map((w) => [w.severity, w.long, w.short, w.factor])).toEqual([
      ['page', '1h', '5m', 14.4],
      ['page', '6h', '30m', 6],
      ['ticket', '1d', '2h', 3],
      ['ticket', '3d', '6h', 1],
    ]);
  });

  it('scales the factors with the period instead of keeping 30-day numbers', () => {
    // WHEN
    const windows = burnRateWindows(28);

    // THEN: 2% of a 28-day budget in 1h is a burn of 0.02 * 672.
    expect(windows[0].factor).toBe(13.44);
    expect(windows[3].factor).toBeCloseTo((0.1 * 28) / 3, 4);
  });

  it('rejects a short window that is not shorter than its long window', () => {
    expect(() => burnRateWindows(30, [{ ...BURN_RATE_POLICY[0], short: '1h' }])).toThrow(
      /short must be shorter/,
    );
  });

  it('rejects a long window as long as the period', () => {
    expect(() => burnRateWindows(3)).toThrow(/must be shorter than the 3d SLO period/);
  });
});

describe('sliWindows', () => {
  it('lists every alert window once, shortest first, then the period', () => {
    expect(sliWindows(burnRateWindows(30), 30)).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d']);
  });
});
