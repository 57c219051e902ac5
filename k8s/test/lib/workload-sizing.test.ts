import { loadPlatformConfig } from '../../../infra/config/platform-config';
import {
  HEAP_SHARE_OF_MEMORY_LIMIT,
  imageUri,
  maxOldSpaceSizeMb,
  mebibytes,
  TERMINATION_MARGIN_SECONDS,
  terminationGracePeriodSeconds,
  deregistrationDelaySeconds,
} from '../../lib/workload-sizing';

describe('workload sizing', () => {
  const { workload, account } = loadPlatformConfig('prod');

  test('the grace period is the drain delay plus the shutdown timeout plus a margin', () => {
    // THEN
    expect(terminationGracePeriodSeconds(workload)).toBe(
      Math.ceil((workload.shutdownDrainDelayMs + workload.shutdownTimeoutMs) / 1000) +
        TERMINATION_MARGIN_SECONDS,
    );
    expect(
      terminationGracePeriodSeconds({ ...workload, shutdownDrainDelayMs: 1500, shutdownTimeoutMs: 1000 }),
    ).toBe(3 + TERMINATION_MARGIN_SECONDS);
  });

  test('the load balancer drains a pod for as long as the service serves after SIGTERM, within its grace period', () => {
    // THEN
    expect(
      deregistrationDelaySeconds({ ...workload, shutdownDrainDelayMs: 15_000, shutdownTimeoutMs: 10_000 }),
    ).toBe(25);
    expect(deregistrationDelaySeconds(workload)).toBeGreaterThanOrEqual(workload.requestTimeoutMs / 1000);
    expect(deregistrationDelaySeconds(workload)).toBeLessThan(terminationGracePeriodSeconds(workload));
  });

  test('the heap is a share of the memory limit', () => {
    // THEN
    expect(mebibytes('512Mi')).toBe(512);
    expect(mebibytes('2Gi')).toBe(2048);
    expect(maxOldSpaceSizeMb('512Mi')).toBe(Math.floor(512 * HEAP_SHARE_OF_MEMORY_LIMIT));
    expect(() => mebibytes('1G')).toThrow(/'1G' must be in Mi or Gi/);
  });

  test('the image comes from the region registry with the configured tag', () => {
    // THEN
    expect(imageUri(account, 'us-east-1', workload)).toBe(
      `${account}.dkr.ecr.us-east-1.amazonaws.com/${workload.image.repositoryName}:${workload.image.tag}`,
    );
  });
});
