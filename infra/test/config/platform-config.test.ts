import {
  allRegions,
  apiClusterName,
  DEFAULT_ENVIRONMENT,
  ENVIRONMENT_NAMES,
  cacheNodeIds,
  cacheReplicationGroupId,
  globalClusterIdentifier,
  heartbeatTopicName,
  heartbeatWatchedRegion,
  heartbeatWatcherRegion,
  loadPlatformConfig,
  PlatformConfig,
  regionalClusterIdentifier,
  validatePlatformConfig,
} from '../../config/platform-config';
import { cidrsOverlap } from '../../config/cidr';

describe('loadPlatformConfig', () => {
  test('defaults to dev so that a fresh clone synthesizes', () => {
    // THEN
    expect(DEFAULT_ENVIRONMENT).toBe('dev');
    expect(loadPlatformConfig().envName).toBe('dev');
  });

  test('throws an error naming the unknown environment and the known ones', () => {
    // THEN
    expect(() => loadPlatformConfig('staging')).toThrow(
      "Unknown environment 'staging': expected one of dev, prod (choose with -c env=<name>)",
    );
  });

  test.each(ENVIRONMENT_NAMES)('%s is valid and uses non-overlapping CIDRs in every region', (envName) => {
    // WHEN
    const config = loadPlatformConfig(envName);
    // THEN
    expect(config.envName).toBe(envName);
    const cidrs = allRegions(config).map((region) => region.vpcCidr);
    cidrs.forEach((cidr, i) =>
      cidrs.slice(i + 1).forEach((other) => expect(cidrsOverlap(cidr, other)).toBe(false)),
    );
    expect(Object.keys(config.tags)).toEqual(
      expect.arrayContaining(['service', 'env', 'owner', 'cost-center']),
    );
  });

  test('dev has one NAT gateway per region; prod one per availability zone and protected data', () => {
    // WHEN
    const dev = loadPlatformConfig('dev');
    const prod = loadPlatformConfig('prod');
    // THEN
    expect(dev.natGatewaysPerRegion).toBe(1);
    expect(dev.protectData).toBe(false);
    expect(prod.natGatewaysPerRegion).toBe(prod.primaryRegion.availabilityZones.length);
    expect(prod.protectData).toBe(true);
    expect(prod.secondaryRegions.length).toBeGreaterThanOrEqual(2);
  });

  test('carries the SLO targets: 99.9% availability over 30 days, 99% of GETs < 200 ms and POSTs < 500 ms', () => {
    // WHEN
    const { slo } = loadPlatformConfig('prod');
    // THEN
    expect(slo).toEqual({
      windowDays: 30,
      availabilityTarget: 0.999,
      latency: [
        { method: 'GET', thresholdMs: 200, target: 0.99 },
        { method: 'POST', thresholdMs: 500, target: 0.99 },
      ],
    });
  });

  test('runs 2..4 API pods in dev and 3..30 in prod, from a pinned image tag', () => {
    // WHEN
    const dev = loadPlatformConfig('dev').workload;
    const prod = loadPlatformConfig('prod').workload;
    // THEN
    expect(dev.replicas).toEqual({ min: 2, max: 4 });
    expect(prod.replicas).toEqual({ min: 3, max: 30 });
    expect(prod.containerPort).toBe(3000);
    expect(prod.image.tag).not.toBe('latest');
    expect(prod.shutdownTimeoutMs).toBeGreaterThanOrEqual(prod.requestTimeoutMs);
  });

  test('runs 3..6 Graviton nodes per region in dev and 3..15 in prod', () => {
    // THEN
    expect(loadPlatformConfig('dev').compute).toEqual({
      nodeInstanceType: 'm7g.large',
      minNodes: 3,
      maxNodes: 6,
    });
    expect(loadPlatformConfig('prod').compute).toEqual({
      nodeInstanceType: 'm7g.xlarge',
      minNodes: 3,
      maxNodes: 15,
    });
  });

  test('scales readers up to 3 in dev and 8 in prod, and alarms at a tighter 5xx rate in prod', () => {
    // WHEN
    const dev = loadPlatformConfig('dev');
    const prod = loadPlatformConfig('prod');
    // THEN
    expect(dev.database.readerScaling.maxReaders).toBe(3);
    expect(prod.database.readerScaling.maxReaders).toBe(8);
    expect(prod.alarms.edge.cloudFront5xxErrorRatePercent).toBeLessThan(
      dev.alarms.edge.cloudFront5xxErrorRatePercent,
    );
  });

  test('has each region watched from the next, the first region watching the last', () => {
    // GIVEN
    const prod = loadPlatformConfig('prod');
    const regions = allRegions(prod);
    // THEN
    regions.forEach((region, index) => {
      const watcher = heartbeatWatcherRegion(prod, region);
      expect(watcher).toBe(regions[(index + 1) % regions.length]);
      expect(watcher.region).not.toBe(region.region);
      expect(heartbeatWatchedRegion(prod, watcher)).toBe(region);
    });
    expect(heartbeatTopicName(prod, prod.primaryRegion)).toBe(
      `${regionalClusterIdentifier(prod, prod.primaryRegion)}-heartbeat`,
    );
    // A single region can only watch itself.
    const single = { ...prod, secondaryRegions: [] };
    expect(heartbeatWatcherRegion(single, prod.primaryRegion)).toBe(prod.primaryRegion);
  });

  test('derives one global cluster name per environment', () => {
    // THEN
    expect(globalClusterIdentifier(loadPlatformConfig('dev'))).toBe('api-platform-dev');
    expect(globalClusterIdentifier(loadPlatformConfig('prod'))).toBe('api-platform-prod');
  });

  test('derives the regional cluster, cache group and cache node names the stacks create and dashboards select', () => {
    // GIVEN
    const prod = loadPlatformConfig('prod');

    // THEN
    expect(regionalClusterIdentifier(prod, prod.primaryRegion)).toBe(
      `api-platform-prod-${prod.primaryRegion.region}`,
    );
    const region = prod.primaryRegion.region;
    expect(cacheReplicationGroupId(prod, prod.primaryRegion)).toBe(`api-platform-prod-${region}`);
    expect(cacheNodeIds(prod, prod.primaryRegion)).toEqual(
      Array.from({ length: prod.cache.replicas + 1 }, (_, i) => `api-platform-prod-${region}-00${i + 1}`),
    );
  });
});

