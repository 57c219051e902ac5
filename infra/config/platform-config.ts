// The one platform configuration: infra/, k8s/ and dashboards/ all read it, so values live here once.
// Plain data only (no aws-cdk-lib imports), so that every part of the repository can import it cheaply.
import {
  AlarmThresholds,
  DEV_ALARM_THRESHOLDS,
  PROD_ALARM_THRESHOLDS,
  validateAlarmThresholds,
} from './alarm-thresholds';
import { cidrsOverlap, parseIpv4Cidr } from './cidr';

/** Names of the environments a user can choose with `-c env=<name>`. */
export const ENVIRONMENT_NAMES = ['dev', 'prod'] as const;

/** One of the environments defined in this file. */
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** The environment used when `-c env` is not given, so a fresh clone synthesizes. */
export const DEFAULT_ENVIRONMENT: EnvironmentName = 'dev';

/**
 * Region of everything with CLOUDFRONT scope (the WAF web ACL, ACM certificates for CloudFront).
 * AWS requires us-east-1 for these whatever the primary region is.
 */
export const EDGE_REGION = 'us-east-1';

/** Network layout of one region. */
export interface RegionConfig {
  /** AWS region name, for example `eu-west-1`. */
  readonly region: string;
  /** The three availability zones used, named explicitly so synth never looks them up. */
  readonly availabilityZones: readonly string[];
  /** IPv4 CIDR of the region's VPC; must not overlap any other region of the environment. */
  readonly vpcCidr: string;
  /**
   * Id of the AWS-managed prefix list `com.amazonaws.global.cloudfront.origin-facing` in this region (the id
   * differs per region; `aws ec2 describe-managed-prefix-lists --region <r>` shows it): the only source the
   * region's load balancer admits.
   */
  readonly cloudFrontPrefixListId: string;
}

/** Aurora PostgreSQL Global Database sizing and behaviour. */
export interface DatabaseConfig {
  /** Instance class without the `db.` prefix, for example `r6g.large`. */
  readonly instanceClass: string;
  /** Reader instances per regional cluster, in addition to the writer (or its stand-in in a secondary). */
  readonly readers: number;
  /** Aurora Auto Scaling of each cluster's readers: it never goes below the readers created above. */
  readonly readerScaling: ReaderScalingConfig;
  /** Days of automated backups kept. */
  readonly backupRetentionDays: number;
  /**
   * Server-side `statement_timeout` in milliseconds, set by the cluster parameter group: no query may hold a
   * connection longer. Below the workload's request timeout, so a request's statements end before it does;
   * a migration that needs longer says so itself (`SET LOCAL statement_timeout` in its transaction).
   */
  readonly statementTimeoutMs: number;
  /** Statements slower than this many milliseconds are logged (`log_min_duration_statement`). */
  readonly slowQueryThresholdMs: number;
}

/** Aurora Auto Scaling of the readers of each regional cluster (Application Auto Scaling, `rds:cluster:ReadReplicaCount`). */
export interface ReaderScalingConfig {
  /** Most reader instances a cluster may grow to (Aurora allows 15). */
  readonly maxReaders: number;
  /** Average reader CPU, in percent, that the readers are added or removed to keep. */
  readonly targetCpuPercent: number;
  /** Average connections per reader, in percent of the class's default `max_connections`, to keep. */
  readonly targetConnectionsPercentOfMax: number;
}

/** ElastiCache Valkey sizing. */
export interface CacheConfig {
  /** Node type, for example `cache.r7g.large`. */
  readonly nodeType: string;
  /** Replicas of the primary node, spread over the availability zones; at least 1 for failover. */
  readonly replicas: number;
  /** Days of daily snapshots kept. */
  readonly snapshotRetentionDays: number;
}

/** Edge protection (the CloudFront web ACL). */
export interface EdgeConfig {
  /** Requests one client IP may send in any 5 minutes before it is blocked. */
  readonly requestsPerIpPer5Minutes: number;
  /** Largest request body the API accepts, in bytes; the service and the web ACL enforce the same value. */
  readonly maxRequestBodyBytes: number;
}

/** DNS names of the environment (placeholders until a team owns a real zone). */
export interface DomainConfig {
  /** Public hosted zone name. */
  readonly zoneName: string;
  /** Name clients call the API on, inside `zoneName`. */
  readonly apiDomainName: string;
  /** Id of the existing public hosted zone `zoneName` (placeholder until a team owns a real zone); imported, never looked up. */
  readonly hostedZoneId: string;
}

