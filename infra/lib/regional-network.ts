import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Properties of a {@link RegionalNetwork}. */
export interface RegionalNetworkProps {
  /** Availability zones to spread subnets over, named explicitly so synth needs no lookup. */
  readonly availabilityZones: readonly string[];
  /** IPv4 CIDR of the VPC; must not overlap the VPCs of other regions. */
  readonly cidr: string;
  /**
   * NAT gateways, at most one per availability zone.
   * @default 1
   */
  readonly natGateways?: number;
  /**
   * How long VPC flow logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly flowLogRetention?: logs.RetentionDays;
  /**
   * What happens to the flow log group when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** AWS APIs (besides Secrets Manager) the platform calls from private subnets, through endpoints instead of NAT. */
const INTERFACE_ENDPOINTS: ReadonlyArray<[string, ec2.InterfaceVpcEndpointAwsService]> = [
  ['Kms', ec2.InterfaceVpcEndpointAwsService.KMS],
  ['EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR],
  ['EcrDocker', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
  ['Sts', ec2.InterfaceVpcEndpointAwsService.STS],
  ['CloudWatchLogs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS],
  // The outbox relay's event queue (EventSink).
  ['Sqs', ec2.InterfaceVpcEndpointAwsService.SQS],
];

/**
 * The VPC of one region: public, private-with-egress and isolated subnets over the given zones,
 * flow logs, an S3 gateway endpoint and interface endpoints for the AWS APIs the platform calls.
 */
export class RegionalNetwork extends Construct {
  /** Name of the private subnets with a route to NAT (compute). */
  public static readonly PRIVATE_SUBNET_NAME = 'Private';
  /** Name of the isolated subnets without any route to the internet (data stores). */
  public static readonly ISOLATED_SUBNET_NAME = 'Isolated';

  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** Interface endpoint of Secrets Manager, for functions that must reach it from isolated subnets. */
  public readonly secretsManagerEndpoint: ec2.IInterfaceVpcEndpoint;

  constructor(scope: Construct, id: string, props: RegionalNetworkProps) {
    super(scope, id);

    const natGateways = props.natGateways ?? 1;
    if (props.availabilityZones.length < 2) {
      throw new Error(`availabilityZones must list at least 2 zones, got ${props.availabilityZones.length}`);
    }
    if (!Number.isInteger(natGateways) || natGateways < 1 || natGateways > props.availabilityZones.length) {
      throw new Error(
        `natGateways must be between 1 and the number of availabilityZones (${props.availabilityZones.length}), got ${natGateways}`,
      );
    }

    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr),
      availabilityZones: [...props.availabilityZones],
      natGateways,
      // /16 over 3 zones: /24 public (load balancers), /19 private (pods need many IPs), /22 isolated.
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        {
          name: RegionalNetwork.PRIVATE_SUBNET_NAME,
          subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS,
          cidrMask: 19,
        },
        {
          name: RegionalNetwork.ISOLATED_SUBNET_NAME,
          subnetType: ec2.SubnetType.PRIVATE_ISOLATED,
          cidrMask: 22,
        },
      ],
      restrictDefaultSecurityGroup: true,
    });
    Validations.of(vpc).acknowledge({
      id: 'CloudFormation-Validate::W3010',
      reason:
        'Zones are named in availabilityZones on purpose: looking them up at synth needs AWS credentials, which synth must never need.',
    });

    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: props.flowLogRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const endpointSubnets = { subnetGroupName: RegionalNetwork.PRIVATE_SUBNET_NAME };
    // HTTPS from the VPC's own range only, written as the literal CIDR so that rules and checks can read it.
    const addEndpoint = (endpointId: string, service: ec2.InterfaceVpcEndpointAwsService) => {
      const endpoint = vpc.addInterfaceEndpoint(endpointId, {
        service,
        privateDnsEnabled: true,
        subnets: endpointSubnets,
        open: false,
      });
      endpoint.connections.allowFrom(
        ec2.Peer.ipv4(props.cidr),
        ec2.Port.tcp(443),
        'HTTPS from inside the VPC',
      );
      return endpoint;
    };
    this.secretsManagerEndpoint = addEndpoint(
      'SecretsManager',
      ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
    );
    for (const [endpointId, service] of INTERFACE_ENDPOINTS) {
      addEndpoint(endpointId, service);
    }
    this.vpc = vpc;
  }
}
