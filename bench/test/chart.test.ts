import { svgToPng } from '../lib/chart-png';
import { chartSvg } from '../lib/chart-svg';

const rows = [
  { label: 'baseline-http', requestsPerSecond: 40_000, p99Ms: 2 },
  { label: 'get-hot', requestsPerSecond: 20_000, p99Ms: 8 },
  { label: 'a<b', requestsPerSecond: 10_000, p99Ms: 4 },
];

describe('chartSvg', () => {
  const svg = chartSvg(rows, 'caption & date');

  test('draws one throughput and one p99 bar per scenario, scaled to the largest', () => {
    const widths = [...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"/g)].map((match) =>
      Number(match[1]),
    );
    expect(widths).toHaveLength(6);
    const [http, hot, third, httpP99, hotP99, thirdP99] = widths;
    expect(hot / http).toBeCloseTo(0.5, 2);
    expect(third / http).toBeCloseTo(0.25, 2);
    expect(httpP99 / hotP99).toBeCloseTo(0.25, 2);
    expect(thirdP99 / hotP99).toBeCloseTo(0.5, 2);
  });

  test('prints the values and escapes text', () => {
    expect(svg).toContain('>40000<');
    expect(svg).toContain('>8.0 ms<');
    expect(svg).toContain('a&lt;b');
    expect(svg).toContain('caption &amp; date');
  });
});

describe('svgToPng', () => {
  test('renders a PNG of the chart size with resvg, offline', () => {
    const png = svgToPng(chartSvg(rows, 'test'));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const svgWidth = Number(/width="(\d+)"/.exec(chartSvg(rows, 'test'))![1]);
    expect(png.readUInt32BE(16)).toBe(svgWidth);
  });
});