/** A latency objective for one HTTP method. */
export interface LatencyObjective {
  /** HTTP method the objective applies to. */
  readonly method: 'GET' | 'POST';
  /** Requests faster than this many milliseconds are good. */
  readonly thresholdMs: number;
  /** Fraction of requests that must be good over the SLO window, for example 0.99. */
  readonly target: number;
}

/** Service level objectives, read by dashboards/ for alerts and by k8s/ for rollout analysis. */
export interface SloConfig {
  /** Length of the rolling SLO window in days. */
  readonly windowDays: number;
  /** Fraction of requests that must not fail (5xx) over the window, for example 0.999. */
  readonly availabilityTarget: number;
  /** Latency objectives per HTTP method. */
  readonly latency: readonly LatencyObjective[];
}

/** CPU and memory of one API container, as Kubernetes quantities. */
export interface ContainerResources {
  /** CPU the scheduler reserves, for example `250m`; the HPA's utilisation is a share of it. */
  readonly cpuRequest: string;
  /** Memory the scheduler reserves, for example `256Mi`. */
  readonly memoryRequest: string;
  /** CPU the container may burst to, for example `1`. */
  readonly cpuLimit: string;
  /** Memory at which the container is killed, in `Mi` or `Gi`; the Node.js heap is sized below it. */
  readonly memoryLimit: string;
}

/** The API's Kubernetes workload in each regional cluster, read by k8s/. */
export interface WorkloadConfig {
  /** Port the service listens on inside the pod (its `PORT`). */
  readonly containerPort: number;
  /** Image repository name in each region's ECR registry, and the tag deployed (never `latest`). */
  readonly image: { readonly repositoryName: string; readonly tag: string };
  /** Pod count bounds the autoscaler keeps to. */
  readonly replicas: { readonly min: number; readonly max: number };
  /** Requests and limits of the API container (to be refined from the benchmark). */
  readonly resources: ContainerResources;
  /** Average CPU use, in percent of the request, the autoscaler aims for. */
  readonly targetCpuUtilizationPercent: number;
  /** Requests per second one pod should serve on average; the autoscaler adds pods above it. */
  readonly targetRequestsPerSecondPerPod: number;
  /** Name of the PriorityClass of the API pods, so they preempt batch work rather than the reverse. */
  readonly priorityClassName: string;
  /** The service's `REQUEST_TIMEOUT_MS`: the longest a request may run. */
  readonly requestTimeoutMs: number;
  /** The service's `SHUTDOWN_DRAIN_DELAY_MS`: how long it keeps serving, unready, after SIGTERM while load balancers stop sending. */
  readonly shutdownDrainDelayMs: number;
  /** The service's `SHUTDOWN_TIMEOUT_MS`: how long in-flight requests get to finish after the drain delay. */
  readonly shutdownTimeoutMs: number;
  /** Identity provider whose tokens the API accepts (placeholders until a team owns one); the audience is `domain.apiDomainName`. */
  readonly auth: { readonly jwksUrl: string; readonly issuer: string };
}

/** The outbox relay's Kubernetes workload: a Deployment of the API image running `relay.js`, read by k8s/. */
export interface OutboxRelayConfig {
  /**
   * Relay pods in the primary region, at least 2 (they share the outbox through row locks, so a second one
   * only adds availability). Secondary regions run none: their writes are forwarded to the primary's outbox.
   */
  readonly replicas: number;
  /** Port of the relay's probes and metrics (its `RELAY_PORT`); must differ from the API's port. */
  readonly healthPort: number;
  /** Requests and limits of the relay container (to be refined from the benchmark). */
  readonly resources: ContainerResources;
}

/** The managed node group of each regional EKS cluster. */
export interface ComputeConfig {
  /** Graviton (arm64) instance type of the nodes, for example `m7g.large`; the image is built for arm64. */
  readonly nodeInstanceType: string;
  /** Fewest nodes: one per availability zone at least, so the pods can spread over the zones. */
  readonly minNodes: number;
  /** Most nodes the node group may grow to. */
  readonly maxNodes: number;
}

/**
 * Who is told when an alert fires. Email addresses confirm their subscription once (SNS sends them a link). A
 * pager's HTTPS integration URL usually carries a key, so only the name of an SSM parameter holding it is kept
 * here; the parameter is created once per region before the first deploy (README, "Before the first deploy").
 */
