import { integerAbovePattern } from '../../lib/integer-above-pattern';

describe('integerAbovePattern', () => {
  test.each([0, 7, 9, 10, 99, 100, 1_048_576, 999_999])('matches exactly the integers above %d', (limit) => {
    // GIVEN
    const pattern = new RegExp(integerAbovePattern(limit));
    // THEN: every value around the limit and a spread of larger and smaller ones
    const samples = new Set<number>();
    for (let delta = -2_000; delta <= 2_000; delta++) samples.add(Math.max(0, limit + delta));
    for (let power = 0; power <= 12; power++) samples.add(10 ** power).add(10 ** power - 1);
    for (const value of samples) {
      expect([value, pattern.test(String(value))]).toEqual([value, value > limit]);
    }
  });

  test('accepts leading zeros and rejects anything that is not a plain integer', () => {
    // GIVEN
    const pattern = new RegExp(integerAbovePattern(1_048_576));
    // THEN
    expect(pattern.test('0001048577')).toBe(true);
    expect(pattern.test('0001048576')).toBe(false);
    expect(pattern.test('1048577 ')).toBe(false);
    expect(pattern.test('-1048577')).toBe(false);
    expect(pattern.test('')).toBe(false);
  });

  test('is short enough for a WAF regex statement (512 characters)', () => {
    // THEN
    expect(integerAbovePattern(Number.MAX_SAFE_INTEGER).length).toBeLessThanOrEqual(512);
  });

  test('rejects a negative or fractional limit', () => {
    // THEN
    expect(() => integerAbovePattern(-1)).toThrow(/limit must be a non-negative safe integer, got -1/);
    expect(() => integerAbovePattern(1.5)).toThrow(/got 1.5/);
  });
});