describe('validatePlatformConfig', () => {
  const prod = loadPlatformConfig('prod');
  const cases: Array<[string, Partial<PlatformConfig>, RegExp]> = [
    ['a malformed account', { account: '1234' }, /'prod': account '1234' must be a 12-digit AWS account id/],
    [
      'overlapping CIDRs',
      { secondaryRegions: [{ ...prod.secondaryRegions[0], vpcCidr: '10.20.128.0/17' }] },
      /secondaryRegions\[0\]\.vpcCidr 10\.20\.128\.0\/17 overlaps eu-west-1/,
    ],
    [
      'a repeated region',
      { secondaryRegions: [{ ...prod.primaryRegion, vpcCidr: '10.29.0.0/16' }] },
      /secondaryRegions\[0\]\.region 'eu-west-1' appears more than once/,
    ],
    [
      'zones of another region',
      {
        primaryRegion: {
          ...prod.primaryRegion,
          availabilityZones: ['eu-west-1a', 'eu-west-1b', 'us-east-1c'],
        },
      },
      /primaryRegion\.availabilityZones: 'us-east-1c' is not in eu-west-1/,
    ],
    [
      'a malformed CloudFront prefix list id',
      { primaryRegion: { ...prod.primaryRegion, cloudFrontPrefixListId: 'cloudfront' } },
      /primaryRegion\.cloudFrontPrefixListId 'cloudfront' must be a prefix list id/,
    ],
    [
      'a malformed hosted zone id',
      { domain: { ...prod.domain, hostedZoneId: 'example.com' } },
      /domain\.hostedZoneId 'example\.com' must be a Route 53 hosted zone id/,
    ],
    [
      'an API name outside the zone',
      { domain: { ...prod.domain, apiDomainName: 'api.example.org' } },
      /domain\.apiDomainName 'api\.example\.org' must be inside zoneName 'example\.com'/,
    ],
    [
      'a severity nobody is subscribed to',
      { alerting: { ...prod.alerting, page: [] } },
      /alerting\.page must name at least one subscriber/,
    ],
    [
      'a malformed email subscriber',
      { alerting: { ...prod.alerting, ticket: [{ email: 'platform-team' }] } },
      /alerting\.ticket\[0\]\.email 'platform-team' is not an email address/,
    ],
    [
      'a pager URL in place of the name of the parameter holding it',
      {
        alerting: { ...prod.alerting, page: [{ httpsEndpointParameter: 'https://events.example.com/key' }] },
      },
      /alerting\.page\[0\]\.httpsEndpointParameter 'https:\/\/events\.example\.com\/key' must be an SSM parameter name/,
    ],
    [
      'a heartbeat silence shorter than two SNS metric periods',
      { alerting: { ...prod.alerting, heartbeatMissingMinutes: 5 } },
      /alerting\.heartbeatMissingMinutes must be an integer of at least 10, got 5/,
    ],
    [
      'too many NAT gateways',
      { natGatewaysPerRegion: 4 },
      /natGatewaysPerRegion must be between 1 and 3, got 4/,
    ],
    [
      'a reader maximum that leaves a secondary no room to scale',
      { database: { ...prod.database, readerScaling: { ...prod.database.readerScaling, maxReaders: 2 } } },
      /database\.readerScaling\.maxReaders must be an integer from readers \+ 1 \(3\) to 15, got 2/,
    ],
    [
      'a reader CPU target of 100%',
      {
        database: {
          ...prod.database,
          readerScaling: { ...prod.database.readerScaling, targetCpuPercent: 100 },
        },
      },
      /database\.readerScaling\.targetCpuPercent must be between 0 and 100 \(exclusive\), got 100/,
    ],
    [
      'an alarm on more than all the CPU',
      { alarms: { ...prod.alarms, database: { ...prod.alarms.database, cpuPercent: 120 } } },
      /alarms\.database\.cpuPercent must be a percentage between 0 and 100 \(exclusive\), got 120/,
    ],
    [
      'a zero WAF threshold',
      { alarms: { ...prod.alarms, edge: { ...prod.alarms.edge, wafBlockedRequestsPer5Minutes: 0 } } },
      /alarms\.edge\.wafBlockedRequestsPer5Minutes must be positive, got 0/,
    ],
    [
      'a cache without replicas',
      { cache: { ...prod.cache, replicas: 0 } },
      /cache\.replicas must be between 1 and 5/,
    ],
    [
      'a tiny rate limit',
      { edge: { ...prod.edge, requestsPerIpPer5Minutes: 10 } },
      /edge\.requestsPerIpPer5Minutes must be an integer of at least 100, got 10/,
    ],
    [
      'a tiny body limit',
      { edge: { ...prod.edge, maxRequestBodyBytes: 10 } },
      /edge\.maxRequestBodyBytes must be/,
    ],
    ['a target of 100%', { slo: { ...prod.slo, availabilityTarget: 1 } }, /slo targets must be fractions/],
    [
      'a missing required tag',
      { tags: { service: 'x', env: 'prod', owner: 'y' } },
      /tags must include 'cost-center'/,
    ],
    [
      'one replica',
      { workload: { ...prod.workload, replicas: { min: 1, max: 3 } } },
      /workload\.replicas must have 2 <= min <= max, got 1\.\.3/,
    ],
    [
      'the latest image tag',
      { workload: { ...prod.workload, image: { ...prod.workload.image, tag: 'latest' } } },
      /workload\.image\.tag must name a release, got 'latest'/,
    ],
    [
      'a privileged port',
      { workload: { ...prod.workload, containerPort: 80 } },
      /workload\.containerPort must be an integer from 1024 to 65535, got 80/,
    ],
    [
      'a memory limit the heap size cannot be derived from',
      { workload: { ...prod.workload, resources: { ...prod.workload.resources, memoryLimit: '1G' } } },
      /workload\.resources\.memoryLimit must be in Mi or Gi, got '1G'/,
    ],
    [
      'a shutdown shorter than a request',
      { workload: { ...prod.workload, shutdownTimeoutMs: 1000 } },
      /workload\.shutdownTimeoutMs \(1000\) must be at least requestTimeoutMs \(10000\)/,
    ],
    [
      'a statement timeout as long as a request',
      { database: { ...prod.database, statementTimeoutMs: prod.workload.requestTimeoutMs } },
      new RegExp(
        `database\\.statementTimeoutMs \\(${prod.workload.requestTimeoutMs}\\) must be below workload\\.requestTimeoutMs`,
      ),
    ],
    [
      'a single outbox relay',
      { outboxRelay: { ...prod.outboxRelay, replicas: 1 } },
      /outboxRelay\.replicas must be an integer of at least 2, got 1/,
    ],
    [
      'a relay port equal to the API port',
      { outboxRelay: { ...prod.outboxRelay, healthPort: prod.workload.containerPort } },
      /outboxRelay\.healthPort must differ from workload\.containerPort \(3000\)/,
    ],
    [
      'fewer nodes than zones',
      { compute: { ...prod.compute, minNodes: 2 } },
      /compute must have 3 <= minNodes <= maxNodes, got 2\.\.15/,
    ],
    [
      'a node maximum below the minimum',
      { compute: { ...prod.compute, minNodes: 4, maxNodes: 3 } },
      /compute must have 3 <= minNodes <= maxNodes, got 4\.\.3/,
    ],
    [
      'an access role given by name instead of ARN',
      { access: { ...prod.access, onCallRoleArn: 'AWSReservedSSO_OnCall_0000000000000000' } },
      /access\.onCallRoleArn 'AWSReservedSSO_OnCall_0000000000000000' must be an IAM role ARN/,
    ],
    [
      'an access role of another account',
      { access: { ...prod.access, platformAdminRoleArn: 'arn:aws:iam::333333333333:role/admin' } },
      /access\.platformAdminRoleArn 'arn:aws:iam::333333333333:role\/admin' must be a role of account 222222222222, got 333333333333/,
    ],
    [
      'one role for both access entries',
      { access: { ...prod.access, onCallRoleArn: prod.access.platformAdminRoleArn } },
      /access\.platformAdminRoleArn and access\.onCallRoleArn must be different roles/,
    ],
  ];
  test.each(cases)('rejects %s', (_name, overrides, message) => {
    // THEN
    expect(() => validatePlatformConfig({ ...prod, ...overrides })).toThrow(message);
  });
});

describe('access', () => {
  test.each(ENVIRONMENT_NAMES)(
    '%s gives each access role as a full ARN, path included, of its own account',
    (envName) => {
      // GIVEN
      const config = loadPlatformConfig(envName);
      // THEN: IAM Identity Center's roles live under a path, which EKS access entries accept in the ARN.
      for (const arn of [config.access.platformAdminRoleArn, config.access.onCallRoleArn]) {
        expect(arn).toMatch(
          new RegExp(`^arn:aws:iam::${config.account}:role/aws-reserved/sso\\.amazonaws\\.com/`),
        );
      }
      expect(apiClusterName(config)).toBe(`${config.platformName}-${envName}-api`);
    },
  );
});
