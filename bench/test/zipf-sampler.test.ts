import { ZipfSampler, seededRandom } from '../lib/zipf-sampler';

describe('ZipfSampler', () => {
  test('probabilities follow 1/k^s and sum to 1', () => {
    const sampler = new ZipfSampler({ n: 1000, exponent: 0.99 });
    let total = 0;
    for (let rank = 1; rank <= 1000; rank++) total += sampler.probability(rank);
    expect(total).toBeCloseTo(1, 10);
    expect(sampler.probability(1) / sampler.probability(2)).toBeCloseTo(Math.pow(2, 0.99), 10);
    expect(sampler.probability(10) / sampler.probability(100)).toBeCloseTo(Math.pow(10, 0.99), 10);
  });

  test('draws match the distribution: top ranks within 5 standard deviations, every draw in 1..n', () => {
    const n = 100_000;
    const draws = 300_000;
    const sampler = new ZipfSampler({ n, exponent: 0.99, random: seededRandom(3) });
    const counts = new Map<number, number>();
    let outOfRange = 0;
    for (let i = 0; i < draws; i++) {
      const rank = sampler.next();
      if (!(Number.isInteger(rank) && rank >= 1 && rank <= n)) outOfRange++;
      counts.set(rank, (counts.get(rank) ?? 0) + 1);
    }
    expect(outOfRange).toBe(0);
    for (const rank of [1, 2, 3, 5, 10, 100]) {
      const expected = sampler.probability(rank) * draws;
      expect(Math.abs((counts.get(rank) ?? 0) - expected)).toBeLessThan(5 * Math.sqrt(expected));
    }
    // The head is heavy: the 1% most popular ids take well over half of the reads at s=0.99.
    let head = 0;
    for (const [rank, count] of counts) if (rank <= n / 100) head += count;
    expect(head / draws).toBeGreaterThan(0.55);
  });

  test('exponent 0 is uniform', () => {
    const sampler = new ZipfSampler({ n: 4, exponent: 0, random: seededRandom(9) });
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[sampler.next() - 1]++;
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  test('the same seed draws the same sequence; another seed another one', () => {
    const draw = (seed: number) => {
      const sampler = new ZipfSampler({ n: 1000, exponent: 1, random: seededRandom(seed) });
      return Array.from({ length: 20 }, () => sampler.next());
    };
    expect(draw(5)).toEqual(draw(5));
    expect(draw(5)).not.toEqual(draw(6));
  });

  test('rejects a non-positive n and a negative exponent', () => {
    expect(() => new ZipfSampler({ n: 0, exponent: 1 })).toThrow(/n must be a positive integer/);
    expect(() => new ZipfSampler({ n: 10, exponent: -1 })).toThrow(/exponent must be >= 0/);
  });
});
