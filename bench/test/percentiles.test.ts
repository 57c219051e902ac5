import { percentile, summarizeLatencies } from '../lib/percentiles';

describe('percentile', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, index) => index + 1);

  test('is the nearest rank', () => {
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 95)).toBe(95);
    expect(percentile(oneToHundred, 99)).toBe(99);
    expect(percentile(oneToHundred, 99.5)).toBe(100);
    expect(percentile(oneToHundred, 100)).toBe(100);
    expect(percentile([1, 2, 3], 50)).toBe(2);
    expect(percentile([7], 99)).toBe(7);
  });

  test('is NaN without samples and refuses p outside (0, 100]', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 0)).toThrow(/percentile must be in/);
    expect(() => percentile([1], 101)).toThrow(/percentile must be in/);
  });
});

describe('summarizeLatencies', () => {
  test('sorts a copy and reports p50/p95/p99/max', () => {
    const latencies = Array.from({ length: 1000 }, (_, index) => 1000 - index);
    const summary = summarizeLatencies(latencies);
    expect(summary).toEqual({ p50: 500, p95: 950, p99: 990, max: 1000 });
    expect(latencies[0]).toBe(1000);
  });

  test('one slow request in a hundred shows at p99, not at p95', () => {
    const latencies = [...Array.from({ length: 99 }, () => 1), 250];
    expect(summarizeLatencies(latencies)).toMatchObject({ p95: 1, p99: 1, max: 250 });
    const twoSlow = [...Array.from({ length: 98 }, () => 1), 250, 250];
    expect(summarizeLatencies(twoSlow).p99).toBe(250);
  });
});