export type AlertSubscriber = { readonly email: string } | { readonly httpsEndpointParameter: string };

/**
 * Where alerts go. `page` wakes someone; `ticket` waits for working hours. Prometheus alerts (through each
 * region's Alertmanager) and CloudWatch alarms reach the same two SNS topics of their region.
 */
export interface AlertingConfig {
  /** Subscribers of the `page` topic of every region. */
  readonly page: readonly AlertSubscriber[];
  /** Subscribers of the `ticket` topic of every region. */
  readonly ticket: readonly AlertSubscriber[];
  /**
   * Minutes without a heartbeat from a region's Alertmanager (its always-firing `Watchdog` alert) before the
   * region that watches it pages: the dead man's switch for a lost cluster, Prometheus or Alertmanager.
   */
  readonly heartbeatMissingMinutes: number;
}

/**
 * The people who reach each regional EKS cluster: existing IAM roles (those IAM Identity Center creates for a
 * permission set are typical), given as full ARNs, path included, as EKS access entries take them.
 */
export interface AccessConfig {
  /** Role of the platform team: cluster admin (AmazonEKSClusterAdminPolicy). */
  readonly platformAdminRoleArn: string;
  /** Role of the on-call: read everything, act in the API's namespace as the runbooks say (`k8s/constructs/on-call-role.ts`). */
  readonly onCallRoleArn: string;
}

/** Everything that differs between environments. */
export interface PlatformConfig {
  /** Name of this environment. */
  readonly envName: EnvironmentName;
  /** Short name prefixed to resource and stack names. */
  readonly platformName: string;
  /** AWS account id (placeholder until a team forks the repository). */
  readonly account: string;
  /** The region holding the Aurora writer: every write lands here. */
  readonly primaryRegion: RegionConfig;
  /** Regions with read-only copies that forward writes to the primary. */
  readonly secondaryRegions: readonly RegionConfig[];
  /** NAT gateways per region VPC: one in dev to save cost, one per availability zone in prod. */
  readonly natGatewaysPerRegion: number;
  /** Whether data stores are protected: deletion protection on and RETAIN/SNAPSHOT removal policies. */
  readonly protectData: boolean;
  /** Aurora settings. */
  readonly database: DatabaseConfig;
  /** ElastiCache settings. */
  readonly cache: CacheConfig;
  /** Edge protection. */
  readonly edge: EdgeConfig;
  /** DNS names. */
  readonly domain: DomainConfig;
  /** Service level objectives. */
  readonly slo: SloConfig;
  /** The API workload in Kubernetes. */
  readonly workload: WorkloadConfig;
  /** The outbox relay workload in Kubernetes. */
  readonly outboxRelay: OutboxRelayConfig;
  /** The nodes the workload runs on. */
  readonly compute: ComputeConfig;
  /** Thresholds of the CloudWatch alarms on Aurora, Valkey, CloudFront and WAF. */
  readonly alarms: AlarmThresholds;
  /** Who is told when an alert or alarm fires. */
  readonly alerting: AlertingConfig;
  /** IAM roles of the people given access to the EKS clusters. */
  readonly access: AccessConfig;
  /** Tags put on every resource (the service, env, owner and cost-center keys are required). */
  readonly tags: Readonly<Record<string, string>>;
}

const SLO: SloConfig = {
  windowDays: 30,
  availabilityTarget: 0.999,
  latency: [
    { method: 'GET', thresholdMs: 200, target: 0.99 },
    { method: 'POST', thresholdMs: 500, target: 0.99 },
  ],
};

// The same size in every environment so dev measures what prod runs; only the pod counts differ.
const API_RESOURCES: ContainerResources = {
  cpuRequest: '250m',
  memoryRequest: '256Mi',
  cpuLimit: '1',
  memoryLimit: '512Mi',
};

// What every environment's workload shares; each environment adds its pod counts and identity provider.
const WORKLOAD_DEFAULTS = {
  containerPort: 3000,
  image: { repositoryName: 'api-platform/api', tag: '0.1.0' },
  resources: API_RESOURCES,
  targetCpuUtilizationPercent: 70,
  // To be derived from the measured breaking point (P × cpuRequest × CPU target): see docs/capacity.md.
  targetRequestsPerSecondPerPod: 200,
  priorityClassName: 'api-platform-critical',
  requestTimeoutMs: 10_000,
  // Long enough for the load balancer controller to deregister the pod before it stops accepting.
  shutdownDrainDelayMs: 15_000,
  // At least the request timeout, so a request that started before SIGTERM can still finish.
  shutdownTimeoutMs: 10_000,
} as const;

