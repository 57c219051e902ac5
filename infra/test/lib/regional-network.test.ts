import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RegionalNetwork, RegionalNetworkProps } from '../../lib/regional-network';

const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

function synth(props: Partial<RegionalNetworkProps> = {}): Template {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'eu-west-1' } });
  new RegionalNetwork(stack, 'Network', { availabilityZones: ZONES, cidr: '10.20.0.0/16', ...props });
  return Template.fromStack(stack);
}

describe('RegionalNetwork', () => {
  let template: Template;
  beforeAll(() => {
    // GIVEN / WHEN
    template = synth({ natGateways: 3 });
  });

  test('creates the VPC with the given CIDR and public, private and isolated subnets in each zone', () => {
    // THEN
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.20.0.0/16' });
    template.resourceCountIs('AWS::EC2::Subnet', 9);
    for (const zone of ZONES) {
      template.hasResourceProperties('AWS::EC2::Subnet', {
        AvailabilityZone: zone,
        MapPublicIpOnLaunch: true,
      });
      template.hasResourceProperties('AWS::EC2::Subnet', {
        AvailabilityZone: zone,
        CidrBlock: Match.stringLikeRegexp('/19$'),
      });
      template.hasResourceProperties('AWS::EC2::Subnet', {
        AvailabilityZone: zone,
        CidrBlock: Match.stringLikeRegexp('/22$'),
      });
    }
  });

  test('creates the requested NAT gateways', () => {
    // THEN
    template.resourceCountIs('AWS::EC2::NatGateway', 3);
  });

  test('creates a single NAT gateway by default', () => {
    // THEN
    synth().resourceCountIs('AWS::EC2::NatGateway', 1);
  });

  test('logs all traffic to a retained log group', () => {
    // THEN
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
    });
    template.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      Properties: { RetentionInDays: 365 },
    });
  });

  test('deletes the flow logs with the stack when asked', () => {
    // THEN
    synth({ removalPolicy: RemovalPolicy.DESTROY }).hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Delete',
    });
  });

  test('adds an S3 gateway endpoint and interface endpoints for the AWS APIs the platform calls', () => {
    // THEN
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
    });
    for (const service of ['secretsmanager', 'kms', 'ecr.api', 'ecr.dkr', 'sts', 'logs', 'sqs']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Interface',
        ServiceName: `com.amazonaws.eu-west-1.${service}`,
        PrivateDnsEnabled: true,
      });
    }
  });

  test('admits HTTPS to the interface endpoints from the VPC range only', () => {
    // THEN
    const groups = template.findResources('AWS::EC2::SecurityGroup', {
      Properties: { GroupDescription: Match.stringLikeRegexp('/Network/Vpc/') },
    });
    expect(Object.keys(groups)).toHaveLength(7);
    for (const group of Object.values(groups)) {
      expect(group.Properties.SecurityGroupIngress).toEqual([
        expect.objectContaining({ CidrIp: '10.20.0.0/16', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' }),
      ]);
    }
  });

  test.each([0, 4])('rejects %d NAT gateways for 3 zones', (natGateways) => {
    // THEN
    expect(() => synth({ natGateways })).toThrow(
      `natGateways must be between 1 and the number of availabilityZones (3), got ${natGateways}`,
    );
  });

  test('rejects a single availability zone', () => {
    // THEN
    expect(() => synth({ availabilityZones: ['eu-west-1a'] })).toThrow(
      /availabilityZones must list at least 2 zones/,
    );
  });
});
