// Thresholds of the CloudWatch alarms on the managed parts Prometheus cannot see (Aurora, Valkey, CloudFront, WAF).
// Plain data, like the rest of the platform configuration; each alarm's runbook explains where its value comes from.

/** Aurora alarm thresholds, applied to every regional cluster. */
export interface DatabaseAlarmThresholds {
  /** Highest CPU of any instance, in percent, tolerated for 15 minutes. */
  readonly cpuPercent: number;
  /** Lowest freeable memory of any instance, in percent of the instance class's memory, tolerated for 15 minutes. */
  readonly freeableMemoryPercent: number;
  /** Most connections of any instance, in percent of Aurora PostgreSQL's default `max_connections` for its class. */
  readonly connectionsPercentOfMax: number;
  /** Largest in-region replica lag (`AuroraReplicaLag`), in milliseconds, tolerated for 10 minutes. */
  readonly replicaLagMs: number;
  /** Largest cross-region lag of a secondary cluster (`AuroraGlobalDBReplicationLag`), in milliseconds. */
  readonly globalReplicationLagMs: number;
}

/** ElastiCache Valkey alarm thresholds, applied to every node of the replication group. */
export interface CacheAlarmThresholds {
  /** Highest Valkey engine-thread CPU (`EngineCPUUtilization`) of any node, in percent. */
  readonly engineCpuPercent: number;
  /** Keys evicted over 5 minutes, summed over the nodes, above which the cache is too small. */
  readonly evictionsPer5Minutes: number;
  /** Highest `DatabaseMemoryUsagePercentage` of any node. */
  readonly memoryPercent: number;
  /** Largest replication lag of any replica, in seconds. */
  readonly replicationLagSeconds: number;
}

/** Edge alarm thresholds (us-east-1: CloudFront and its CLOUDFRONT-scope web ACL). */
export interface EdgeAlarmThresholds {
  /** CloudFront `5xxErrorRate` (percent of viewer requests answered 5xx), averaged over 5 minutes. */
  readonly cloudFront5xxErrorRatePercent: number;
  /** Requests the web ACL blocked in 5 minutes, above which the blocking is a spike worth a look. */
  readonly wafBlockedRequestsPer5Minutes: number;
}

/** Every alarm threshold of an environment. */
export interface AlarmThresholds {
  /** Aurora. */
  readonly database: DatabaseAlarmThresholds;
  /** ElastiCache Valkey. */
  readonly cache: CacheAlarmThresholds;
  /** CloudFront and WAF. */
  readonly edge: EdgeAlarmThresholds;
}

/** Thresholds both environments share: the same signals mean the same trouble in dev and prod. */
const DATABASE: DatabaseAlarmThresholds = {
  cpuPercent: 80,
  freeableMemoryPercent: 10,
  connectionsPercentOfMax: 80,
  // Readers share the writer's storage: more than a second of lag means a reader is struggling.
  replicaLagMs: 1_000,
  // Aurora Global Database typically replicates in under a second; 5 s is far past normal and eats the RPO.
  globalReplicationLagMs: 5_000,
};

const CACHE: CacheAlarmThresholds = {
  engineCpuPercent: 80,
  evictionsPer5Minutes: 1_000,
  memoryPercent: 85,
  replicationLagSeconds: 5,
};

/** Alarm thresholds of the dev environment. */
export const DEV_ALARM_THRESHOLDS: AlarmThresholds = {
  database: DATABASE,
  cache: CACHE,
  // Little traffic in dev: a few failures are a large share, so the rate threshold is looser.
  edge: { cloudFront5xxErrorRatePercent: 5, wafBlockedRequestsPer5Minutes: 500 },
};

/** Alarm thresholds of the prod environment. */
export const PROD_ALARM_THRESHOLDS: AlarmThresholds = {
  database: DATABASE,
  cache: CACHE,
  // 1% of requests failing at the edge burns a 99.9% availability budget ten times too fast.
  edge: { cloudFront5xxErrorRatePercent: 1, wafBlockedRequestsPer5Minutes: 5_000 },
};

/** Calls `fail` with a message naming the field of the first threshold that cannot work. */
export function validateAlarmThresholds(thresholds: AlarmThresholds, fail: (message: string) => never): void {
  const percents: ReadonlyArray<[string, number]> = [
    ['database.cpuPercent', thresholds.database.cpuPercent],
    ['database.freeableMemoryPercent', thresholds.database.freeableMemoryPercent],
    ['database.connectionsPercentOfMax', thresholds.database.connectionsPercentOfMax],
    ['cache.engineCpuPercent', thresholds.cache.engineCpuPercent],
    ['cache.memoryPercent', thresholds.cache.memoryPercent],
    ['edge.cloudFront5xxErrorRatePercent', thresholds.edge.cloudFront5xxErrorRatePercent],
  ];
  for (const [field, value] of percents) {
    if (!(value > 0 && value < 100)) {
      fail(`alarms.${field} must be a percentage between 0 and 100 (exclusive), got ${value}`);
    }
  }
  const positives: ReadonlyArray<[string, number]> = [
    ['database.replicaLagMs', thresholds.database.replicaLagMs],
    ['database.globalReplicationLagMs', thresholds.database.globalReplicationLagMs],
    ['cache.evictionsPer5Minutes', thresholds.cache.evictionsPer5Minutes],
    ['cache.replicationLagSeconds', thresholds.cache.replicationLagSeconds],
    ['edge.wafBlockedRequestsPer5Minutes', thresholds.edge.wafBlockedRequestsPer5Minutes],
  ];
  for (const [field, value] of positives) {
    if (!(value > 0)) {
      fail(`alarms.${field} must be positive, got ${value}`);
    }
  }
}