// One batch at a time in one connection: a small, steady pod, the same in every environment.
const OUTBOX_RELAY: OutboxRelayConfig = {
  replicas: 2,
  healthPort: 3001,
  resources: { cpuRequest: '50m', memoryRequest: '128Mi', cpuLimit: '500m', memoryLimit: '256Mi' },
};

/**
 * Ids of the AWS-managed prefix list `com.amazonaws.global.cloudfront.origin-facing`, per region: the same
 * in every account, different in every region. Add a region's id here before adding the region.
 */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS: Readonly<Record<string, string>> = {
  'eu-west-1': 'pl-4fa04526',
  'us-east-1': 'pl-3b927c52',
  'ap-southeast-2': 'pl-b8a742d1',
};

const PLATFORM_CONFIGS: Readonly<Record<EnvironmentName, PlatformConfig>> = {
  dev: {
    envName: 'dev',
    platformName: 'api-platform',
    account: '111111111111',
    primaryRegion: {
      region: 'eu-west-1',
      availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
      vpcCidr: '10.10.0.0/16',
      cloudFrontPrefixListId: CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS['eu-west-1'],
    },
    // One secondary in dev too, so the Global Database wiring is exercised before prod.
    secondaryRegions: [
      {
        region: 'us-east-1',
        availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
        vpcCidr: '10.11.0.0/16',
        cloudFrontPrefixListId: CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS['us-east-1'],
      },
    ],
    natGatewaysPerRegion: 1,
    protectData: false,
    database: {
      instanceClass: 'r6g.large',
      readers: 1,
      readerScaling: { maxReaders: 3, targetCpuPercent: 70, targetConnectionsPercentOfMax: 60 },
      backupRetentionDays: 1,
      statementTimeoutMs: 5_000,
      slowQueryThresholdMs: 500,
    },
    cache: { nodeType: 'cache.t4g.medium', replicas: 1, snapshotRetentionDays: 1 },
    edge: { requestsPerIpPer5Minutes: 2_000, maxRequestBodyBytes: 1_048_576 },
    domain: {
      zoneName: 'dev.example.com',
      apiDomainName: 'api.dev.example.com',
      hostedZoneId: 'Z00000000000000000DEV',
    },
    slo: SLO,
    workload: {
      ...WORKLOAD_DEFAULTS,
      replicas: { min: 2, max: 4 },
      auth: {
        jwksUrl: 'https://auth.dev.example.com/.well-known/jwks.json',
        issuer: 'https://auth.dev.example.com/',
      },
    },
    outboxRelay: OUTBOX_RELAY,
    compute: { nodeInstanceType: 'm7g.large', minNodes: 3, maxNodes: 6 },
    alarms: DEV_ALARM_THRESHOLDS,
    // Placeholders until a team owns an on-call rota: replace with the team's addresses or pager parameter.
    alerting: {
      page: [{ email: 'platform-oncall@dev.example.com' }],
      ticket: [{ email: 'platform-team@dev.example.com' }],
      heartbeatMissingMinutes: 15,
    },
    // Placeholders: the roles IAM Identity Center creates for the team's permission sets (`aws iam list-roles
    // --path-prefix /aws-reserved/sso.amazonaws.com/` lists them with their ARNs).
    access: {
      platformAdminRoleArn:
        'arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PlatformAdmin_0000000000000000',
      onCallRoleArn:
        'arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_OnCall_0000000000000000',
    },
    tags: { service: 'api-platform', env: 'dev', owner: 'platform-team', 'cost-center': 'cc-0000' },
  },
  prod: {
    envName: 'prod',
    platformName: 'api-platform',
    account: '222222222222',
    // Primary in Europe; us-east-1 and ap-southeast-2 serve reads near their users.
    primaryRegion: {
      region: 'eu-west-1',
      availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
      vpcCidr: '10.20.0.0/16',
      cloudFrontPrefixListId: CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS['eu-west-1'],
    },
    secondaryRegions: [
      {
        region: 'us-east-1',
        availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
        vpcCidr: '10.21.0.0/16',
        cloudFrontPrefixListId: CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS['us-east-1'],
      },
      {
        region: 'ap-southeast-2',
        availabilityZones: ['ap-southeast-2a', 'ap-southeast-2b', 'ap-southeast-2c'],
        vpcCidr: '10.22.0.0/16',
        cloudFrontPrefixListId: CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS['ap-southeast-2'],
      },
    ],
    natGatewaysPerRegion: 3,
    protectData: true,
    database: {
      instanceClass: 'r7g.xlarge',
      readers: 2,
      readerScaling: { maxReaders: 8, targetCpuPercent: 60, targetConnectionsPercentOfMax: 60 },
      backupRetentionDays: 35,
      statementTimeoutMs: 5_000,
      slowQueryThresholdMs: 500,
    },
    cache: { nodeType: 'cache.r7g.large', replicas: 2, snapshotRetentionDays: 7 },
    edge: { requestsPerIpPer5Minutes: 2_000, maxRequestBodyBytes: 1_048_576 },
    domain: {
      zoneName: 'example.com',
      apiDomainName: 'api.example.com',
      hostedZoneId: 'Z0000000000000000PROD',
    },
    slo: SLO,
    workload: {
      ...WORKLOAD_DEFAULTS,
      replicas: { min: 3, max: 30 },
      auth: {
        jwksUrl: 'https://auth.example.com/.well-known/jwks.json',
        issuer: 'https://auth.example.com/',
      },
    },
    // m7g.xlarge: 4 vCPU for up to 30 pods of 250m plus the add-ons over 3 zones.
    outboxRelay: OUTBOX_RELAY,
    compute: { nodeInstanceType: 'm7g.xlarge', minNodes: 3, maxNodes: 15 },
    alarms: PROD_ALARM_THRESHOLDS,
    alerting: {
      page: [{ httpsEndpointParameter: '/api-platform/prod/alerting/pager-url' }],
      ticket: [{ email: 'platform-team@example.com' }],
      heartbeatMissingMinutes: 15,
    },
    access: {
      platformAdminRoleArn:
        'arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PlatformAdmin_0000000000000000',
      onCallRoleArn:
        'arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_OnCall_0000000000000000',
    },
    tags: { service: 'api-platform', env: 'prod', owner: 'platform-team', 'cost-center': 'cc-0000' },
  },
};

