/** Settings of a Zipf sampler. */
export interface ZipfSamplerProps {
  /** Number of ranks: samples fall in `1..n`. */
  readonly n: number;
  /** Skew exponent: rank k is drawn with probability proportional to 1/k^s (YCSB uses 0.99). */
  readonly exponent: number;
  /** Source of uniform numbers in [0, 1). @default - a seeded mulberry32 with seed 1 */
  readonly random?: () => number;
}

/**
 * Draws ranks 1..n with a Zipf distribution, from a precomputed cumulative distribution and a binary search:
 * O(n) once, O(log n) per sample, exact for any exponent (no approximation of the harmonic number).
 */
export class ZipfSampler {
  private readonly cumulative: Float64Array;
  private readonly random: () => number;

  constructor(props: ZipfSamplerProps) {
    if (!Number.isInteger(props.n) || props.n < 1)
      throw new Error(`ZipfSampler: n must be a positive integer`);
    if (!(props.exponent >= 0)) throw new Error('ZipfSampler: exponent must be >= 0');
    this.random = props.random ?? seededRandom(1);
    this.cumulative = new Float64Array(props.n);
    let sum = 0;
    for (let rank = 1; rank <= props.n; rank++) {
      sum += 1 / Math.pow(rank, props.exponent);
      this.cumulative[rank - 1] = sum;
    }
    for (let index = 0; index < props.n; index++) this.cumulative[index] /= sum;
  }

  /** Probability of drawing `rank`. */
  probability(rank: number): number {
    return this.cumulative[rank - 1] - (rank > 1 ? this.cumulative[rank - 2] : 0);
  }

  /** One rank in 1..n. */
  next(): number {
    const target = this.random();
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.cumulative[middle] > target) high = middle;
      else low = middle + 1;
    }
    return low + 1;
  }
}

/** A small, fast, seeded generator (mulberry32) so that runs draw the same sequence of ids. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
