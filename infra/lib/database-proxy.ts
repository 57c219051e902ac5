import { Duration, Names } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { keepOutboundClosed } from './keep-outbound-closed';

// RDS Proxy for PostgreSQL always listens on the engine's default port, whatever the cluster's port.
const POSTGRES_PORT = 5432;

/** Properties of a {@link DatabaseProxy}. */
export interface DatabaseProxyProps {
  /** Cluster whose writer the proxy fronts; its IAM database authentication must be on. */
  readonly cluster: rds.IDatabaseCluster;
  /** Database users clients sign in as through the proxy, with IAM tokens; the proxy signs in as them too. */
  readonly databaseUsers: readonly string[];
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
 * writer failover instead of letting each pool reconnect. Clients must use TLS and sign in with IAM tokens as
 * one of `databaseUsers`, and the proxy signs in to the database the same way (end-to-end IAM authentication,
 * `DefaultAuthScheme` IAM_AUTH): no password exists for the workloads, so there is none to rotate or leak.
 * The proxy's role may connect as those users and no other ("Moving from standard IAM authentication to
 * end-to-end IAM authentication for RDS Proxy", Aurora User Guide).
 */
export class DatabaseProxy extends Construct {
  /** The proxy. */
  public readonly proxy: rds.DatabaseProxy;
  /** Host name for reads and writes (the writer). */
  public readonly endpoint: string;
  /** Host name for read-only queries (the readers). */
  public readonly readOnlyEndpoint: string;
  /** The role the proxy signs in to the database with. */
  public readonly role: iam.IRole;

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
    if (props.databaseUsers.length === 0) {
      throw new Error('databaseUsers must name at least one user: clients sign in as them');
    }
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('rds.amazonaws.com'),
      description: "RDS Proxy: signs in to the cluster as the workloads' database users (IAM authentication)",
    });
    for (const user of props.databaseUsers) props.cluster.grantConnect(this.role, user);
    this.proxy = new rds.DatabaseProxy(this, 'Proxy', {
      proxyTarget: rds.ProxyTarget.fromCluster(props.cluster),
      defaultAuthScheme: rds.DefaultAuthScheme.IAM_AUTH,
      role: this.role,
      vpc: props.vpc,
      vpcSubnets: { subnets: subnets.subnets },
      securityGroups: [securityGroup],
      requireTLS: true,
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

  /** Lets `grantee` sign in through the proxy as `databaseUser` with an IAM token (`rds-db:connect`). */
  public grantConnect(grantee: iam.IGrantable, databaseUser: string): iam.Grant {
    return this.proxy.grantConnect(grantee, databaseUser);
  }
}