const REQUIRED_TAGS = ['service', 'env', 'owner', 'cost-center'];

/** Every region of the environment, primary first. */
export function allRegions(config: PlatformConfig): readonly RegionConfig[] {
  return [config.primaryRegion, ...config.secondaryRegions];
}

/** Name of the Aurora global cluster, derived so every region computes the same value without a cross-region reference. */
export function globalClusterIdentifier(config: PlatformConfig): string {
  return `${config.platformName}-${config.envName}`;
}

/** Identifier of the Aurora cluster of one region, `<platformName>-<env>-<region>`: the stack names it, dashboards select it. */
export function regionalClusterIdentifier(config: PlatformConfig, region: RegionConfig): string {
  return `${config.platformName}-${config.envName}-${region.region}`;
}

/**
 * The region whose CloudWatch watches `region`'s Alertmanager heartbeat: the next region of the environment, the
 * last watched by the first, so a whole region lost is noticed from outside it. A single-region environment
 * watches itself (which still catches a lost cluster, not a lost region).
 */
export function heartbeatWatcherRegion(config: PlatformConfig, region: RegionConfig): RegionConfig {
  return neighbourRegion(config, region, 1);
}

/** The region `region`'s stack watches the heartbeat of: the one whose watcher it is. */
export function heartbeatWatchedRegion(config: PlatformConfig, region: RegionConfig): RegionConfig {
  return neighbourRegion(config, region, -1);
}

/** The region `step` places after `region` in the environment's list, wrapping around. */
function neighbourRegion(config: PlatformConfig, region: RegionConfig, step: 1 | -1): RegionConfig {
  const regions = allRegions(config);
  const index = regions.findIndex((candidate) => candidate.region === region.region);
  if (index < 0) throw new Error(`region '${region.region}' is not a region of '${config.envName}'`);
  return regions[(index + step + regions.length) % regions.length];
}

/** Name of the SNS topic, in the watcher region, that `region`'s Alertmanager publishes its heartbeat to. */
export function heartbeatTopicName(config: PlatformConfig, region: RegionConfig): string {
  return `${regionalClusterIdentifier(config, region)}-heartbeat`;
}

