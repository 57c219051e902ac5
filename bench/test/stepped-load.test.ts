import { breakingReason, lastHealthyStep, rampRates, type StepResult } from '../lib/stepped-load';

const LIMITS = { maxP99Ms: 200, maxErrorRatio: 0.001, minAchievedShare: 0.9 };
const step = (overrides: Partial<StepResult>): StepResult => ({
  connections: 10,
  targetRate: 1000,
  achievedRate: 1000,
  p99Ms: 10,
  requests: 10_000,
  errors: 0,
  serviceCores: 0.5,
  ...overrides,
});

describe('breakingReason', () => {
  test('a step within every limit holds, including exactly at the limits', () => {
    expect(breakingReason(step({}), LIMITS)).toBeUndefined();
    expect(breakingReason(step({ p99Ms: 200, errors: 10, achievedRate: 900 }), LIMITS)).toBeUndefined();
  });

  test('breaks on p99 above 200 ms', () => {
    expect(breakingReason(step({ p99Ms: 200.1 }), LIMITS)).toBe('p99 200.1 ms > 200 ms');
  });

  test('breaks on more than 0.1% errors, and on a step that got no answer at all', () => {
    expect(breakingReason(step({ errors: 11 }), LIMITS)).toBe('errors 0.11% > 0.10%');
    expect(breakingReason(step({ requests: 0, achievedRate: 0 }), LIMITS)).toMatch(/^errors 100\.00%/);
  });

  test('breaks when the service no longer keeps up with the offered rate', () => {
    expect(breakingReason(step({ achievedRate: 899 }), LIMITS)).toBe('saturated: 899 of 1000 req/s offered');
  });

  test('a closed-loop step (no offered rate) breaks only on latency and errors', () => {
    expect(breakingReason(step({ targetRate: 0, achievedRate: 5 }), LIMITS)).toBeUndefined();
    expect(breakingReason(step({ targetRate: 0, p99Ms: 201 }), LIMITS)).toBe('p99 201.0 ms > 200 ms');
  });
});

describe('rampRates', () => {
  test('grows by the factor, to two significant digits, up to the maximum', () => {
    expect(rampRates(1000, 1.5, 6000)).toEqual([1000, 1500, 2300, 3400, 5100]);
    expect(rampRates(123, 2, 1000)).toEqual([120, 250, 490, 980]);
  });

  test('refuses a ramp that would not grow', () => {
    expect(() => rampRates(100, 1, 1000)).toThrow(/factor > 1/);
    expect(() => rampRates(0, 2, 1000)).toThrow(/start must be > 0/);
  });
});

describe('lastHealthyStep', () => {
  test('is the step before the first broken one, even if a later step looks healthy again', () => {
    const steps = [
      step({ targetRate: 1000 }),
      step({ targetRate: 2000, achievedRate: 2000 }),
      step({ targetRate: 3000, achievedRate: 3000, p99Ms: 500 }),
      step({ targetRate: 4000, achievedRate: 4000 }),
    ];
    expect(lastHealthyStep(steps, LIMITS)?.targetRate).toBe(2000);
  });

  test('is undefined when the first step broke', () => {
    expect(lastHealthyStep([step({ errors: 5000 })], LIMITS)).toBeUndefined();
  });
});
