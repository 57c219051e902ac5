import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ApiDistribution, ApiDistributionProps, FAILOVER_STATUS_CODES } from '../../lib/api-distribution';

const CDK_JSON = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'cdk.json'), 'utf8'));
const WEB_ACL_ARN = 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/api/0000';

function synth(props: Partial<ApiDistributionProps> = {}): Template {
  const stack = new Stack(new App({ context: CDK_JSON.context }), 'Edge', {
    env: { account: '111111111111', region: 'us-east-1' },
  });
  new ApiDistribution(stack, 'Api', {
    domainName: 'api.example.com',
    hostedZone: route53.PublicHostedZone.fromHostedZoneAttributes(stack, 'Zone', {
      hostedZoneId: 'Z0123456789ABC',
      zoneName: 'example.com',
    }),
    webAclArn: WEB_ACL_ARN,
    latencyOriginName: 'origin.example.com',
    primaryOriginName: 'api.eu-west-1.example.com',
    failoverOriginName: 'api.us-east-1.example.com',
    apiPathPattern: '/v1/*',
    blockedPaths: ['/metrics'],
    forwardedHeaders: ['Idempotency-Key', 'Consistency', 'If-None-Match'],
    ...props,
  });
  return Template.fromStack(stack);
}

/** The distribution's config and its origins by id. */
function distributionConfig(template: Template) {
  const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
  const config = distribution.Properties.DistributionConfig;
  const originsById = Object.fromEntries(
    config.Origins.map((origin: { Id: string; DomainName: string }) => [origin.Id, origin]),
  );
  return { config, originsById };
}

describe('ApiDistribution', () => {
  let template: Template;
  beforeAll(() => {
    // GIVEN / WHEN
    template = synth();
  });

  test('serves HTTPS with TLS 1.2_2021 at least, HTTP/2 and HTTP/3, IPv6, the web ACL and a us-east-1 certificate', () => {
    // THEN
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['api.example.com'],
        HttpVersion: 'http2and3',
        IPV6Enabled: true,
        WebACLId: WEB_ACL_ARN,
        ViewerCertificate: Match.objectLike({
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        }),
      }),
    });
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'api.example.com',
      ValidationMethod: 'DNS',
    });
  });

  test('fails the public routes over from the primary region to the secondary on 500, 502, 503 and 504', () => {
    // THEN
    const { config, originsById } = distributionConfig(template);
    const [group] = config.OriginGroups.Items;
    expect(config.OriginGroups.Quantity).toBe(1);
    expect(group.FailoverCriteria.StatusCodes.Items).toEqual([500, 502, 503, 504]);
    expect(FAILOVER_STATUS_CODES).toEqual([500, 502, 503, 504]);
    expect(
      group.Members.Items.map((member: { OriginId: string }) => originsById[member.OriginId].DomainName),
    ).toEqual(['api.eu-west-1.example.com', 'api.us-east-1.example.com']);
    expect(config.DefaultCacheBehavior.TargetOriginId).toBe(group.Id);
    // CloudFront refuses an origin group on a behaviour that allows writes.
    expect(config.DefaultCacheBehavior.AllowedMethods).toEqual(['GET', 'HEAD', 'OPTIONS']);
  });

  test('sends every method of the API routes to the latency-routed origin over TLS 1.2, compressed', () => {
    // THEN
    const { config, originsById } = distributionConfig(template);
    const api = config.CacheBehaviors.find(
      (behavior: { PathPattern: string }) => behavior.PathPattern === '/v1/*',
    );
    expect(api.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'POST', 'PATCH', 'DELETE']));
    expect(api.Compress).toBe(true);
    expect(api.ViewerProtocolPolicy).toBe('https-only');
    expect(originsById[api.TargetOriginId]).toMatchObject({
      DomainName: 'origin.example.com',
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
    });
  });

  test('keys only the API routes on Authorization, honours the origin Cache-Control, and forwards the headers the API reads', () => {
    // THEN
    const { config } = distributionConfig(template);
    const api = config.CacheBehaviors.find(
      (behavior: { PathPattern: string }) => behavior.PathPattern === '/v1/*',
    );
    const policies = template.findResources('AWS::CloudFront::CachePolicy');
    const apiPolicy = policies[api.CachePolicyId.Ref].Properties.CachePolicyConfig;
    const publicPolicy = policies[config.DefaultCacheBehavior.CachePolicyId.Ref].Properties.CachePolicyConfig;
    expect(apiPolicy.ParametersInCacheKeyAndForwardedToOrigin.HeadersConfig).toEqual({
      HeaderBehavior: 'whitelist',
      Headers: ['Authorization'],
    });
    expect(publicPolicy.ParametersInCacheKeyAndForwardedToOrigin.HeadersConfig).toEqual({
      HeaderBehavior: 'none',
    });
    for (const policy of [apiPolicy, publicPolicy]) {
      expect(policy).toMatchObject({ MinTTL: 0, DefaultTTL: 0 });
      expect(policy.ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({
        EnableAcceptEncodingGzip: true,
        EnableAcceptEncodingBrotli: true,
      });
    }
    template.hasResourceProperties('AWS::CloudFront::OriginRequestPolicy', {
      OriginRequestPolicyConfig: Match.objectLike({
        HeadersConfig: {
          HeaderBehavior: 'whitelist',
          Headers: ['Idempotency-Key', 'Consistency', 'If-None-Match'],
        },
        QueryStringsConfig: { QueryStringBehavior: 'all' },
        CookiesConfig: { CookieBehavior: 'none' },
      }),
    });
  });

  test('never caches an origin 5xx: CloudFront would otherwise keep it for 10 s', () => {
    // THEN
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        CustomErrorResponses: [500, 501, 502, 503, 504].map((ErrorCode) => ({
          ErrorCode,
          ErrorCachingMinTTL: 0,
        })),
      }),
    });
  });

  test('answers 404 at the edge for the blocked paths', () => {
    // THEN
    const { config } = distributionConfig(template);
    const blocked = config.CacheBehaviors.find(
      (behavior: { PathPattern: string }) => behavior.PathPattern === '/metrics',
    );
    expect(blocked.FunctionAssociations).toEqual([expect.objectContaining({ EventType: 'viewer-request' })]);
    template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: Match.stringLikeRegexp('statusCode: 404'),
    });
  });

  test('logs to an encrypted, retained bucket that keeps ACLs for CloudFront, and aliases the API name', () => {
    // THEN
    const { config } = distributionConfig(template);
    expect(config.Logging).toMatchObject({ IncludeCookies: false });
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      }),
    });
    for (const type of ['A', 'AAAA']) {
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'api.example.com.',
        Type: type,
        HostedZoneId: 'Z0123456789ABC',
        AliasTarget: Match.objectLike({
          DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiDistribution'), 'DomainName'] },
        }),
      });
    }
  });

  test('uses the primary origin alone when there is no failover region, and rejects Authorization as a forwarded header', () => {
    // WHEN
    const single = synth({ failoverOriginName: undefined });
    // THEN
    const { config, originsById } = distributionConfig(single);
    expect(config.OriginGroups).toBeUndefined();
    expect(originsById[config.DefaultCacheBehavior.TargetOriginId].DomainName).toBe(
      'api.eu-west-1.example.com',
    );
    expect(() => synth({ forwardedHeaders: ['authorization'] })).toThrow(/must not list Authorization/);
  });
});
