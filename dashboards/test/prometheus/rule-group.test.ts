import { isAlertingRule } from '../../prometheus/rule-group';

describe('isAlertingRule', () => {
  it('tells alerts from recordings', () => {
    expect(isAlertingRule({ alert: 'A', expr: 'vector(1)', labels: {}, annotations: {} })).toBe(true);
    expect(isAlertingRule({ record: 'r', expr: 'vector(1)' })).toBe(false);
  });
});
