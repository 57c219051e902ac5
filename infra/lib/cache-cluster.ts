import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Properties of a {@link CacheCluster}. */
export interface CacheClusterProps {
  /** VPC to place the cache in. */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets for the cache nodes, one per availability zone at least.
   * @default - the isolated subnets of `vpc`
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** The only security group allowed to connect (the service's). */
  readonly clientSecurityGroup: ec2.ISecurityGroup;
  /** Node type, for example `cache.r7g.large`. */
  readonly nodeType: string;
  /**
   * Replication group id (1 to 40 lowercase letters, digits and single hyphens, starting with a letter).
   * @default - CloudFormation generates one
   */
  readonly replicationGroupId?: string;
  /**
   * Replicas of the primary node; at least 1, since automatic failover needs one.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Valkey engine version.
   * @default '8.0'
   */
  readonly engineVersion?: string;
  /**
   * Days of daily snapshots kept.
   * @default 7
   */
  readonly snapshotRetentionDays?: number;
  /**
   * What happens to the key, token secret and logs when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Valkey's default port; the client security group is admitted on this port only. */
const VALKEY_PORT = 6379;

/**
 * An ElastiCache Valkey replication group: one shard with replicas over the availability zones, automatic
 * failover, TLS required in transit, encryption at rest with a customer key, and an AUTH token kept in
 * Secrets Manager. Only the client security group can reach it.
 */
export class CacheCluster extends Construct {
  /** The replication group. */
  public readonly replicationGroup: elasticache.CfnReplicationGroup;
  /** Secret holding the AUTH token clients present. */
  public readonly authToken: secretsmanager.ISecret;
  /** Customer managed key encrypting data at rest and the token secret. */
  public readonly encryptionKey: kms.IKey;
  /** Security group of the nodes. */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** Port clients connect to. */
  public readonly port: number = VALKEY_PORT;

  constructor(scope: Construct, id: string, props: CacheClusterProps) {
    super(scope, id);

    const replicas = props.replicas ?? 2;
    if (!Number.isInteger(replicas) || replicas < 1 || replicas > 5) {
      throw new Error(
        `replicas must be an integer between 1 and 5 (automatic failover needs a replica), got ${replicas}`,
      );
    }
    const snapshotRetentionDays = props.snapshotRetentionDays ?? 7;
    if (!Number.isInteger(snapshotRetentionDays) || snapshotRetentionDays < 1 || snapshotRetentionDays > 35) {
      throw new Error(
        `snapshotRetentionDays must be an integer between 1 and 35, got ${snapshotRetentionDays}`,
      );
    }
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.encryptionKey = new kms.Key(this, 'Key', {
      description: 'ElastiCache Valkey: data at rest and AUTH token',
      enableKeyRotation: true,
      removalPolicy,
    });

    const authToken = new secretsmanager.Secret(this, 'AuthToken', {
      description: 'AUTH token of the Valkey replication group',
      encryptionKey: this.encryptionKey,
      // ElastiCache tokens: 16-128 printable characters without '@', '"' or '/'; letters and digits are safe.
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    Validations.of(authToken).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'An ElastiCache AUTH token changes only through ModifyReplicationGroup (AuthTokenUpdateStrategy ROTATE/SET), which no Secrets Manager managed rotation performs; rotation is a manual, documented step until a rotation function exists.',
    });
    this.authToken = authToken;

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'ElastiCache Valkey: from the service only',
      allowAllOutbound: false,
    });
    // Connections add the matching egress rule on the client group too when it is closed outbound.
    securityGroup.connections.allowFrom(
      props.clientSecurityGroup,
      ec2.Port.tcp(VALKEY_PORT),
      'Valkey from the service',
    );
    this.securityGroup = securityGroup;

    const subnets = props.vpc.selectSubnets(
      props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    );
    const subnetGroup = new elasticache.CfnSubnetGroup(this, 'Subnets', {
      description: 'Subnets of the Valkey replication group',
      subnetIds: subnets.subnetIds,
    });

    const slowLog = new logs.LogGroup(this, 'SlowLog', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy,
    });

    if (
      props.replicationGroupId !== undefined &&
      !/^[a-z](?!.*--)[a-z0-9-]{0,38}[a-z0-9]$/.test(props.replicationGroupId)
    ) {
      throw new Error(
        `CacheCluster: replicationGroupId '${props.replicationGroupId}' must be 2 to 40 lowercase letters, digits and single hyphens, starting with a letter`,
      );
    }
    this.replicationGroup = new elasticache.CfnReplicationGroup(this, 'ReplicationGroup', {
      replicationGroupId: props.replicationGroupId,
      replicationGroupDescription: 'Valkey cache of the API service',
      engine: 'valkey',
      engineVersion: props.engineVersion ?? '8.0',
      cacheNodeType: props.nodeType,
      numCacheClusters: replicas + 1,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      port: VALKEY_PORT,
      cacheSubnetGroupName: subnetGroup.ref,
      securityGroupIds: [securityGroup.securityGroupId],
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      atRestEncryptionEnabled: true,
      kmsKeyId: this.encryptionKey.keyArn,
      // Renders a {{resolve:secretsmanager:...}} reference: CloudFormation reads the token, the template never holds it.
      authToken: authToken.secretValue.unsafeUnwrap(),
      snapshotRetentionLimit: snapshotRetentionDays,
      autoMinorVersionUpgrade: true,
      logDeliveryConfigurations: [
        {
          destinationType: 'cloudwatch-logs',
          destinationDetails: { cloudWatchLogsDetails: { logGroup: slowLog.logGroupName } },
          logFormat: 'json',
          logType: 'slow-log',
        },
      ],
    });
    this.replicationGroup.applyRemovalPolicy(
      removalPolicy === RemovalPolicy.DESTROY ? removalPolicy : RemovalPolicy.SNAPSHOT,
    );
  }
}
