import { durationSeconds, formatDuration } from '../../slo/duration';

describe('durationSeconds', () => {
  it.each([
    ['5m', 300],
    ['6h', 21_600],
    ['3d', 259_200],
    ['30s', 30],
  ])('reads %s as %i seconds', (duration, seconds) => {
    expect(durationSeconds(duration)).toBe(seconds);
  });

  it('rejects compound or unitless durations', () => {
    expect(() => durationSeconds('1h30m')).toThrow(/not a duration/);
    expect(() => durationSeconds('90')).toThrow(/not a duration/);
  });
});

describe('formatDuration', () => {
  it('uses the largest whole unit', () => {
    expect([86_400, 7200, 1800, 45].map(formatDuration)).toEqual(['1d', '2h', '30m', '45s']);
  });
});
