import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadPlatformConfig } from '../../infra/config/platform-config';
import {
  HAND_WRITTEN_MARKER,
  cpuCores,
  derivedRequestsPerSecondPerPod,
  requestsPerCore,
  writeKeepingHandWritten,
} from '../lib/report-documents';
import type { StepResult } from '../lib/stepped-load';

const LIMITS = { maxP99Ms: 200, maxErrorRatio: 0.001, minAchievedShare: 0.9 };

describe('writeKeepingHandWritten', () => {
  test('replaces the generated part and keeps what was written by hand below the marker', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'bench-doc-')), 'doc.md');
    await writeKeepingHandWritten(file, '# first run', 'default notes');
    expect(readFileSync(file, 'utf8')).toBe(`# first run\n${HAND_WRITTEN_MARKER}\n\ndefault notes`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('default notes', 'my analysis'));
    await writeKeepingHandWritten(file, '# second run', 'default notes', async (text) => text.toUpperCase());
    expect(readFileSync(file, 'utf8')).toBe(
      `# SECOND RUN\n${HAND_WRITTEN_MARKER.toUpperCase()}\n\nMY ANALYSIS`,
    );
  });
});

describe('requestsPerCore', () => {
  const step = (targetRate: number, p99Ms: number, serviceCores: number): StepResult => ({
    connections: 10,
    targetRate,
    achievedRate: targetRate,
    p99Ms,
    requests: targetRate * 5,
    errors: 0,
    serviceCores,
  });

  test('divides the last healthy rate by the cores the service used, at least one', () => {
    const capacity = {
      steps: [step(1000, 5, 0.4), step(2000, 20, 1.25), step(3000, 900, 1.3)],
      stopReason: 'p99',
    };
    expect(requestsPerCore({ capacity, limits: LIMITS })).toBe(1600);
    const light = { steps: [step(1000, 5, 0.4), step(2000, 900, 0.6)], stopReason: 'p99' };
    expect(requestsPerCore({ capacity: light, limits: LIMITS })).toBe(1000);
  });

  test('is undefined when no step held', () => {
    expect(
      requestsPerCore({ capacity: { steps: [step(1000, 900, 1)], stopReason: 'p99' }, limits: LIMITS }),
    ).toBeUndefined();
  });
});

describe('derivedRequestsPerSecondPerPod', () => {
  test('is the per-core rate times the CPU request times the utilisation target', () => {
    const workload = loadPlatformConfig('prod').workload;
    const expected =
      2000 * cpuCores(workload.resources.cpuRequest) * (workload.targetCpuUtilizationPercent / 100);
    expect(derivedRequestsPerSecondPerPod(2000, workload)).toBeCloseTo(expected, 6);
    expect(
      derivedRequestsPerSecondPerPod(2000, {
        ...workload,
        resources: { ...workload.resources, cpuRequest: '500m' },
        targetCpuUtilizationPercent: 50,
      }),
    ).toBe(500);
  });

  test('reads CPU quantities in cores and millicores', () => {
    expect(cpuCores('250m')).toBe(0.25);
    expect(cpuCores('1')).toBe(1);
    expect(cpuCores('1.5')).toBe(1.5);
    expect(() => cpuCores('1Gi')).toThrow(/cores or millicores/);
  });
});
