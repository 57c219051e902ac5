import { parseSamples, sumSamples } from '../lib/prometheus-text';

const TEXT = `# HELP cache_lookups_total Cache lookups.
# TYPE cache_lookups_total counter
cache_lookups_total{cache="post",level="memory",result="hit"} 90
cache_lookups_total{cache="post",level="memory",result="miss"} 10
cache_lookups_total{cache="post",level="redis",result="hit"} 7
cache_lookups_total{cache="user",level="memory",result="hit"} 1000
cache_loads_total{cache="post"} 3
process_resident_memory_bytes 123456789
weird_total{path="a \\"quoted\\" value"} 2
`;

describe('parseSamples and sumSamples', () => {
  const samples = parseSamples(TEXT);

  test('parse names, labels and values and skip comments', () => {
    expect(samples).toHaveLength(7);
    expect(samples[0]).toEqual({
      name: 'cache_lookups_total',
      labels: { cache: 'post', level: 'memory', result: 'hit' },
      value: 90,
    });
    expect(samples.find((sample) => sample.name === 'process_resident_memory_bytes')?.value).toBe(123456789);
    expect(samples.find((sample) => sample.name === 'weird_total')?.labels.path).toBe('a \\"quoted\\" value');
  });

  test('sum only the samples matching every label given', () => {
    expect(sumSamples(samples, 'cache_lookups_total', { cache: 'post', level: 'memory' })).toBe(100);
    expect(sumSamples(samples, 'cache_lookups_total', { cache: 'post' })).toBe(107);
    expect(sumSamples(samples, 'cache_lookups_total')).toBe(1107);
    expect(sumSamples(samples, 'cache_loads_total', { cache: 'user' })).toBe(0);
  });
});
