import { ArnFormat, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { integerAbovePattern } from './integer-above-pattern';

/** Properties of an {@link EdgeWebAcl}. */
export interface EdgeWebAclProps {
  /** Name of the web ACL; also names its metrics and its log group (`aws-waf-logs-<name>`). */
  readonly name: string;
  /** Requests one client IP may send in any 5 minutes before it is blocked. */
  readonly requestsPerIpPer5Minutes: number;
  /** Requests declaring a larger body (Content-Length, in bytes) are answered 413. */
  readonly maxRequestBodyBytes: number;
  /**
   * How long WAF logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the log group when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Region that CLOUDFRONT-scoped web ACLs must be created in. */
const CLOUDFRONT_SCOPE_REGION = 'us-east-1';

/** Header values never written to the WAF logs: they carry credentials. */
const REDACTED_HEADERS = ['authorization', 'cookie'];

/** AWS managed rule groups, in evaluation order after the rules of this file. */
const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
] as const;

/**
 * The WAFv2 web ACL in front of CloudFront (CLOUDFRONT scope, so it must live in us-east-1): AWS managed
 * rules (IP reputation, common, known bad inputs, SQL injection), a rate limit per client IP, a request
 * body size limit, and logging to CloudWatch Logs with credentials redacted.
 */
export class EdgeWebAcl extends Construct {
  /** The web ACL. */
  public readonly webAcl: wafv2.CfnWebACL;
  /** ARN to give to a CloudFront distribution's `webAclId`. */
  public readonly webAclArn: string;
  /** Log group receiving every request's log record. */
  public readonly logGroup: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: EdgeWebAclProps) {
    super(scope, id);

    const region = Stack.of(this).region;
    if (Token.isUnresolved(region) || region !== CLOUDFRONT_SCOPE_REGION) {
      throw new Error(
        `EdgeWebAcl has CLOUDFRONT scope and must be in a stack with region ${CLOUDFRONT_SCOPE_REGION}, got ${region}`,
      );
    }
    if (!/^[A-Za-z0-9-]{1,100}$/.test(props.name)) {
      throw new Error(`name '${props.name}' must be 1-100 letters, digits or hyphens`);
    }
    if (!Number.isInteger(props.requestsPerIpPer5Minutes) || props.requestsPerIpPer5Minutes < 100) {
      throw new Error(
        `requestsPerIpPer5Minutes must be an integer of at least 100, got ${props.requestsPerIpPer5Minutes}`,
      );
    }

    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: `${props.name}-${metricName}`,
      sampledRequestsEnabled: true,
    });
    const managedGroup = (
      priority: number,
      name: string,
      ruleActionOverrides?: wafv2.CfnWebACL.RuleActionOverrideProperty[],
    ): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name, ruleActionOverrides } },
      visibilityConfig: visibility(name),
    });

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: props.name,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('all'),
      rules: [
        managedGroup(0, 'AWSManagedRulesAmazonIpReputationList'),
        {
          name: 'RateLimitPerIp',
          priority: 1,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: props.requestsPerIpPer5Minutes,
              aggregateKeyType: 'IP',
              evaluationWindowSec: 300,
            },
          },
          visibilityConfig: visibility('RateLimitPerIp'),
        },
        {
          name: 'BodyTooLarge',
          priority: 2,
          action: { block: { customResponse: { responseCode: 413 } } },
          statement: {
            regexMatchStatement: {
              fieldToMatch: { singleHeader: { Name: 'content-length' } },
              regexString: integerAbovePattern(props.maxRequestBodyBytes),
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
          visibilityConfig: visibility('BodyTooLarge'),
        },
        ...MANAGED_RULE_GROUPS.map((name, index) =>
          managedGroup(
            3 + index,
            name,
            // This rule blocks bodies over 8 KB, far below the API's own limit that BodyTooLarge enforces.
            name === 'AWSManagedRulesCommonRuleSet'
              ? [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }]
              : undefined,
          ),
        ),
      ],
    });
    this.webAclArn = this.webAcl.attrArn;

    // WAF only delivers to log groups named aws-waf-logs-*, and wants their ARN without the ':*' suffix.
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `aws-waf-logs-${props.name}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: logGroup.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      redactedFields: REDACTED_HEADERS.map((header) => ({ singleHeader: { Name: header } })),
    });
    this.logGroup = logGroup;
  }
}
