import {
  globalClusterIdentifier,
  loadPlatformConfig,
  regionalClusterIdentifier,
} from '../../../infra/config/platform-config';
import { WriteForwardingStatus } from '@aws-sdk/client-rds';
import { checkAurora } from '../../verify/check-aurora';
import { healthyRecording, recordedClients } from './helpers/recorded-aws';

describe('checkAurora', () => {
  const config = loadPlatformConfig('prod');
  const label = `aurora global cluster ${globalClusterIdentifier(config)}`;
  const clusterOf = (region: (typeof config.secondaryRegions)[number]) =>
    `${regionalClusterIdentifier(config, region)} (${region.region})`;

  test('fails the global cluster when no member writes', async () => {
    // GIVEN
    const recording = healthyRecording(config);
    recording.globalCluster!.GlobalClusterMembers!.forEach((member) => (member.IsWriter = false));
    // WHEN
    const [global] = await checkAurora(config, recordedClients(recording).rds);
    // THEN
    expect(global).toEqual({ ok: false, region: 'global', name: label, detail: 'no writer among 3 members' });
  });

  test('fails the global cluster when two members write', async () => {
    // GIVEN
    const recording = healthyRecording(config);
    recording.globalCluster!.GlobalClusterMembers![1].IsWriter = true;
    // WHEN
    const [global] = await checkAurora(config, recordedClients(recording).rds);
    // THEN
    expect(global.ok).toBe(false);
    expect(global.detail).toBe(
      `2 writers: ${clusterOf(config.primaryRegion)}, ${clusterOf(config.secondaryRegions[0])} among 3 members`,
    );
  });

  test('passes after a switchover but says the writer is not in the configured primary', async () => {
    // GIVEN the first secondary writes now, and the former primary forwards
    const recording = healthyRecording(config);
    const [primary, secondary] = recording.globalCluster!.GlobalClusterMembers!;
    primary.IsWriter = false;
    secondary.IsWriter = true;
    recording.dbClusters.get(config.primaryRegion.region)!.GlobalWriteForwardingStatus = 'enabled';
    // WHEN
    const results = await checkAurora(config, recordedClients(recording).rds);
    // THEN
    expect(results.every((result) => result.ok)).toBe(true);
    expect(results[0].detail).toBe(
      `3 members, writer ${clusterOf(config.secondaryRegions[0])}; not in the configured primary ${config.primaryRegion.region}`,
    );
  });

  test.each<[WriteForwardingStatus | undefined, string]>([
    ['enabling', 'enabling'],
    ['unknown', 'unknown'],
    [undefined, 'not set'],
  ])('fails a secondary whose forwarding status is %s: only enabled forwards', async (status, shown) => {
    // GIVEN
    const secondary = config.secondaryRegions[0];
    const recording = healthyRecording(config);
    recording.dbClusters.get(secondary.region)!.GlobalWriteForwardingStatus = status;
    // WHEN
    const results = await checkAurora(config, recordedClients(recording).rds);
    // THEN
    expect(results.filter((result) => !result.ok)).toEqual([
      {
        ok: false,
        region: secondary.region,
        name: `aurora cluster ${regionalClusterIdentifier(config, secondary)}`,
        detail: `reader, global write forwarding ${shown}`,
      },
    ]);
  });

  test('fails the global cluster with the error RDS raises when it does not exist', async () => {
    // GIVEN
    const recording = healthyRecording(config);
    recording.globalCluster = undefined;
    // WHEN
    const rejection = checkAurora(config, recordedClients(recording).rds);
    // THEN
    await expect(rejection).rejects.toMatchObject({ name: 'GlobalClusterNotFoundFault' });
  });
});
