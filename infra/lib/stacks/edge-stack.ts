import { RemovalPolicy, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { EDGE_REGION, PlatformConfig } from '../../config/platform-config';
import { AlarmTopic } from '../alarm-topic';
import { EdgeAlarms } from '../edge-alarms';
import { EdgeWebAcl } from '../edge-web-acl';

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
  /** The topic the edge's CloudWatch alarms notify (us-east-1, where CloudFront and WAF publish metrics). */
  public readonly alarmTopic: AlarmTopic;

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

    const alarmNamePrefix = `${config.platformName}-${config.envName}-edge`;
    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', {
      topicName: `${alarmNamePrefix}-alarms`,
      removalPolicy: config.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // Pass the distribution here once this stack creates it, and its 5xx-rate alarm comes with it.
    new EdgeAlarms(this, 'EdgeAlarms', {
      webAcl: this.webAcl.webAcl,
      thresholds: config.alarms.edge,
      topic: this.alarmTopic.topic,
      alarmNamePrefix,
    });
  }
}
