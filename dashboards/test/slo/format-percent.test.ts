import { formatPercent } from '../../slo/format-percent';

describe('formatPercent', () => {
  it('prints targets and budgets without float noise', () => {
    expect([0.999, 0.99, 1 - 0.999, 0.0144].map(formatPercent)).toEqual(['99.9%', '99%', '0.1%', '1.44%']);
  });
});
