import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Part a regional cluster plays in the Global Database. */
export type GlobalClusterRole = 'primary' | 'secondary';

/** Properties of an {@link AuroraGlobalDatabase}. */
export interface AuroraGlobalDatabaseProps {
  /** Whether this region creates the global cluster and holds the writer, or joins it read-only. */
  readonly role: GlobalClusterRole;
  /** Name of the global cluster, the same in every region so no cross-region reference is needed. */
  readonly globalClusterIdentifier: string;
  /** Name of this region's cluster; also names its PostgreSQL log group. */
  readonly clusterIdentifier: string;
  /** VPC to place the cluster in. */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets for the instances.
   * @default - the isolated subnets of `vpc`
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** Class of every instance (writer and readers). */
  readonly instanceType: ec2.InstanceType;
  /**
   * Reader instances besides the writer; in a secondary region the writer slot is a reader too until promotion.
   * @default 1
   */
  readonly readers?: number;
  /**
   * Aurora PostgreSQL version; must be the same in every region of the global cluster.
   * @default rds.AuroraPostgresEngineVersion.VER_17_9
   */
  readonly engineVersion?: rds.AuroraPostgresEngineVersion;
  /**
   * How long automated backups are kept.
   * @default Duration.days(7)
   */
  readonly backupRetention?: Duration;
  /**
   * Server-side limit on a statement's run time (`statement_timeout`).
   * @default Duration.seconds(30)
   */
  readonly statementTimeout?: Duration;
  /**
   * Statements slower than this are logged (`log_min_duration_statement`).
   * @default Duration.millis(500)
   */
  readonly slowQueryThreshold?: Duration;
  /**
   * Whether the clusters refuse deletion.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * What happens to the cluster when it leaves the stack; its key and logs are retained unless this is DESTROY.
   * @default RemovalPolicy.SNAPSHOT
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * How often the master password is rotated (primary only: secondaries take credentials from the primary).
   * @default Duration.days(30)
   */
  readonly secretRotation?: Duration;
  /**
   * Secrets Manager endpoint the rotation function calls.
   * @default - the rotation function resolves Secrets Manager through the VPC's DNS
   */
  readonly secretsManagerEndpoint?: ec2.IInterfaceVpcEndpoint;
  /**
   * How long PostgreSQL logs are kept in CloudWatch Logs.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

const IDENTIFIER_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * One region's part of an Aurora PostgreSQL Global Database.
 *
 * The primary creates the global cluster and a writer with readers; a secondary joins it with readers only
 * and forwards writes to the primary (global write forwarding), so the service in every region uses its
 * local endpoints. The alternative, sending writes across regions from the service, would need every
 * service to know the primary region and to be reconfigured on failover; forwarding keeps that in Aurora.
 */
export class AuroraGlobalDatabase extends Construct {
  /** This region's cluster. */
  public readonly cluster: rds.DatabaseCluster;
  /** Customer managed key encrypting storage, Performance Insights and (primary) the master secret. */
  public readonly encryptionKey: kms.IKey;
  /** Master credentials; only the primary has them, secondaries inherit them. */
  public readonly secret?: secretsmanager.ISecret;
  /** Name of the global cluster this cluster belongs to. */
  public readonly globalClusterIdentifier: string;

