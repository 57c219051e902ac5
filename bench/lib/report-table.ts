import type { RunInfo, ScenarioResult } from './scenario-result';

/** The scenario every other one is compared to: bare node:http on the same machine in the same run. */
export const BASELINE = 'baseline-http';

/** `value / baseline`, or undefined when the baseline is missing or zero. */
export function ratio(value: number, baseline: number | undefined): number | undefined {
  return baseline ? value / baseline : undefined;
}

/** A markdown table (also readable as plain text) from a header row and body rows. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

const fixed = (digits: number) => (value: number | undefined) =>
  value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);
const percent = (value: number | undefined) => (value === undefined ? '–' : `${(value * 100).toFixed(1)}%`);

const multiple = (value: number | undefined) => (value === undefined ? '–' : `${value.toFixed(1)}×`);

/**
 * The per-scenario table: throughput, latency, errors, ratio to baseline-http, server CPU per request and its
 * multiple of baseline-http's, hit ratio, DB load, RSS.
 */
export function scenarioTable(results: readonly ScenarioResult[]): string {
  const baselineResult = results.find((result) => result.name === BASELINE);
  const baseline = baselineResult?.requestsPerSecond;
  return markdownTable(
    [
      'scenario',
      'req/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'errors',
      'vs http',
      'CPU µs/req',
      'CPU vs http',
      'cache hit',
      'DB q/req',
      'RSS MiB',
    ],
    results.map((result) => [
      result.name,
      Math.round(result.requestsPerSecond).toString(),
      fixed(2)(result.latency.p50),
      fixed(2)(result.latency.p95),
      fixed(2)(result.latency.p99),
      result.errors.toString(),
      percent(ratio(result.requestsPerSecond, baseline)),
      fixed(0)(result.cpuMicrosPerRequest),
      multiple(ratio(result.cpuMicrosPerRequest, baselineResult?.cpuMicrosPerRequest)),
      percent(result.cacheHitRatio),
      fixed(3)(result.dbQueriesPerRequest),
      fixed(0)(result.rssMiB),
    ]),
  );
}

/** One line describing the machine and the run. */
export function describeRun(info: RunInfo): string {
  return (
    `${info.date.toISOString().slice(0, 16).replace('T', ' ')} UTC · ${info.cores} cores (${info.cpuModel}) · ` +
    `Node ${info.nodeVersion} · load average ${info.loadAverage.toFixed(1)} at start · ${info.mode} run: ${info.connections} connections, ${info.durationSeconds} s per scenario after a warm-up`
  );
}
