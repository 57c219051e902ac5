import * as path from 'node:path';
import { ArnFormat, Duration, RemovalPolicy, Stack, StackProps, Tags, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cdk8s from 'cdk8s';
import { Construct } from 'constructs';
import { API_WORKLOAD } from '../../../dashboards/slo/api-workload';
import { apiSlos } from '../../../dashboards/slo/slo-definition';
import { ApiChart } from '../../../k8s/charts/api-chart';
import { DATA_CLIENT_POD_LABELS } from '../../../k8s/lib/api-labels';
import { CLUSTER_ADDONS } from '../../../k8s/lib/cluster-addons';
import {
  apiClusterName,
  cacheReplicationGroupId,
  eventQueueName,
  globalClusterIdentifier,
  heartbeatTopicName,
  heartbeatWatchedRegion,
  heartbeatWatcherRegion,
  PlatformConfig,
  RegionConfig,
  regionalClusterIdentifier,
} from '../../config/platform-config';
import { AlertTopics } from '../alert-topics';
import { alertmanagerConfig } from '../alertmanager-config';
import { AlertmanagerHeartbeat } from '../alertmanager-heartbeat';
import { deregistrationDelaySeconds } from '../../../k8s/lib/workload-sizing';
import { WORKLOAD_ROLES } from '../../../service/src/db/workload-roles';
import { READINESS_PATH } from '../../../service/src/probe-paths';
import { latencyOriginName, regionalOriginName } from '../../config/api-domain-names';
import { ApiCluster } from '../api-cluster';
import { ClusterAccess } from '../cluster-access';
import { ON_CALL_GROUP } from '../../../k8s/constructs/on-call-role';
import { auroraDefaultMaxConnections } from '../aurora-instance-memory';
import { AuroraGlobalDatabase, GlobalClusterRole } from '../aurora-global-database';
import { CacheAlarms } from '../cache-alarms';
import { CacheCluster } from '../cache-cluster';
import { DatabaseAlarms } from '../database-alarms';
import { DatabaseProxy } from '../database-proxy';
import { EventSink } from '../event-sink';
import { ReaderAutoScaling } from '../reader-auto-scaling';
import { LoadBalancerController } from '../load-balancer-controller';
import { RegionalIngress } from '../regional-ingress';
import { RegionalNetwork } from '../regional-network';

/** The repository root: the service image's build context (limited by the root `.dockerignore`). */
const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Name of the Aurora master secret, the same in the primary and in its replica in every secondary region. */
function databaseSecretName(config: PlatformConfig): string {
  return `${config.platformName}/${config.envName}/database`;
}

/** Properties of a {@link RegionalPlatformStack}; its `env` is always derived from the configuration. */
export interface RegionalPlatformStackProps extends Omit<StackProps, 'env'> {
  /** Configuration of the environment being built. */
  readonly config: PlatformConfig;
  /** The region this stack builds; the primary region of `config` gets the writer. */
  readonly region: RegionConfig;
}

/**
 * Network, database, cache and the API's EKS cluster of one region. The primary region creates the Aurora
 * global cluster and an RDS Proxy in front of the writer; a secondary region joins the global cluster with
 * write forwarding. Every region runs the API chart on its own cluster against its local endpoints.
 */
export class RegionalPlatformStack extends Stack {
  /** Whether this region holds the writer. */
  public readonly role: GlobalClusterRole;
  /** The region's VPC and endpoints. */
  public readonly network: RegionalNetwork;
  /** Security group the service's pods use: the only client admitted by the proxy, database and cache. */
  public readonly serviceSecurityGroup: ec2.ISecurityGroup;
  /** The region's Aurora cluster. */
  public readonly database: AuroraGlobalDatabase;
  /** RDS Proxy in front of the writer, in the primary region only. */
  public readonly databaseProxy?: DatabaseProxy;
  /** The region's Valkey cache. */
  public readonly cache: CacheCluster;
  /** The service image, built from `service/Dockerfile` and pushed to the bootstrap repository at deploy. */
  public readonly apiImage: ecrAssets.DockerImageAsset;
  /** The region's EKS cluster running the API chart. */
  public readonly apiCluster: ApiCluster;
  /** Aurora Auto Scaling of the region's readers. */
  public readonly readerScaling: ReaderAutoScaling;
  /** The queue the outbox relay publishes to; the relay's role may send to it and nothing else. */
  public readonly eventSink: EventSink;
  /** Role of the outbox relay's service account (IRSA): it may publish to the event queue, nothing else. */
  public readonly relayServiceAccountRole: iam.IRole;
  /** The region's `page` and `ticket` topics: its CloudWatch alarms and its Alertmanager notify them. */
  public readonly alertTopics: AlertTopics;
  /** The dead man's switch of the previous region's Alertmanager (of this one's, in a single-region environment). */
  public readonly watchedHeartbeat: AlertmanagerHeartbeat;
  /** The region's load balancer, target group and DNS records, in front of the API pods. */
  public readonly ingress: RegionalIngress;
  private readonly zones: readonly string[];

  constructor(scope: Construct, id: string, props: RegionalPlatformStackProps) {
    const { config, region } = props;
    super(scope, id, { ...props, env: { account: config.account, region: region.region } });

    const isPrimary = region.region === config.primaryRegion.region;
    if (!isPrimary && !config.secondaryRegions.some((secondary) => secondary.region === region.region)) {
      throw new Error(`region '${region.region}' is not a region of platform config '${config.envName}'`);
    }
    this.role = isPrimary ? 'primary' : 'secondary';
    this.zones = region.availabilityZones;
    const prefix = `${config.platformName}-${config.envName}`;
    // Data survives a stack deletion only where the configuration protects it (prod).
    const removalPolicy = config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    for (const [key, value] of Object.entries(config.tags)) {
      Tags.of(this).add(key, value);
    }

    this.network = new RegionalNetwork(this, 'Network', {
      availabilityZones: region.availabilityZones,
      cidr: region.vpcCidr,
      natGateways: config.natGatewaysPerRegion,
      removalPolicy,
    });
    const vpc = this.network.vpc;

    this.serviceSecurityGroup = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', {
      vpc,
      description: `${prefix} API service pods: the only client of the database and cache`,
      allowAllOutbound: true,
    });

    this.database = new AuroraGlobalDatabase(this, 'Database', {
      role: this.role,
      globalClusterIdentifier: globalClusterIdentifier(config),
      clusterIdentifier: regionalClusterIdentifier(config, region),
      vpc,
      instanceType: new ec2.InstanceType(config.database.instanceClass),
      readers: config.database.readers,
      backupRetention: Duration.days(config.database.backupRetentionDays),
      statementTimeout: Duration.millis(config.database.statementTimeoutMs),
      slowQueryThreshold: Duration.millis(config.database.slowQueryThresholdMs),
      deletionProtection: config.protectData,
      removalPolicy: config.protectData ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
      secretsManagerEndpoint: isPrimary ? this.network.secretsManagerEndpoint : undefined,
      // Replicated by a known name: each secondary's service reads the credentials in its own region.
      secretName: isPrimary ? databaseSecretName(config) : undefined,
      secretReplicaRegions: isPrimary
        ? config.secondaryRegions.map((secondary) => secondary.region)
        : undefined,
      logRetention: config.protectData ? logs.RetentionDays.ONE_YEAR : logs.RetentionDays.ONE_WEEK,
    });
    if (!config.protectData) {
      Validations.of(this.database.cluster).acknowledge({
        id: 'AwsSolutions-RDS10',
        reason: `Environment '${config.envName}' has protectData=false in the platform config: its data is disposable and 'cdk destroy' must succeed; prod sets protectData=true and its deletion protection is asserted in tests.`,
      });
    }

    if (this.database.secret !== undefined) {
      // The API and the relay write and read through the proxy, signing in as their own roles with IAM tokens.
      this.databaseProxy = new DatabaseProxy(this, 'DatabaseProxy', {
        cluster: this.database.cluster,
        databaseUsers: Object.values(WORKLOAD_ROLES),
        vpc,
        clientSecurityGroup: this.serviceSecurityGroup,
      });
    }
    // The migration Job signs in to the cluster itself with the master user, in every region: in a secondary it
    // finds a replica and does nothing. A secondary's API and relay use the local reader endpoint too (writes are
    // forwarded), signing in with IAM tokens.
    this.database.cluster.connections.allowDefaultPortFrom(
      this.serviceSecurityGroup,
      'PostgreSQL from the service pods (the migration Job; in a secondary, the API and relay)',
    );

    this.cache = new CacheCluster(this, 'Cache', {
      // Named, not generated: the data-tier dashboard selects its CloudWatch metrics by this id.
      replicationGroupId: cacheReplicationGroupId(config, region),
      vpc,
      clientSecurityGroup: this.serviceSecurityGroup,
      nodeType: config.cache.nodeType,
      replicas: config.cache.replicas,
      snapshotRetentionDays: config.cache.snapshotRetentionDays,
      removalPolicy,
    });

    // Graviton nodes, so the image is built for arm64; the root .dockerignore keeps the staged context small.
    this.apiImage = new ecrAssets.DockerImageAsset(this, 'ApiImage', {
      directory: REPOSITORY_ROOT,
      file: 'service/Dockerfile',
      platform: ecrAssets.Platform.LINUX_ARM64,
    });

    // Every CloudWatch alarm and every Prometheus alert of the region reaches a person through these topics.
    const alarmNamePrefix = `${prefix}-${region.region}`;
    this.alertTopics = new AlertTopics(this, 'AlertTopics', {
      namePrefix: alarmNamePrefix,
      subscribers: { page: config.alerting.page, ticket: config.alerting.ticket },
      removalPolicy,
    });
    // The Watchdog heartbeat goes to the next region, which pages if it stops: a lost region is noticed outside it.
    const heartbeatRegion = heartbeatWatcherRegion(config, region).region;
    const heartbeatTopicArn = this.formatArn({
      service: 'sns',
      region: heartbeatRegion,
      resource: heartbeatTopicName(config, region),
      arnFormat: ArnFormat.NO_RESOURCE_NAME,
    });

    const databaseSecret =
      this.database.secret ??
      secretsmanager.Secret.fromSecretNameV2(this, 'DatabaseSecretReplica', databaseSecretName(config));
    this.apiCluster = new ApiCluster(this, 'ApiCluster', {
      vpc,
      serviceSecurityGroup: this.serviceSecurityGroup,
      servicePort: config.workload.containerPort,
      podSelectorLabels: DATA_CLIENT_POD_LABELS,
      serviceAccount: { namespace: API_WORKLOAD.namespace, name: API_WORKLOAD.name },
      readableSecrets: [databaseSecret, this.cache.authToken],
      clusterSecretStoreName: CLUSTER_ADDONS.clusterSecretStoreName,
      alertmanagerConfig: alertmanagerConfig({
        region: region.region,
        topicArns: { page: this.alertTopics.page.topicArn, ticket: this.alertTopics.ticket.topicArn },
        heartbeatTopicArn,
        heartbeatRegion,
      }),
      slos: apiSlos(config),
      clusterName: apiClusterName(config),
      nodeInstanceType: new ec2.InstanceType(config.compute.nodeInstanceType),
      minNodes: config.compute.minNodes,
      maxNodes: config.compute.maxNodes,
      removalPolicy,
    });

    this.alertTopics.page.grantPublish(this.apiCluster.alertmanagerRole);
    this.alertTopics.ticket.grantPublish(this.apiCluster.alertmanagerRole);
    Validations.of(this.apiCluster.alertmanagerRole).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason:
        "Publishing to a topic encrypted with a customer key needs kms:GenerateDataKey* on that key (SNS Developer Guide, 'Key management'); the grant names the region's alert-topics key only (Topic.grantPublish).",
    });
    // The heartbeat topic uses SNS's AWS managed key, which any principal of the account may use through SNS.
    this.apiCluster.alertmanagerRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [heartbeatTopicArn] }),
    );
    const watched = heartbeatWatchedRegion(config, region);
    this.watchedHeartbeat = new AlertmanagerHeartbeat(this, 'WatchedAlertmanagerHeartbeat', {
      topicName: heartbeatTopicName(config, watched),
      watchedRegion: watched.region,
      missingMinutes: config.alerting.heartbeatMissingMinutes,
      alarmTopics: this.alertTopics,
      alarmNamePrefix: `${prefix}-${watched.region}`,
    });

    // The platform admin and the on-call reach the private endpoint from a CloudShell VPC environment.
    new ClusterAccess(this, 'ClusterAccess', {
      cluster: this.apiCluster.cluster,
      vpc,
      platformAdminRoleArn: config.access.platformAdminRoleArn,
      onCallRoleArn: config.access.onCallRoleArn,
      onCallGroup: ON_CALL_GROUP,
    });

    // The ALB and its target group are created here, so CloudFront and Route 53 can name them at synth;
    // the pods join the target group through the chart's TargetGroupBinding.
    this.ingress = new RegionalIngress(this, 'Ingress', {
      vpc,
      serviceSecurityGroup: this.serviceSecurityGroup,
      servicePort: config.workload.containerPort,
      healthCheckPath: READINESS_PATH,
      deregistrationDelay: Duration.seconds(deregistrationDelaySeconds(config.workload)),
      cloudFrontPrefixListId: region.cloudFrontPrefixListId,
      hostedZone: route53.PublicHostedZone.fromHostedZoneAttributes(this, 'HostedZone', {
        hostedZoneId: config.domain.hostedZoneId,
        zoneName: config.domain.zoneName,
      }),
      originDomainName: regionalOriginName(config, region),
      latencyDomainName: latencyOriginName(config),
      alarmTopics: this.alertTopics,
      alarmNamePrefix,
    });
    const loadBalancerController = new LoadBalancerController(this, 'LoadBalancerController', {
      cluster: this.apiCluster.cluster,
      targetGroups: [this.ingress.targetGroup],
    });

    // The relay's pods run as their own service account, whose role may publish events and do nothing else; the
    // API's role (secrets) cannot publish.
    const relayServiceAccount = { namespace: API_WORKLOAD.namespace, name: API_WORKLOAD.relayName };
    this.relayServiceAccountRole = this.apiCluster.addServiceAccountRole(
      'RelayServiceAccount',
      relayServiceAccount,
      `Outbox relay pods (${relayServiceAccount.namespace}/${relayServiceAccount.name}): publish to the event queue`,
    );
    this.eventSink = new EventSink(this, 'EventSink', {
      queueName: eventQueueName(config, region),
      publishers: [this.relayServiceAccountRole],
      removalPolicy,
    });

    // Each workload signs in to the database as its own role, with IAM tokens only its pods' role may mint:
    // through the proxy in the primary, to the cluster itself in a secondary.
    const grantDatabaseLogin = (grantee: iam.IGrantable, databaseUser: string) =>
      this.databaseProxy
        ? this.databaseProxy.grantConnect(grantee, databaseUser)
        : this.database.cluster.grantConnect(grantee, databaseUser);
    grantDatabaseLogin(this.apiCluster.serviceAccountRole, WORKLOAD_ROLES.api);
    grantDatabaseLogin(this.relayServiceAccountRole, WORKLOAD_ROLES.relay);

    // Writes and primary-region reads through the proxy. A secondary writes through its local reader endpoint:
    // AWS says to connect to the reader endpoint of a secondary cluster with write forwarding on, since a
    // secondary has no writer ("Connecting to Amazon Aurora Global Database", Aurora User Guide).
    const writerHost = this.databaseProxy?.endpoint ?? this.database.cluster.clusterReadEndpoint.hostname;
    const readerHost =
      this.databaseProxy?.readOnlyEndpoint ?? this.database.cluster.clusterReadEndpoint.hostname;
    // The migration Job signs in to the cluster itself as the master user (the proxy admits IAM tokens only):
    // the writer in the primary; in a secondary a reader, where it finds a replica and does nothing.
    const migrationHost = isPrimary
      ? this.database.cluster.clusterEndpoint.hostname
      : this.database.cluster.clusterReadEndpoint.hostname;
    // A separate cdk8s app: the chart is rendered to a manifest that the cluster's kubectl provider applies.
    const chart = new ApiChart(new cdk8s.App(), 'api', {
      config,
      region,
      secretSources: {
        databaseSecret: databaseSecretName(config),
        cacheAuthTokenSecret: this.cache.authToken.secretArn,
        databaseWriterHost: writerHost,
        databaseReaderHost: readerHost,
        databaseMigrationHost: migrationHost,
        cacheHost: this.cache.replicationGroup.attrPrimaryEndPointAddress,
      },
      serviceAccountRoleArn: this.apiCluster.serviceAccountRole.roleArn,
      relayServiceAccountRoleArn: this.relayServiceAccountRole.roleArn,
      eventQueueUrl: this.eventSink.queue.queueUrl,
      image: `${this.apiImage.repository.repositoryUri}:${this.apiImage.imageTag}`,
      targetGroupArn: this.ingress.targetGroup.targetGroupArn,
    });
    const apiManifest = this.apiCluster.addApiChart('Api', chart);
    // The TargetGroupBinding CRD and its webhook come with the controller.
    apiManifest.node.addDependency(loadBalancerController);

    const instanceType = new ec2.InstanceType(config.database.instanceClass);
    const { readerScaling } = config.database;
    this.readerScaling = new ReaderAutoScaling(this, 'DatabaseReaderScaling', {
      cluster: this.database.cluster,
      // Every instance of a secondary is an Aurora Replica, its writer slot included.
      minReaders: config.database.readers + (isPrimary ? 0 : 1),
      maxReaders: readerScaling.maxReaders,
      targetCpuPercent: readerScaling.targetCpuPercent,
      targetConnectionsPerReader: Math.floor(
        (auroraDefaultMaxConnections(instanceType) * readerScaling.targetConnectionsPercentOfMax) / 100,
      ),
    });

    new DatabaseAlarms(this, 'DatabaseAlarms', {
      cluster: this.database.cluster,
      role: this.role,
      sourceRegion: isPrimary ? undefined : config.primaryRegion.region,
      instanceType,
      hasReplicas: isPrimary && config.database.readers > 0,
      thresholds: config.alarms.database,
      alarmTopics: this.alertTopics,
      alarmNamePrefix,
    });
    new CacheAlarms(this, 'CacheAlarms', {
      replicationGroup: this.cache.replicationGroup,
      thresholds: config.alarms.cache,
      alarmTopics: this.alertTopics,
      alarmNamePrefix,
    });
  }

  /** The configured zones: without this override the VPC asks the account for them, which needs credentials. */
  public override get availabilityZones(): string[] {
    return [...this.zones];
  }
}
