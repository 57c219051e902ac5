/** One bar group of the chart. */
export interface ChartRow {
  readonly label: string;
  readonly requestsPerSecond: number;
  readonly p99Ms: number;
}

const ROW_HEIGHT = 28;
const LABEL_WIDTH = 150;
const PANEL_WIDTH = 360;
const GAP = 40;
const TOP = 50;

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A horizontal bar panel: one bar per row, scaled to the largest value, with the value printed. */
function panel(
  rows: readonly ChartRow[],
  value: (row: ChartRow) => number,
  format: (value: number) => string,
  x: number,
  title: string,
  colour: string,
): string {
  const largest = Math.max(...rows.map(value), Number.MIN_VALUE);
  const bars = rows.map((row, index) => {
    const y = TOP + index * ROW_HEIGHT;
    const width = Math.max(1, (value(row) / largest) * (PANEL_WIDTH - 70));
    return (
      `<rect x="${x}" y="${y}" width="${width.toFixed(1)}" height="${ROW_HEIGHT - 8}" fill="${colour}"/>` +
      `<text x="${(x + width + 4).toFixed(1)}" y="${y + 15}" font-size="12">${escapeXml(format(value(row)))}</text>`
    );
  });
  return `<text x="${x}" y="${TOP - 12}" font-size="14" font-weight="bold">${escapeXml(title)}</text>${bars.join('')}`;
}

/** An SVG with two panels, requests/s and p99 latency per scenario, in the rows' order. */
export function chartSvg(rows: readonly ChartRow[], caption: string): string {
  const width = LABEL_WIDTH + 2 * PANEL_WIDTH + GAP + 20;
  const height = TOP + rows.length * ROW_HEIGHT + 40;
  const labels = rows.map(
    (row, index) =>
      `<text x="${LABEL_WIDTH - 8}" y="${TOP + index * ROW_HEIGHT + 15}" font-size="12" text-anchor="end">${escapeXml(row.label)}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, Arial, sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    ...labels,
    panel(
      rows,
      (row) => row.requestsPerSecond,
      (v) => Math.round(v).toString(),
      LABEL_WIDTH,
      'requests/s',
      '#3b75af',
    ),
    panel(
      rows,
      (row) => row.p99Ms,
      (v) => `${v.toFixed(1)} ms`,
      LABEL_WIDTH + PANEL_WIDTH + GAP,
      'p99 latency',
      '#d9822b',
    ),
    `<text x="10" y="${height - 12}" font-size="11" fill="#555">${escapeXml(caption)}</text>`,
    '</svg>',
  ].join('\n');
}
