import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import { READINESS_PATH } from '../../../service/src/probe-paths';
import { RegionalIngress, RegionalIngressProps } from '../../lib/regional-ingress';

const CDK_JSON = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'cdk.json'), 'utf8'));
const PREFIX_LIST = 'pl-4fa04526';

function synth(props: Partial<RegionalIngressProps> = {}): Template {
  const stack = new Stack(new App({ context: CDK_JSON.context }), 'TestStack', {
    env: { account: '111111111111', region: 'eu-west-1' },
  });
  const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] });
  new RegionalIngress(stack, 'Ingress', {
    vpc,
    serviceSecurityGroup: new ec2.SecurityGroup(stack, 'Service', { vpc }),
    servicePort: 3000,
    healthCheckPath: READINESS_PATH,
    deregistrationDelay: Duration.seconds(25),
    cloudFrontPrefixListId: PREFIX_LIST,
    hostedZone: route53.PublicHostedZone.fromHostedZoneAttributes(stack, 'Zone', {
      hostedZoneId: 'Z0123456789ABC',
      zoneName: 'example.com',
    }),
    originDomainName: 'api.eu-west-1.example.com',
    latencyDomainName: 'origin.example.com',
    alarmTopics: { page: new sns.Topic(stack, 'Page'), ticket: new sns.Topic(stack, 'Ticket') },
    alarmNamePrefix: 'api-platform-dev-eu-west-1',
    ...props,
  });
  return Template.fromStack(stack);
}

describe('RegionalIngress', () => {
  let template: Template;
  beforeAll(() => {
    // GIVEN / WHEN
    template = synth();
  });

  test('appends the address it received from to X-Forwarded-For, where the service finds the viewer', () => {
    // THEN
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'routing.http.xff_header_processing.mode', Value: 'append' },
      ]),
    });
  });

  test('is an internet-facing ALB in the public subnets that drops invalid headers and logs to an encrypted bucket', () => {
    // THEN
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      Type: 'application',
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        { Key: 'access_logs.s3.enabled', Value: 'true' },
      ]),
    });
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: Match.objectLike({
          BlockPublicAcls: true,
          RestrictPublicBuckets: true,
        }),
      }),
    });
  });

  test('admits only the CloudFront origin-facing prefix list, on HTTPS, and reaches only the pods', () => {
    // THEN
    const groups = template.findResources('AWS::EC2::SecurityGroup', {
      Properties: { GroupDescription: Match.stringLikeRegexp('^API load balancer') },
    });
    const [groupId] = Object.keys(groups);
    // Every ingress rule of the group, inline or declared apart, must be this one.
    const separateIngress = template.findResources('AWS::EC2::SecurityGroupIngress', {
      Properties: { GroupId: { 'Fn::GetAtt': [groupId, 'GroupId'] } },
    });
    const rules = [
      ...(groups[groupId].Properties.SecurityGroupIngress ?? []),
      ...Object.values(separateIngress).map((rule) =>
        Object.fromEntries(Object.entries(rule.Properties).filter(([key]) => key !== 'GroupId')),
      ),
    ];
    expect(rules).toEqual([
      {
        SourcePrefixListId: PREFIX_LIST,
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        Description: 'HTTPS from CloudFront origin-facing servers',
      },
    ]);
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [groupId, 'GroupId'] },
      FromPort: 3000,
      ToPort: 3000,
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      SourceSecurityGroupId: { 'Fn::GetAtt': [groupId, 'GroupId'] },
      FromPort: 3000,
      ToPort: 3000,
      Description: 'API port from the load balancer',
    });
  });

  test('listens on HTTPS only, with a TLS 1.2+ policy and a DNS-validated certificate for both origin names', () => {
    // THEN
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: Match.stringLikeRegexp('^ELBSecurityPolicy-TLS13-1-2-'),
    });
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'api.eu-west-1.example.com',
      SubjectAlternativeNames: ['origin.example.com'],
      ValidationMethod: 'DNS',
      DomainValidationOptions: Match.arrayWith([
        { DomainName: 'api.eu-west-1.example.com', HostedZoneId: 'Z0123456789ABC' },
      ]),
    });
  });

  test("targets pod IPs on the service port, checks the service's readiness route, and drains for the given delay", () => {
    // THEN
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetType: 'ip',
      Port: 3000,
      Protocol: 'HTTP',
      HealthCheckPath: READINESS_PATH,
      Matcher: { HttpCode: '200' },
      TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '25' }]),
    });
  });

  test('aliases the origin name, and adds a health-checked latency record for the shared name', () => {
    // THEN
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'api.eu-west-1.example.com.',
      Type: 'A',
      HostedZoneId: 'Z0123456789ABC',
      AliasTarget: Match.objectLike({ DNSName: Match.anyValue() }),
    });
    const healthChecks = template.findResources('AWS::Route53::HealthCheck');
    const [healthCheckId] = Object.keys(healthChecks);
    expect(healthChecks[healthCheckId].Properties.HealthCheckConfig).toMatchObject({
      Type: 'CLOUDWATCH_METRIC',
      AlarmIdentifier: { Region: 'eu-west-1' },
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'origin.example.com.',
      Type: 'A',
      Region: 'eu-west-1',
      SetIdentifier: 'eu-west-1',
      HealthCheckId: { Ref: healthCheckId },
    });
    // The alarm the health check follows is the target group's count of pods passing the readiness route.
    // It pages too, under its runbook's name: a region without healthy pods is out of the latency routing.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'api-platform-dev-eu-west-1-ApiRegionNoHealthyTargets',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Page') }],
      MetricName: 'HealthyHostCount',
      Namespace: 'AWS/ApplicationELB',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
    });
  });

  test('rejects a name outside the hosted zone, a relative health check path and a malformed prefix list', () => {
    // THEN
    expect(() => synth({ latencyDomainName: 'origin.example.org' })).toThrow(/must be inside example\.com/);
    expect(() => synth({ healthCheckPath: 'health/ready' })).toThrow(/healthCheckPath must start with/);
    expect(() => synth({ cloudFrontPrefixListId: 'sg-123' })).toThrow(/cloudFrontPrefixListId must be/);
  });
});
