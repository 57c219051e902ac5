// The data tier as AWS sees it: Aurora and ElastiCache CloudWatch metrics, one row per region, selected by
// the names the infrastructure stacks give the clusters (derived in the platform configuration, never typed).
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import {
  allRegions,
  cacheNodeIds,
  regionalClusterIdentifier,
  type PlatformConfig,
  type RegionConfig,
} from '../../infra/config/platform-config';
import { CACHE_LOOKUPS } from '../../service/src/cache/cache-metrics';
import { CIRCUIT_BREAKER_STATE, DB_POOL_CONNECTIONS } from '../../service/src/plugins/external/metrics';
import { REDIS_BREAKER_DEPENDENCY } from '../../service/src/redis/redis-breaker';
import { gaugeAlerts, rateAlerts } from '../prometheus/service-alert-rules';
import { apiSlos } from '../slo/slo-definition';
import { cloudwatchPanel, cloudwatchVariable, type CloudWatchQuery } from './cloudwatch-panel-factories';
import { dataTierPanelId, type DataTierPanel } from './dashboard-ids';
import { generatedDashboard } from './generated-dashboard';

const RDS = 'AWS/RDS';
const ELASTICACHE = 'AWS/ElastiCache';
/** Legend of a per-node ElastiCache line. */
const NODE_LABEL = "${PROP('Dim.CacheClusterId')}";

/** Returns the data-tier dashboard of an environment: Aurora then Valkey, per region, primary first. */
export function dataTierDashboard(config: PlatformConfig): dashboard.DashboardBuilder {
  const builder = generatedDashboard(config, {
    kind: 'data-tier',
    title: 'Data tier (Aurora, Valkey)',
    description:
      'CloudWatch metrics of the Aurora PostgreSQL global database and the ElastiCache Valkey cache, one row per region.',
    from: 'now-6h',
    datasourceVariable: cloudwatchVariable(),
  });
  allRegions(config).forEach((region, index) => {
    const primary = index === 0;
    builder.withRow(
      new dashboard.RowBuilder(
        `${region.region} (${primary ? 'primary: writer' : 'secondary: readers, writes forwarded'})`,
      ).id(dataTierPanelId(index, 'row')),
    );
    for (const panel of regionPanels(config, region, index, primary)) builder.withPanel(panel);
  });
  return builder;
}

