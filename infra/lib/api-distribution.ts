import { Duration, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AccessLogBucket } from './access-log-bucket';

/** Properties of an {@link ApiDistribution}. */
export interface ApiDistributionProps {
  /** Name clients call the API on; gets the certificate and the alias records. */
  readonly domainName: string;
  /** Public hosted zone of `domainName`. */
  readonly hostedZone: route53.IHostedZone;
  /** ARN of the CLOUDFRONT-scoped WAF web ACL in front of every request. */
  readonly webAclArn: string;
  /** Latency-routed, health-checked name of every region's load balancer: the origin of the API's routes. */
  readonly latencyOriginName: string;
  /** Name of the primary region's load balancer: first origin of the failover group. */
  readonly primaryOriginName: string;
  /**
   * Name of a secondary region's load balancer, tried when the primary origin fails.
   * @default - no origin group: the public routes use the primary origin alone
   */
  readonly failoverOriginName?: string;
  /** Path pattern of the API's routes (authenticated, every method), for example `/v1/*`. */
  readonly apiPathPattern: string;
  /** Paths CloudFront answers 404 for without calling an origin (in-cluster endpoints such as `/metrics`). */
  readonly blockedPaths: readonly string[];
  /** Request headers the service reads besides `Authorization` (idempotency, consistency, conditional requests). */
  readonly forwardedHeaders: readonly string[];
  /**
   * Days CloudFront's access logs are kept.
   * @default 90
   */
  readonly accessLogRetentionDays?: number;
}

/** The 5xx statuses CloudFront lets a distribution set an error caching TTL for (CustomErrorResponse ErrorCode). */
export const ORIGIN_ERROR_STATUSES = [500, 501, 502, 503, 504] as const;

/** Origin statuses after which CloudFront retries a GET, HEAD or OPTIONS at the failover origin. */
export const FAILOVER_STATUS_CODES = [500, 502, 503, 504];

/** How long an object may stay cached when the origin sets no Cache-Control; 0 honours the origin entirely. */
const NO_CACHE_WITHOUT_ORIGIN_CONSENT = Duration.seconds(0);

/**
 * The API's CloudFront distribution: HTTPS with TLS 1.2_2021 at least, HTTP/2 and HTTP/3, compression,
 * the WAF web ACL, access logs, and the API's public name aliased to it.
 *
 * The API's routes (`apiPathPattern`, every method) go to the latency-routed origin name, so each edge
 * reaches the nearest healthy region; Route 53 health checks withdraw a failing region. CloudFront origin
 * groups fail over only GET, HEAD and OPTIONS and cannot serve a behaviour that allows POST, PATCH or DELETE,
 * so the failover group (primary region, then a secondary) serves the public read-only routes only.
 */
export class ApiDistribution extends Construct {
  /** The distribution. */
  public readonly distribution: cloudfront.Distribution;
  /** Bucket of CloudFront's standard access logs. */
  public readonly accessLogBucket: AccessLogBucket;
  /** Cache policy of the API's routes: honours the origin's Cache-Control, keyed on Authorization. */
  public readonly apiCachePolicy: cloudfront.CachePolicy;
  /** Cache policy of the public routes: honours the origin's Cache-Control, no credential in the key. */
  public readonly publicCachePolicy: cloudfront.CachePolicy;
  /** What CloudFront forwards to the origin beyond the cache key. */
  public readonly originRequestPolicy: cloudfront.OriginRequestPolicy;
  /** The DNS names of every origin, failover group members included. */
  public readonly originDomainNames: readonly string[];