/** Name of the EKS cluster of every region, `<platformName>-<env>-api`: `aws eks update-kubeconfig --name` takes it. */
export function apiClusterName(config: PlatformConfig): string {
  return `${config.platformName}-${config.envName}-api`;
}

/** Name of the outbox relay's SQS queue in one region, `<platformName>-<env>-<region>-events`: the stack creates it, the chart derives its URL. */
export function eventQueueName(config: PlatformConfig, region: RegionConfig): string {
  return `${regionalClusterIdentifier(config, region)}-events`;
}

/** Id of the Valkey replication group of one region, `<platformName>-<env>-<region>`, like its Aurora cluster. */
export function cacheReplicationGroupId(config: PlatformConfig, region: RegionConfig): string {
  return regionalClusterIdentifier(config, region);
}

/** Ids of the configured replication group's nodes in one region, which CloudWatch reports by. */
export function cacheNodeIds(config: PlatformConfig, region: RegionConfig): string[] {
  return replicationGroupNodeIds(cacheReplicationGroupId(config, region), config.cache.replicas + 1);
}

/** Ids ElastiCache gives the nodes of a replication group: `<group>-001` is the first. */
export function replicationGroupNodeIds(replicationGroupId: string, nodeCount: number): string[] {
  return Array.from(
    { length: nodeCount },
    (_, i) => `${replicationGroupId}-${String(i + 1).padStart(3, '0')}`,
  );
}

/** Throws an error naming the environment and the field if the configuration cannot produce a working platform. */
export function validatePlatformConfig(config: PlatformConfig): void {
  const fail = (message: string): never => {
    throw new Error(`Platform config '${config.envName}': ${message}`);
  };
  if (!/^\d{12}$/.test(config.account)) {
    fail(`account '${config.account}' must be a 12-digit AWS account id`);
  }
  const regions = allRegions(config);
  const seen = new Set<string>();
  regions.forEach((region, index) => {
    const field = index === 0 ? 'primaryRegion' : `secondaryRegions[${index - 1}]`;
    if (seen.has(region.region)) {
      fail(`${field}.region '${region.region}' appears more than once`);
    }
    seen.add(region.region);
    if (region.availabilityZones.length !== 3) {
      fail(`${field}.availabilityZones must list 3 zones, got ${region.availabilityZones.length}`);
    }
    const foreign = region.availabilityZones.find((zone) => !zone.startsWith(region.region));
    if (foreign !== undefined) {
      fail(`${field}.availabilityZones: '${foreign}' is not in ${region.region}`);
    }
    parseIpv4Cidr(region.vpcCidr);
    if (!/^pl-[0-9a-f]{8,17}$/.test(region.cloudFrontPrefixListId)) {
      fail(
        `${field}.cloudFrontPrefixListId '${region.cloudFrontPrefixListId}' must be a prefix list id (pl-...)`,
      );
    }
    regions.slice(0, index).forEach((other) => {
      if (cidrsOverlap(region.vpcCidr, other.vpcCidr)) {
        fail(`${field}.vpcCidr ${region.vpcCidr} overlaps ${other.region} (${other.vpcCidr})`);
      }
    });
  });
  if (
    !Number.isInteger(config.natGatewaysPerRegion) ||
    config.natGatewaysPerRegion < 1 ||
    config.natGatewaysPerRegion > 3
  ) {
    fail(`natGatewaysPerRegion must be between 1 and 3, got ${config.natGatewaysPerRegion}`);
  }
  validateAccess(config, fail);
  if (config.database.readers < 0 || config.database.readers > 15) {
    fail(`database.readers must be between 0 and 15, got ${config.database.readers}`);
  }
  const { readerScaling } = config.database;
  // A secondary's writer slot is a reader too, so its floor is readers + 1.
  if (
    !Number.isInteger(readerScaling.maxReaders) ||
    readerScaling.maxReaders < config.database.readers + 1 ||
    readerScaling.maxReaders > 15
  ) {
    fail(
      `database.readerScaling.maxReaders must be an integer from readers + 1 (${config.database.readers + 1}) to 15, got ${readerScaling.maxReaders}`,
    );
  }
  for (const field of ['targetCpuPercent', 'targetConnectionsPercentOfMax'] as const) {
    if (!(readerScaling[field] > 0 && readerScaling[field] < 100)) {
      fail(
        `database.readerScaling.${field} must be between 0 and 100 (exclusive), got ${readerScaling[field]}`,
      );
    }
  }
  validateAlarmThresholds(config.alarms, fail);
  if (config.cache.replicas < 1 || config.cache.replicas > 5) {
    fail(
      `cache.replicas must be between 1 and 5 (automatic failover needs a replica), got ${config.cache.replicas}`,
    );
  }
  if (!Number.isInteger(config.edge.requestsPerIpPer5Minutes) || config.edge.requestsPerIpPer5Minutes < 100) {
    fail(
      `edge.requestsPerIpPer5Minutes must be an integer of at least 100, got ${config.edge.requestsPerIpPer5Minutes}`,
    );
  }
  if (!Number.isInteger(config.edge.maxRequestBodyBytes) || config.edge.maxRequestBodyBytes < 1024) {
    fail(
      `edge.maxRequestBodyBytes must be an integer of at least 1024, got ${config.edge.maxRequestBodyBytes}`,
    );
  }
  if (!/^Z[0-9A-Z]{1,31}$/.test(config.domain.hostedZoneId)) {
    fail(`domain.hostedZoneId '${config.domain.hostedZoneId}' must be a Route 53 hosted zone id (Z...)`);
  }
  if (!config.domain.apiDomainName.endsWith(`.${config.domain.zoneName}`)) {
    fail(
      `domain.apiDomainName '${config.domain.apiDomainName}' must be inside zoneName '${config.domain.zoneName}'`,
    );
  }
  const targets = [config.slo.availabilityTarget, ...config.slo.latency.map((objective) => objective.target)];
  if (targets.some((target) => !(target > 0 && target < 1))) {
    fail('slo targets must be fractions between 0 and 1 (exclusive)');
  }
  validateWorkload(config.workload, fail);
  if (config.database.statementTimeoutMs >= config.workload.requestTimeoutMs) {
    fail(
      `database.statementTimeoutMs (${config.database.statementTimeoutMs}) must be below workload.requestTimeoutMs (${config.workload.requestTimeoutMs})`,
    );
  }
  validateOutboxRelay(config.outboxRelay, config.workload, fail);
  const { compute } = config;
  if (!Number.isInteger(compute.minNodes) || compute.minNodes < 3 || compute.maxNodes < compute.minNodes) {
    // One node per zone at least, so the API's spread over the three zones is satisfiable.
    fail(`compute must have 3 <= minNodes <= maxNodes, got ${compute.minNodes}..${compute.maxNodes}`);
  }
  validateAlerting(config.alerting, fail);
  const missingTag = REQUIRED_TAGS.find((key) => !config.tags[key]);
  if (missingTag !== undefined) {
    fail(`tags must include '${missingTag}'`);
  }
}