function regionPanels(config: PlatformConfig, region: RegionConfig, index: number, primary: boolean) {
  const cluster = regionalClusterIdentifier(config, region);
  const nodes = cacheNodeIds(config, region);
  const alerts = linkedAlerts(config);
  const id = (panel: DataTierPanel) => dataTierPanelId(index, panel);
  const rds = (metricName: string, statistic: string, role?: 'WRITER' | 'READER'): CloudWatchQuery => ({
    namespace: RDS,
    metricName,
    dimensions: role ? { DBClusterIdentifier: cluster, Role: role } : { DBClusterIdentifier: cluster },
    statistic,
    label: role ? role.toLowerCase() : cluster,
  });
  const byRole = (metricName: string, statistic: string) =>
    primary
      ? [rds(metricName, statistic, 'WRITER'), rds(metricName, statistic, 'READER')]
      : [rds(metricName, statistic, 'READER')];
  const valkey = (metricName: string, statistic: string): CloudWatchQuery => ({
    namespace: ELASTICACHE,
    metricName,
    dimensions: { CacheClusterId: nodes },
    statistic,
    label: NODE_LABEL,
  });
  const at = { region: region.region };
  const panels = [
    cloudwatchPanel({
      ...at,
      id: id('auroraCpu'),
      title: `Aurora CPU (${cluster})`,
      description:
        'CPU of the Aurora instances by role. A writer near 100% makes every commit slow; readers near 100% slow the GETs the cache misses.',
      unit: 'percent',
      queries: byRole('CPUUtilization', 'Average'),
      runbooks: alerts.latency,
    }),
    cloudwatchPanel({
      ...at,
      id: id('auroraConnections'),
      title: 'Aurora connections',
      description:
        'Client connections open on the instances by role (the RDS Proxy in front of the writer multiplexes the pods onto these). Near max_connections, new connections fail and pods queue for their pools.',
      unit: 'short',
      queries: byRole('DatabaseConnections', 'Maximum'),
      runbooks: alerts.pool,
    }),
    cloudwatchPanel({
      ...at,
      id: id('auroraFreeableMemory'),
      title: 'Aurora freeable memory',
      description:
        'Memory left on the instances, lowest by role. A steady fall towards zero means the buffer cache shrinks and queries read from storage.',
      unit: 'bytes',
      queries: byRole('FreeableMemory', 'Minimum'),
    }),
    cloudwatchPanel({
      ...at,
      id: id('auroraReplicaLag'),
      title: 'Aurora replica lag (in region)',
      description:
        'Largest lag of the reader instances behind the writer of this region’s cluster: reads from a replica may miss writes this recent (the API reads its own writes from the writer).',
      unit: 'ms',
      queries: [rds('AuroraReplicaLagMaximum', 'Maximum')],
    }),
    cloudwatchPanel({
      ...at,
      id: id('auroraCommitLatency'),
      title: 'Aurora commit latency',
      description:
        'Time the writer takes to make a transaction durable; every POST and PATCH waits for it. In a secondary region, forwarded writes also cross to the primary.',
      unit: 'ms',
      queries: [primary ? rds('CommitLatency', 'Average', 'WRITER') : rds('CommitLatency', 'Average')],
      runbooks: alerts.latency,
    }),
  ];
  if (!primary) {
    panels.push(
      cloudwatchPanel({
        ...at,
        id: id('auroraGlobalReplicationLag'),
        title: 'Aurora global replication lag',
        description: `How far this secondary cluster trails the primary (${config.primaryRegion.region}): writes made there are not yet visible here, and an unplanned failover to this region would lose them.`,
        unit: 'ms',
        queries: [
          {
            namespace: RDS,
            metricName: 'AuroraGlobalDBReplicationLag',
            dimensions: { DBClusterIdentifier: cluster, SourceRegion: config.primaryRegion.region },
            statistic: 'Maximum',
            label: `behind ${config.primaryRegion.region}`,
          },
        ],
      }),
    );
  }
  panels.push(
    cloudwatchPanel({
      ...at,
      id: id('valkeyCpu'),
      title: 'Valkey engine CPU per node',
      description:
        'CPU of the Valkey engine thread on each node (commands run on one thread). Above about 90% commands queue and the API’s Redis timeout turns them into cache misses.',
      unit: 'percent',
      queries: [valkey('EngineCPUUtilization', 'Average')],
      runbooks: alerts.cache,
    }),
    cloudwatchPanel({
      ...at,
      id: id('valkeyMemory'),
      title: 'Valkey memory used per node',
      description:
        'Share of the node’s memory for data that is in use. Near 100% Valkey evicts keys to make room, and the hit ratio falls.',
      unit: 'percent',
      queries: [valkey('DatabaseMemoryUsagePercentage', 'Maximum')],
      runbooks: alerts.cache,
    }),
    cloudwatchPanel({
      ...at,
      id: id('valkeyEvictions'),
      title: 'Valkey evictions per node',
      description:
        'Keys removed before their TTL because memory was full. Any steady value means the cache is too small for the working set.',
      unit: 'short',
      queries: [valkey('Evictions', 'Sum')],
      runbooks: alerts.cache,
    }),
    cloudwatchPanel({
      ...at,
      id: id('valkeyHitRatio'),
      title: 'Valkey hit ratio per node',
      description:
        'Share of key lookups Valkey found, as Valkey counts them (rate-limit counters included); the API’s own view per cache is on the saturation dashboard.',
      unit: 'percent',
      queries: [valkey('CacheHitRate', 'Average')],
      runbooks: alerts.cache,
    }),
    cloudwatchPanel({
      ...at,
      id: id('valkeyReplicationLag'),
      title: 'Valkey replication lag per replica',
      description:
        'How far each replica trails the primary node; a failover to a lagging replica loses those writes (cache entries and rate-limit counts only).',
      unit: 's',
      queries: [valkey('ReplicationLag', 'Maximum')],
    }),
    cloudwatchPanel({
      ...at,
      id: id('valkeyConnections'),
      title: 'Valkey client connections per node',
      description:
        'Open client connections on each node: about one per API pod. A jump means pods reconnect in a loop (TLS, AUTH token, failover).',
      unit: 'short',
      queries: [valkey('CurrConnections', 'Maximum')],
      runbooks: alerts.redis,
    }),
  );
  return panels;
}

/** Alerts whose runbooks the data-tier panels link to, found by what they watch, never by typed names. */
function linkedAlerts(config: PlatformConfig) {
  const gauge = (metric: string) =>
    gaugeAlerts(config)
      .filter((a) => a.metric === metric)
      .map((a) => a.alert);
  // Breaker alerts by the dependency they select: the database's on the pool panel, Redis's on Valkey's.
  const breaker = (dependency: string) =>
    gaugeAlerts(config)
      .filter((a) => a.metric === CIRCUIT_BREAKER_STATE)
      .filter((a) => a.matchers.some((m) => m.label === 'dependency' && m.value === dependency))
      .map((a) => a.alert);
  return {
    latency: [
      ...new Set(
        apiSlos(config)
          .filter((s) => s.events.kind === 'latency')
          .map((s) => s.alertName),
      ),
    ],
    pool: [...gauge(DB_POOL_CONNECTIONS), ...breaker('postgres')],
    redis: breaker(REDIS_BREAKER_DEPENDENCY),
    cache: rateAlerts()
      .filter((a) => a.part.metric === CACHE_LOOKUPS)
      .map((a) => a.alert),
  };
}
