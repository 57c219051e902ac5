import { describeRun, markdownTable, ratio, scenarioTable } from '../lib/report-table';
import type { ScenarioResult } from '../lib/scenario-result';

const result = (
  name: string,
  requestsPerSecond: number,
  extra: Partial<ScenarioResult> = {},
): ScenarioResult => ({
  name,
  description: name,
  requests: requestsPerSecond * 10,
  requestsPerSecond,
  latency: { p50: 1, p95: 2.5, p99: 4.125, max: 9 },
  errors: 0,
  rssMiB: 80.4,
  cpuMicrosPerRequest: 20,
  ...extra,
});

describe('ratio', () => {
  test('divides by the baseline, and is undefined without one', () => {
    expect(ratio(25_000, 50_000)).toBe(0.5);
    expect(ratio(1, undefined)).toBeUndefined();
    expect(ratio(1, 0)).toBeUndefined();
  });
});

describe('markdownTable', () => {
  test('pads every column to its widest cell', () => {
    expect(markdownTable(['a', 'long header'], [['wide cell', 'x']])).toBe(
      ['| a         | long header |', '| --------- | ----------- |', '| wide cell | x           |'].join(
        '\n',
      ),
    );
  });
});

describe('scenarioTable', () => {
  const table = scenarioTable([
    result('baseline-http', 40_000, { cpuMicrosPerRequest: 16 }),
    result('get-hot', 21_000, { cacheHitRatio: 0.9995, dbQueriesPerRequest: 0, cpuMicrosPerRequest: 150.4 }),
    result('post', 800, { errors: 3, dbQueriesPerRequest: 1, cpuMicrosPerRequest: 1200 }),
  ]);
  const row = (name: string) =>
    table
      .split('\n')
      .find((line) => line.startsWith(`| ${name} `))!
      .split('|')
      .map((cell) => cell.trim());

  test('gives each scenario its ratio to baseline-http from the same run', () => {
    expect(row('baseline-http')[7]).toBe('100.0%');
    expect(row('get-hot')[7]).toBe('52.5%');
    expect(row('post')[7]).toBe('2.0%');
  });

  test("gives each scenario the server's CPU per request and its multiple of baseline-http's", () => {
    expect(row('baseline-http').slice(8, 10)).toEqual(['16', '1.0×']);
    expect(row('get-hot').slice(8, 10)).toEqual(['150', '9.4×']);
    expect(row('post').slice(8, 10)).toEqual(['1200', '75.0×']);
  });

  test('formats latency, errors, hit ratio, DB queries and RSS, with a dash where nothing was measured', () => {
    expect(row('get-hot').slice(2, 13)).toEqual([
      '21000',
      '1.00',
      '2.50',
      '4.13',
      '0',
      '52.5%',
      '150',
      '9.4×',
      '100.0%',
      '0.000',
      '80',
    ]);
    expect(row('baseline-http')[10]).toBe('–');
    expect(row('baseline-http')[11]).toBe('–');
    expect(row('post')[6]).toBe('3');
  });

  test('without a baseline the ratio columns are a dash', () => {
    const alone = scenarioTable([result('get-hot', 100)]);
    expect(alone.split('\n')[2].split('|')[7].trim()).toBe('–');
    expect(alone.split('\n')[2].split('|')[9].trim()).toBe('–');
  });
});

describe('describeRun', () => {
  test('names the date, cores, CPU, Node version and the run settings', () => {
    const line = describeRun({
      date: new Date('2026-12-01T22:30:00Z'),
      cores: 2,
      cpuModel: 'AMD EPYC',
      nodeVersion: '20.20.2',
      loadAverage: 1.25,
      mode: 'full',
      connections: 50,
      durationSeconds: 10,
    });
    expect(line).toBe(
      '2026-12-01 22:30 UTC · 2 cores (AMD EPYC) · Node 20.20.2 · load average 1.3 at start · full run: 50 connections, 10 s per scenario after a warm-up',
    );
  });
});