  constructor(scope: Construct, id: string, props: AuroraGlobalDatabaseProps) {
    super(scope, id);

    const readers = props.readers ?? 1;
    const engineVersion = props.engineVersion ?? rds.AuroraPostgresEngineVersion.VER_17_9;
    const statementTimeout = props.statementTimeout ?? Duration.seconds(30);
    const slowQueryThreshold = props.slowQueryThreshold ?? Duration.millis(500);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.SNAPSHOT;
    const deletionProtection = props.deletionProtection ?? true;
    // A snapshot is encrypted with the key and the logs outlive the cluster: keep both unless all is disposable.
    const dependentRemovalPolicy =
      removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    validateProps(props, readers, statementTimeout, slowQueryThreshold);

    const engine = rds.DatabaseClusterEngine.auroraPostgres({ version: engineVersion });
    const isPrimary = props.role === 'primary';

    this.encryptionKey = new kms.Key(this, 'Key', {
      description: `Aurora ${props.clusterIdentifier}: storage, Performance Insights and credentials`,
      enableKeyRotation: true,
      removalPolicy: dependentRemovalPolicy,
    });

    const parameterGroup = new rds.ParameterGroup(this, 'ParameterGroup', {
      engine,
      description: `Aurora ${props.clusterIdentifier}: timeouts, slow-query logging and TLS`,
      parameters: {
        statement_timeout: String(statementTimeout.toMilliseconds()),
        log_min_duration_statement: String(slowQueryThreshold.toMilliseconds()),
        'rds.force_ssl': '1',
      },
    });

    // Created here rather than by RDS so that it has a retention and is removed with the stack in dev.
    const logGroup = new logs.LogGroup(this, 'PostgresLogs', {
      logGroupName: `/aws/rds/cluster/${props.clusterIdentifier}/postgresql`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: dependentRemovalPolicy,
    });

    const instanceProps = {
      instanceType: props.instanceType,
      publiclyAccessible: false,
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: this.encryptionKey,
    };
    this.cluster = new rds.DatabaseCluster(this, 'Cluster', {
      engine,
      clusterIdentifier: props.clusterIdentifier,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      writer: rds.ClusterInstance.provisioned('Writer', instanceProps),
      readers: Array.from({ length: readers }, (_, index) =>
        rds.ClusterInstance.provisioned(`Reader${index + 1}`, instanceProps),
      ),
      // Only the primary owns a master secret. On a secondary, manageMasterUserPassword merely stops the L2 from
      // generating an unused secret; the property is deleted again below.
      credentials: isPrimary
        ? rds.Credentials.fromGeneratedSecret('postgres', { encryptionKey: this.encryptionKey })
        : undefined,
      manageMasterUserPassword: isPrimary ? undefined : true,
      storageEncrypted: true,
      storageEncryptionKey: this.encryptionKey,
      iamAuthentication: true,
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: this.encryptionKey,
      parameterGroup,
      cloudwatchLogsExports: ['postgresql'],
      backup: { retention: props.backupRetention ?? Duration.days(7) },
      copyTagsToSnapshot: true,
      deletionProtection,
      removalPolicy,
    });
    this.cluster.node.addDependency(logGroup);

    const cfnCluster = this.cluster.node.defaultChild as rds.CfnDBCluster;
    if (isPrimary) {
      const globalCluster = new rds.CfnGlobalCluster(this, 'GlobalCluster', {
        globalClusterIdentifier: props.globalClusterIdentifier,
        engine: 'aurora-postgresql',
        engineVersion: engineVersion.auroraPostgresFullVersion,
        storageEncrypted: true,
        deletionProtection,
      });
      globalCluster.applyRemovalPolicy(dependentRemovalPolicy);
      cfnCluster.globalClusterIdentifier = globalCluster.ref;
      this.secret = this.cluster.secret;
      this.cluster.addRotationSingleUser({
        automaticallyAfter: props.secretRotation ?? Duration.days(30),
        endpoint: props.secretsManagerEndpoint,
      });
    } else {
      cfnCluster.globalClusterIdentifier = props.globalClusterIdentifier;
      cfnCluster.enableGlobalWriteForwarding = true;
      // The L2 always renders a master user; a secondary cluster must have none (it inherits the primary's).
      cfnCluster.addPropertyDeletionOverride('MasterUsername');
      cfnCluster.addPropertyDeletionOverride('ManageMasterUserPassword');
    }
    this.globalClusterIdentifier = props.globalClusterIdentifier;
  }
}

function validateProps(
  props: AuroraGlobalDatabaseProps,
  readers: number,
  statementTimeout: Duration,
  slowQueryThreshold: Duration,
): void {
  if (!Number.isInteger(readers) || readers < 0 || readers > 15) {
    throw new Error(`readers must be an integer between 0 and 15, got ${readers}`);
  }
  for (const [name, value] of [
    ['clusterIdentifier', props.clusterIdentifier],
    ['globalClusterIdentifier', props.globalClusterIdentifier],
  ]) {
    if (!IDENTIFIER_PATTERN.test(value)) {
      throw new Error(
        `${name} '${value}' must be 1-63 lowercase letters, digits or hyphens, starting with a letter`,
      );
    }
  }
  if (slowQueryThreshold.toMilliseconds() >= statementTimeout.toMilliseconds()) {
    throw new Error(
      'slowQueryThreshold must be shorter than statementTimeout, or no slow query is ever logged',
    );
  }
  if (props.role === 'secondary' && props.secretRotation !== undefined) {
    throw new Error(
      'secretRotation applies to the primary only: a secondary cluster has no secret of its own',
    );
  }
}