  constructor(scope: Construct, id: string, props: ApiDistributionProps) {
    super(scope, id);
    if (!props.apiPathPattern.startsWith('/')) {
      throw new Error(`apiPathPattern must start with '/', got '${props.apiPathPattern}'`);
    }
    if (props.forwardedHeaders.some((header) => header.toLowerCase() === 'authorization')) {
      throw new Error('forwardedHeaders must not list Authorization: it is forwarded through the cache key');
    }

    // Standard logging writes with an ACL, so the bucket keeps ACLs (BucketOwnerPreferred).
    this.accessLogBucket = new AccessLogBucket(this, 'AccessLogs', {
      writer: 'CloudFront',
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      retentionDays: props.accessLogRetentionDays,
    });

    const certificate = new acm.Certificate(this, 'Certificate', {
      domainName: props.domainName,
      validation: acm.CertificateValidation.fromDns(props.hostedZone),
    });

    const cacheTimes = {
      minTtl: NO_CACHE_WITHOUT_ORIGIN_CONSENT,
      defaultTtl: NO_CACHE_WITHOUT_ORIGIN_CONSENT,
      maxTtl: Duration.days(1),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
    };
    // Authorization in the key keeps one tenant's cacheable response from ever reaching another.
    this.apiCachePolicy = new cloudfront.CachePolicy(this, 'ApiCachePolicy', {
      comment: 'API routes: honour the origin Cache-Control; responses differ by Authorization',
      headerBehavior: cloudfront.CacheHeaderBehavior.allowList('Authorization'),
      ...cacheTimes,
    });
    this.publicCachePolicy = new cloudfront.CachePolicy(this, 'PublicCachePolicy', {
      comment: 'Public routes: honour the origin Cache-Control; no credential in the key',
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      ...cacheTimes,
    });
    this.originRequestPolicy = new cloudfront.OriginRequestPolicy(this, 'OriginRequestPolicy', {
      comment: 'The request headers the API reads, every query string, no cookie',
      headerBehavior: cloudfront.OriginRequestHeaderBehavior.allowList(...props.forwardedHeaders),
      queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.all(),
      cookieBehavior: cloudfront.OriginRequestCookieBehavior.none(),
    });

    const origin = (domainName: string) =>
      new origins.HttpOrigin(domainName, {
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
        // Longer than the service's request timeout, so the service answers first.
        readTimeout: Duration.seconds(30),
      });
    this.originDomainNames = [
      props.latencyOriginName,
      props.primaryOriginName,
      props.failoverOriginName,
    ].filter((name): name is string => name !== undefined);
    const primaryOrigin = origin(props.primaryOriginName);
    const publicOrigin =
      props.failoverOriginName === undefined
        ? primaryOrigin
        : new origins.OriginGroup({
            primaryOrigin,
            fallbackOrigin: origin(props.failoverOriginName),
            fallbackStatusCodes: FAILOVER_STATUS_CODES,
          });

    const blockPaths = new cloudfront.Function(this, 'NotFound', {
      comment: 'Answers 404 for in-cluster endpoints without calling the origin',
      code: cloudfront.FunctionCode.fromInline(
        'function handler(event) { return { statusCode: 404, statusDescription: "Not Found" }; }',
      ),
    });
    const publicBehavior: cloudfront.BehaviorOptions = {
      origin: publicOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
      cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
      cachePolicy: this.publicCachePolicy,
      originRequestPolicy: this.originRequestPolicy,
      compress: true,
    };
    const blockedBehaviors = Object.fromEntries(
      props.blockedPaths.map((path) => [
        path,
        {
          ...publicBehavior,
          functionAssociations: [
            { function: blockPaths, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
          ],
        },
      ]),
    );

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `API ${props.domainName}`,
      domainNames: [props.domainName],
      certificate,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      webAclId: props.webAclArn,
      enableLogging: true,
      logBucket: this.accessLogBucket,
      logIncludesCookies: false,
      defaultBehavior: publicBehavior,
      // CloudFront caches an origin's 5xx for 10 s when no error caching TTL is set ("How CloudFront processes
      // HTTP 4xx and 5xx status codes from your origin", CloudFront Developer Guide): one pod's 503 would be
      // served to every caller for 10 s. The API's errors are never cached.
      errorResponses: ORIGIN_ERROR_STATUSES.map((httpStatus) => ({ httpStatus, ttl: Duration.seconds(0) })),
      additionalBehaviors: {
        ...blockedBehaviors,
        [props.apiPathPattern]: {
          origin: origin(props.latencyOriginName),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
          cachePolicy: this.apiCachePolicy,
          originRequestPolicy: this.originRequestPolicy,
          compress: true,
        },
      },
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'The API serves every country its tenants are in; blocking by geography is a business decision a fork makes in the web ACL, not a platform default.',
    });

    const aliasTarget = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(this.distribution));
    new route53.ARecord(this, 'AliasRecord', {
      zone: props.hostedZone,
      recordName: props.domainName,
      target: aliasTarget,
    });
    new route53.AaaaRecord(this, 'AliasRecordIpv6', {
      zone: props.hostedZone,
      recordName: props.domainName,
      target: aliasTarget,
    });
  }
}
