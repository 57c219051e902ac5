import { Duration, Names } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { keepOutboundClosed } from './keep-outbound-closed';

// RDS Proxy for PostgreSQL always listens on the engine's default port, whatever the cluster's port.
const POSTGRES_PORT = 5432;

/** Properties of a {@link DatabaseProxy}. */
export interface DatabaseProxyProps {
  /** Cluster whose writer the proxy fronts. */
  readonly cluster: rds.IDatabaseCluster;
  /** Secret with the credentials the proxy uses towards the database. */
  readonly secret: secretsmanager.ISecret;
  /** VPC to place the proxy in. */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets for the proxy's network interfaces.
   * @default - the isolated subnets of `vpc`
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** The only security group allowed to connect to the proxy (the service's). */
  readonly clientSecurityGroup: ec2.ISecurityGroup;
  /**
   * How long a client waits for a free database connection before its request fails.
   * @default Duration.seconds(5)
   */
  readonly borrowTimeout?: Duration;
  /**
   * Share of the database's max_connections the proxy may open, in percent.
   * @default 90
   */
  readonly maxConnectionsPercent?: number;
}

/**
 * RDS Proxy in front of the Aurora writer, with a read-only endpoint in front of the readers.
 *
 * Why: every pod of every replica keeps its own pg pool, so a scale-out or a rolling deploy multiplies
 * connections; the proxy multiplexes them onto a bounded set, and keeps clients connected during a
 * writer failover instead of letting each pool reconnect. Clients must use TLS and authenticate with the
 * credentials of the Secrets Manager secret (delivered to the pods by External Secrets): the service's pg
 * pools hold a static password. IAM tokens (15-minute lifetime) would need token refresh in every pool first.
 */
export class DatabaseProxy extends Construct {
  /** The proxy. */
  public readonly proxy: rds.DatabaseProxy;
  /** Host name for reads and writes (the writer). */
  public readonly endpoint: string;
  /** Host name for read-only queries (the readers). */
  public readonly readOnlyEndpoint: string;

  constructor(scope: Construct, id: string, props: DatabaseProxyProps) {
    super(scope, id);

    const maxConnectionsPercent = props.maxConnectionsPercent ?? 90;
    if (
      !Number.isInteger(maxConnectionsPercent) ||
      maxConnectionsPercent < 1 ||
      maxConnectionsPercent > 100
    ) {
      throw new Error(
        `maxConnectionsPercent must be an integer between 1 and 100, got ${maxConnectionsPercent}`,
      );
    }

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'RDS Proxy: PostgreSQL from the service only',
      allowAllOutbound: false,
    });
    keepOutboundClosed(securityGroup);

    const subnets = props.vpc.selectSubnets(
      props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    );
    this.proxy = new rds.DatabaseProxy(this, 'Proxy', {
      proxyTarget: rds.ProxyTarget.fromCluster(props.cluster),
      secrets: [props.secret],
      vpc: props.vpc,
      vpcSubnets: { subnets: subnets.subnets },
      securityGroups: [securityGroup],
      requireTLS: true,
      iamAuth: false,
      borrowTimeout: props.borrowTimeout ?? Duration.seconds(5),
      maxConnectionsPercent,
    });

    // Connections add the matching egress rule on the other side too, so both groups can stay closed outbound.
    securityGroup.connections.allowFrom(
      props.clientSecurityGroup,
      ec2.Port.tcp(POSTGRES_PORT),
      'PostgreSQL from the service',
    );
    props.cluster.connections.allowDefaultPortFrom(securityGroup, 'PostgreSQL from RDS Proxy');
    const readOnly = new rds.CfnDBProxyEndpoint(this, 'ReadOnlyEndpoint', {
      dbProxyName: this.proxy.dbProxyName,
      dbProxyEndpointName: Names.uniqueResourceName(this, { maxLength: 60, separator: '-' }).toLowerCase(),
      targetRole: 'READ_ONLY',
      vpcSubnetIds: subnets.subnetIds,
      vpcSecurityGroupIds: [securityGroup.securityGroupId],
    });
    this.endpoint = this.proxy.endpoint;
    this.readOnlyEndpoint = readOnly.attrEndpoint;
  }
}
