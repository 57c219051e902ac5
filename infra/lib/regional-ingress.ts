import { Duration, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { keepOutboundClosed } from './keep-outbound-closed';
import { AccessLogBucket } from './access-log-bucket';
import type { SeverityTopics } from './alert-topics';
import { addManagedAlarm } from './managed-alarm';

/** Properties of a {@link RegionalIngress}. */
export interface RegionalIngressProps {
  /** VPC of the load balancer (its public subnets) and of the pods. */
  readonly vpc: ec2.IVpc;
  /** Security group of the API pods; it is opened to the load balancer on `servicePort` only. */
  readonly serviceSecurityGroup: ec2.ISecurityGroup;
  /** Port the API pods listen on: the target group's port. */
  readonly servicePort: number;
  /** Path of the service's readiness route, checked by the target group on every pod. */
  readonly healthCheckPath: string;
  /** How long a deregistered pod keeps its in-flight requests: the time the service serves after SIGTERM. */
  readonly deregistrationDelay: Duration;
  /** Id of the `com.amazonaws.global.cloudfront.origin-facing` managed prefix list in this region: the only source admitted. */
  readonly cloudFrontPrefixListId: string;
  /** Public hosted zone holding the origin names and the certificate's validation records. */
  readonly hostedZone: route53.IHostedZone;
  /** This region's own name (`api.<region>.<zone>`), aliased to the load balancer. */
  readonly originDomainName: string;
  /** The latency-routed name shared by every region (`origin.<zone>`); this region's record is health-checked. */
  readonly latencyDomainName: string;
  /** The topics of each severity the alarms notify (in this stack's region). */
  readonly alarmTopics: SeverityTopics;
  /** Prefix making the alarm's name unique in the account and region, for example `api-platform-prod-eu-west-1`. */
  readonly alarmNamePrefix: string;
  /**
   * Days the load balancer's access logs are kept.
   * @default 90
   */
  readonly accessLogRetentionDays?: number;
}

/** HTTPS only: CloudFront connects to the origin over TLS and nothing else is admitted. */
const HTTPS_PORT = 443;

/**
 * The region's entry point: an internet-facing ALB that admits only CloudFront, an HTTPS listener (TLS 1.2+,
 * a DNS-validated certificate for the origin names), and an IP target group the API pods are bound to by the
 * AWS Load Balancer Controller. Also the region's DNS: its origin name aliased to the ALB, and its
 * latency-routed record, withdrawn by a Route 53 health check while no pod passes the readiness check.
 */
export class RegionalIngress extends Construct {
  /** The load balancer. */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The target group of the API pods (IP targets), for the chart's TargetGroupBinding. */
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** The load balancer's security group. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The bucket of the load balancer's access logs. */
  public readonly accessLogBucket: AccessLogBucket;
  /** In alarm while no pod in the target group passes its health check; drives the Route 53 health check. */
  public readonly noHealthyTargetsAlarm: cloudwatch.Alarm;
  /** Health check of this region's latency record. */
  public readonly healthCheck: route53.HealthCheck;
  /** The DNS names that reach this load balancer: its own name and the shared latency-routed name. */
  public readonly domainNames: readonly string[];

  constructor(scope: Construct, id: string, props: RegionalIngressProps) {
    super(scope, id);
    if (!props.healthCheckPath.startsWith('/')) {
      throw new Error(`healthCheckPath must start with '/', got '${props.healthCheckPath}'`);
    }
    if (!/^pl-[0-9a-f]{8,17}$/.test(props.cloudFrontPrefixListId)) {
      throw new Error(
        `cloudFrontPrefixListId must be a prefix list id (pl-...), got '${props.cloudFrontPrefixListId}'`,
      );
    }
    const { zoneName } = props.hostedZone;
    for (const name of [props.originDomainName, props.latencyDomainName]) {
      if (!name.endsWith(`.${zoneName}`)) {
        throw new Error(`originDomainName and latencyDomainName must be inside ${zoneName}, got '${name}'`);
      }
    }

    this.accessLogBucket = new AccessLogBucket(this, 'AccessLogs', {
      writer: 'the load balancer',
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      retentionDays: props.accessLogRetentionDays,
    });

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'API load balancer: HTTPS from CloudFront only, to the API pods only',
      allowAllOutbound: false,
    });
    keepOutboundClosed(this.securityGroup);
    this.securityGroup.addIngressRule(
      ec2.Peer.prefixList(props.cloudFrontPrefixListId),
      ec2.Port.tcp(HTTPS_PORT),
      'HTTPS from CloudFront origin-facing servers',
    );
    props.serviceSecurityGroup.connections.allowFrom(
      this.securityGroup,
      ec2.Port.tcp(props.servicePort),
      'API port from the load balancer',
    );

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: this.securityGroup,
      dropInvalidHeaderFields: true,
      // Appends the address it received from (CloudFront's) to X-Forwarded-For: the service counts on it to find
      // the viewer (TRUST_PROXY_HOPS, k8s/lib/api-environment.ts). Explicit, though it is the ALB's default.
      xffHeaderProcessingMode: elbv2.XffHeaderProcessingMode.APPEND,
      http2Enabled: true,
      // Longer than the service's request timeout, so the service, not the load balancer, ends slow requests.
      idleTimeout: Duration.seconds(60),
    });
    this.loadBalancer.logAccessLogs(this.accessLogBucket);

    const certificate = new acm.Certificate(this, 'Certificate', {
      domainName: props.originDomainName,
      subjectAlternativeNames: [props.latencyDomainName],
      validation: acm.CertificateValidation.fromDns(props.hostedZone),
    });

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc: props.vpc,
      targetType: elbv2.TargetType.IP,
      port: props.servicePort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      deregistrationDelay: props.deregistrationDelay,
      healthCheck: {
        path: props.healthCheckPath,
        port: 'traffic-port',
        protocol: elbv2.Protocol.HTTP,
        healthyHttpCodes: '200',
        interval: Duration.seconds(10),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 2,
      },
    });

    this.loadBalancer.addListener('Https', {
      port: HTTPS_PORT,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [certificate],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      open: false,
      defaultTargetGroups: [this.targetGroup],
    });

    const aliasTarget = route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(this.loadBalancer));
    new route53.ARecord(this, 'OriginRecord', {
      zone: props.hostedZone,
      recordName: props.originDomainName,
      target: aliasTarget,
    });

    // The load balancer admits only CloudFront, so Route 53's checkers cannot call it: the region's health is
    // what the target group measures on every pod's readiness route, published as this alarm.
    this.noHealthyTargetsAlarm = addManagedAlarm(this, {
      name: 'ApiRegionNoHealthyTargets',
      namePrefix: props.alarmNamePrefix,
      summary: `No API pod passes ${props.healthCheckPath} behind ${props.originDomainName}: Route 53 withdraws this region from ${props.latencyDomainName}.`,
      // The L2 names the target group and its load balancer (TargetGroup, LoadBalancer, their full names): ELB User
      // Guide, "CloudWatch metrics for your Application Load Balancer" (HealthyHostCount, by TargetGroup, LoadBalancer).
      metric: this.targetGroup.metrics.healthyHostCount({
        period: Duration.minutes(1),
        statistic: 'Minimum',
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      topics: props.alarmTopics,
    });
    this.domainNames = [props.originDomainName, props.latencyDomainName];
    const region = Stack.of(this).region;
    this.healthCheck = new route53.HealthCheck(this, 'HealthCheck', {
      type: route53.HealthCheckType.CLOUDWATCH_METRIC,
      alarmIdentifier: { name: this.noHealthyTargetsAlarm.alarmName, region },
      insufficientDataHealthStatus: route53.InsufficientDataHealthStatusEnum.LAST_KNOWN_STATUS,
    });
    new route53.ARecord(this, 'LatencyRecord', {
      zone: props.hostedZone,
      recordName: props.latencyDomainName,
      target: aliasTarget,
      region,
      setIdentifier: region,
      healthCheck: this.healthCheck,
    });
  }
}
