import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { loadPlatformConfig } from '../../../infra/config/platform-config';
import { dataTierPanelId } from '../../grafana/dashboard-ids';
import { dataTierDashboard } from '../../grafana/data-tier-dashboard';

interface CloudWatchTarget {
  readonly namespace: string;
  readonly metricName: string;
  readonly region: string;
  readonly dimensions: Record<string, string | string[]>;
  readonly datasource: { readonly type: string };
}

describe('dataTierDashboard', () => {
  // GIVEN
  const config = loadPlatformConfig('prod');
  const built = dataTierDashboard(config).build();
  const all = (built.panels ?? []) as dashboard.Panel[];
  const panels = all.filter((p) => p.type !== 'row');
  const targets = (id: number) => panels.find((p) => p.id === id)!.targets as unknown as CloudWatchTarget[];

  it('has a stable uid and one row per region, primary first', () => {
    expect(built.uid).toBe('api-platform-prod-data-tier');
    expect(all.filter((p) => p.type === 'row').map((p) => [p.id, p.title])).toEqual([
      [100, 'eu-west-1 (primary: writer)'],
      [200, 'us-east-1 (secondary: readers, writes forwarded)'],
      [300, 'ap-southeast-2 (secondary: readers, writes forwarded)'],
    ]);
  });

  it('reads Aurora metrics of the cluster the regional stack names, in its region', () => {
    const cpu = targets(dataTierPanelId(1, 'auroraCpu'));
    expect(cpu.map((t) => [t.namespace, t.metricName, t.region, t.dimensions])).toEqual([
      [
        'AWS/RDS',
        'CPUUtilization',
        'us-east-1',
        { DBClusterIdentifier: 'api-platform-prod-us-east-1', Role: 'READER' },
      ],
    ]);
    const writer = targets(dataTierPanelId(0, 'auroraCommitLatency'));
    expect(writer[0].dimensions).toEqual({
      DBClusterIdentifier: 'api-platform-prod-eu-west-1',
      Role: 'WRITER',
    });
  });

  it('shows global replication lag on the secondary regions only, behind the primary', () => {
    expect(panels.some((p) => p.id === dataTierPanelId(0, 'auroraGlobalReplicationLag'))).toBe(false);
    const lag = targets(dataTierPanelId(2, 'auroraGlobalReplicationLag'));
    expect(lag[0]).toMatchObject({
      metricName: 'AuroraGlobalDBReplicationLag',
      region: 'ap-southeast-2',
      dimensions: { DBClusterIdentifier: 'api-platform-prod-ap-southeast-2', SourceRegion: 'eu-west-1' },
    });
  });

  it('reads Valkey metrics of every node of the named replication group', () => {
    const evictions = targets(dataTierPanelId(0, 'valkeyEvictions'));
    expect(evictions[0]).toMatchObject({
      namespace: 'AWS/ElastiCache',
      metricName: 'Evictions',
      dimensions: {
        CacheClusterId: [1, 2, 3].map((n) => `api-platform-prod-${config.primaryRegion.region}-00${n}`),
      },
    });
  });

  it('covers CPU, connections, memory, replica and global lag, commit latency; Valkey CPU, memory, evictions, hit ratio, lag, connections', () => {
    const metrics = new Set(
      panels.flatMap((p) => (p.targets as unknown as CloudWatchTarget[]).map((t) => t.metricName)),
    );
    expect([...metrics].sort()).toEqual(
      [
        'AuroraGlobalDBReplicationLag',
        'AuroraReplicaLagMaximum',
        'CPUUtilization',
        'CacheHitRate',
        'CommitLatency',
        'CurrConnections',
        'DatabaseConnections',
        'DatabaseMemoryUsagePercentage',
        'EngineCPUUtilization',
        'Evictions',
        'FreeableMemory',
        'ReplicationLag',
      ].sort(),
    );
  });

  it('queries CloudWatch through the dashboard variable, describes every panel and links the runbooks of alerts that apply', () => {
    expect(built.templating?.list?.map((v) => [v.name, v.query])).toEqual([['cloudwatch', 'cloudwatch']]);
    for (const panel of panels) {
      expect(panel.description!.length).toBeGreaterThan(40);
      for (const target of panel.targets as unknown as CloudWatchTarget[]) {
        expect(target.datasource.type).toBe('cloudwatch');
      }
    }
    const links = (id: number) => panels.find((p) => p.id === id)!.links!.map((l) => l.title);
    expect(links(dataTierPanelId(0, 'valkeyHitRatio'))).toEqual(['Runbook: ApiCacheHitRatioLow']);
    expect(links(dataTierPanelId(0, 'auroraConnections'))).toEqual([
      'Runbook: ApiDbPoolClientsWaiting',
      'Runbook: ApiDatabaseCircuitOpen',
    ]);
    expect(links(dataTierPanelId(0, 'valkeyConnections'))).toEqual(['Runbook: ApiRedisCircuitOpen']);
  });
});
