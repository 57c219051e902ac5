import { RemovalPolicy, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { METRICS_PATH } from '../../../service/src/probe-paths';
import { failoverOriginNames, latencyOriginName } from '../../config/api-domain-names';
import { EDGE_REGION, PlatformConfig } from '../../config/platform-config';
import { AlertTopics } from '../alert-topics';
import { EdgeAlarms } from '../edge-alarms';
import { ApiDistribution } from '../api-distribution';
import { EdgeWebAcl } from '../edge-web-acl';

/** Request headers the service reads besides Authorization: idempotent POSTs, read consistency, conditional GETs, bodies. */
const API_REQUEST_HEADERS = [
  'Idempotency-Key',
  'Consistency',
  'If-None-Match',
  'Content-Type',
  'Accept',
  'X-Request-Id',
];

/** Properties of an {@link EdgeStack}; its `env` is always the edge region of the configured account. */
export interface EdgeStackProps extends Omit<StackProps, 'env'> {
  /** Configuration of the environment being built. */
  readonly config: PlatformConfig;
}

/**
 * Everything with CLOUDFRONT scope, in us-east-1 whatever the primary region is. The CloudFront
 * distribution belongs in this stack too, so that it takes the web ACL without a cross-region reference.
 */
export class EdgeStack extends Stack {
  /** The web ACL CloudFront is to use. */
  public readonly webAcl: EdgeWebAcl;
  /** The topics the edge's CloudWatch alarms notify (us-east-1, where CloudFront and WAF publish metrics). */
  public readonly alertTopics: AlertTopics;
  /** The API's CloudFront distribution and public name. */
  public readonly apiDistribution: ApiDistribution;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    const { config } = props;
    super(scope, id, { ...props, env: { account: config.account, region: EDGE_REGION } });

    for (const [key, value] of Object.entries(config.tags)) {
      Tags.of(this).add(key, value);
    }

    this.webAcl = new EdgeWebAcl(this, 'WebAcl', {
      name: `${config.platformName}-${config.envName}`,
      requestsPerIpPer5Minutes: config.edge.requestsPerIpPer5Minutes,
      maxRequestBodyBytes: config.edge.maxRequestBodyBytes,
      logRetention: config.protectData ? logs.RetentionDays.ONE_YEAR : logs.RetentionDays.ONE_WEEK,
      removalPolicy: config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    // Origins are named from the configuration, never referenced across regions: any number of regions works.
    const originNames = failoverOriginNames(config);
    this.apiDistribution = new ApiDistribution(this, 'Api', {
      domainName: config.domain.apiDomainName,
      hostedZone: route53.PublicHostedZone.fromHostedZoneAttributes(this, 'HostedZone', {
        hostedZoneId: config.domain.hostedZoneId,
        zoneName: config.domain.zoneName,
      }),
      webAclArn: this.webAcl.webAclArn,
      latencyOriginName: latencyOriginName(config),
      primaryOriginName: originNames.primary,
      failoverOriginName: originNames.failover,
      apiPathPattern: '/v1/*',
      blockedPaths: [METRICS_PATH],
      forwardedHeaders: API_REQUEST_HEADERS,
    });

    const alarmNamePrefix = `${config.platformName}-${config.envName}-edge`;
    this.alertTopics = new AlertTopics(this, 'AlertTopics', {
      namePrefix: alarmNamePrefix,
      subscribers: { page: config.alerting.page, ticket: config.alerting.ticket },
      removalPolicy: config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    new EdgeAlarms(this, 'EdgeAlarms', {
      webAcl: this.webAcl.webAcl,
      distribution: this.apiDistribution.distribution,
      thresholds: config.alarms.edge,
      alarmTopics: this.alertTopics,
      alarmNamePrefix,
    });
  }
}