function validateAlerting(alerting: AlertingConfig, fail: (message: string) => never): void {
  for (const severity of ['page', 'ticket'] as const) {
    // An alert with nobody subscribed is the failure this section exists to prevent.
    if (alerting[severity].length === 0) fail(`alerting.${severity} must name at least one subscriber`);
    alerting[severity].forEach((subscriber, index) => {
      if ('email' in subscriber && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(subscriber.email)) {
        fail(`alerting.${severity}[${index}].email '${subscriber.email}' is not an email address`);
      }
      if ('httpsEndpointParameter' in subscriber && !/^\/[\w./-]+$/.test(subscriber.httpsEndpointParameter)) {
        fail(
          `alerting.${severity}[${index}].httpsEndpointParameter '${subscriber.httpsEndpointParameter}' must be an SSM parameter name starting with /`,
        );
      }
    });
  }
  // SNS reports a topic's NumberOfMessagesPublished per 5 minutes: a shorter silence cannot be told apart.
  if (!Number.isInteger(alerting.heartbeatMissingMinutes) || alerting.heartbeatMissingMinutes < 10) {
    fail(
      `alerting.heartbeatMissingMinutes must be an integer of at least 10, got ${alerting.heartbeatMissingMinutes}`,
    );
  }
}

function validateWorkload(workload: WorkloadConfig, fail: (message: string) => never): void {
  const { replicas } = workload;
  if (
    !Number.isInteger(workload.containerPort) ||
    workload.containerPort < 1024 ||
    workload.containerPort > 65535
  ) {
    // A non-root container cannot bind a privileged port.
    fail(`workload.containerPort must be an integer from 1024 to 65535, got ${workload.containerPort}`);
  }
  if (workload.image.tag === '' || workload.image.tag === 'latest') {
    fail(`workload.image.tag must name a release, got '${workload.image.tag}'`);
  }
  if (!Number.isInteger(replicas.min) || replicas.min < 2 || replicas.max < replicas.min) {
    // Two pods at least, so a disruption budget can let a node drain while one pod still serves.
    fail(`workload.replicas must have 2 <= min <= max, got ${replicas.min}..${replicas.max}`);
  }
  if (!/^\d+(Mi|Gi)$/.test(workload.resources.memoryLimit)) {
    fail(`workload.resources.memoryLimit must be in Mi or Gi, got '${workload.resources.memoryLimit}'`);
  }
  if (!(workload.targetCpuUtilizationPercent > 0 && workload.targetCpuUtilizationPercent <= 100)) {
    fail(
      `workload.targetCpuUtilizationPercent must be in (0, 100], got ${workload.targetCpuUtilizationPercent}`,
    );
  }
  if (!(workload.targetRequestsPerSecondPerPod > 0)) {
    fail(
      `workload.targetRequestsPerSecondPerPod must be positive, got ${workload.targetRequestsPerSecondPerPod}`,
    );
  }
  if (workload.shutdownTimeoutMs < workload.requestTimeoutMs) {
    fail(
      `workload.shutdownTimeoutMs (${workload.shutdownTimeoutMs}) must be at least requestTimeoutMs (${workload.requestTimeoutMs})`,
    );
  }
}

function validateOutboxRelay(
  relay: OutboxRelayConfig,
  workload: WorkloadConfig,
  fail: (message: string) => never,
): void {
  if (!Number.isInteger(relay.replicas) || relay.replicas < 2) {
    // Two at least, so a node drain or a crash never leaves the outbox without a relay.
    fail(`outboxRelay.replicas must be an integer of at least 2, got ${relay.replicas}`);
  }
  if (!Number.isInteger(relay.healthPort) || relay.healthPort < 1024 || relay.healthPort > 65535) {
    fail(`outboxRelay.healthPort must be an integer from 1024 to 65535, got ${relay.healthPort}`);
  }
  if (relay.healthPort === workload.containerPort) {
    fail(`outboxRelay.healthPort must differ from workload.containerPort (${workload.containerPort})`);
  }
  if (!/^\d+(Mi|Gi)$/.test(relay.resources.memoryLimit)) {
    fail(`outboxRelay.resources.memoryLimit must be in Mi or Gi, got '${relay.resources.memoryLimit}'`);
  }
}

/** Returns the validated configuration of the named environment, or throws naming the unknown environment. */
export function loadPlatformConfig(envName: string = DEFAULT_ENVIRONMENT): PlatformConfig {
  if (!(ENVIRONMENT_NAMES as readonly string[]).includes(envName)) {
    throw new Error(
      `Unknown environment '${envName}': expected one of ${ENVIRONMENT_NAMES.join(', ')} (choose with -c env=<name>)`,
    );
  }
  const config = PLATFORM_CONFIGS[envName as EnvironmentName];
  validatePlatformConfig(config);
  return config;
}

/**
 * An IAM role ARN, path allowed: EKS access entries take the role's full ARN (Amazon EKS User Guide, "Create access
 * entries": an IAM role's ARN can include a path, unlike in the aws-auth ConfigMap).
 */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/** Throws unless each access role is a role of the environment's account, and no role has two access entries. */
function validateAccess(config: PlatformConfig, fail: (message: string) => never): void {
  for (const field of ['platformAdminRoleArn', 'onCallRoleArn'] as const) {
    const arn = config.access[field];
    const match = ROLE_ARN.exec(arn);
    if (match === null) {
      fail(`access.${field} '${arn}' must be an IAM role ARN (arn:aws:iam::<account>:role/<path/><name>)`);
    } else if (match[1] !== config.account) {
      fail(`access.${field} '${arn}' must be a role of account ${config.account}, got ${match[1]}`);
    }
  }
  // EKS: an IAM principal can't be included in more than one access entry.
  if (config.access.platformAdminRoleArn === config.access.onCallRoleArn) {
    fail('access.platformAdminRoleArn and access.onCallRoleArn must be different roles');
  }
}
