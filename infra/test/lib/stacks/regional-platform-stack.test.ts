import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DATA_CLIENT_POD_LABELS } from '../../../../k8s/lib/api-labels';
import { apiPodTemplate } from '../../../../k8s/lib/api-pod-template';
import { deregistrationDelaySeconds } from '../../../../k8s/lib/workload-sizing';
import { latencyOriginName, regionalOriginName } from '../../../config/api-domain-names';
import {
  allRegions,
  EnvironmentName,
  loadPlatformConfig,
  replicationGroupNodeIds,
} from '../../../config/platform-config';
import { WORKLOAD_ROLES } from '../../../../service/src/db/workload-roles';
import { prometheusRuleFiles } from '../../../../dashboards/prometheus/prometheus-rule-files';
import { longestRuleRangeSeconds } from '../../helpers/longest-rule-range';
import { MANAGED_ALARM_SEVERITIES, type ManagedAlarmName } from '../../../lib/managed-alarm';
import { RegionalPlatformStack } from '../../../lib/stacks/regional-platform-stack';
import { alarmsByRunbook, onlyResource, WatchedMetric, watchedMetrics } from '../../helpers/alarm-dimensions';
import { effectiveEgress } from '../../helpers/effective-egress';

describe('RegionalPlatformStack', () => {
  const dev = loadPlatformConfig('dev');
  const prod = loadPlatformConfig('prod');
  let devPrimary: RegionalPlatformStack;
  let prodPrimary: Template;
  let prodSecondary: Template;
  let prodSecondaryStack: RegionalPlatformStack;
  let prodPrimaryRegion: string;

  beforeAll(() => {
    // GIVEN
    const app = new App();
    // WHEN
    devPrimary = new RegionalPlatformStack(app, 'DevPrimary', { config: dev, region: dev.primaryRegion });
    const prodPrimaryStack = new RegionalPlatformStack(app, 'ProdPrimary', {
      config: prod,
      region: prod.primaryRegion,
    });
    prodSecondaryStack = new RegionalPlatformStack(app, 'ProdSecondary', {
      config: prod,
      region: prod.secondaryRegions[0],
    });
    prodPrimary = Template.fromStack(prodPrimaryStack);
    prodPrimaryRegion = prodPrimaryStack.region;
    prodSecondary = Template.fromStack(prodSecondaryStack);
  });

  test('takes account and region from the configuration', () => {
    // THEN
    expect(devPrimary.account).toBe(dev.account);
    expect(devPrimary.region).toBe(dev.primaryRegion.region);
    expect(prodSecondaryStack.region).toBe(prod.secondaryRegions[0].region);
    expect(prodSecondaryStack.availabilityZones).toEqual(prod.secondaryRegions[0].availabilityZones);
  });

  test('derives its role from the configured primary region', () => {
    // THEN
    expect(devPrimary.role).toBe('primary');
    expect(prodSecondaryStack.role).toBe('secondary');
    expect(devPrimary.databaseProxy).toBeDefined();
    expect(prodSecondaryStack.databaseProxy).toBeUndefined();
  });

  test('lets the load balancer, the proxy and the cache send only to their one peer, on its port', () => {
    // GIVEN
    const template = Template.fromStack(devPrimary);
    const groups = Object.keys(template.findResources('AWS::EC2::SecurityGroup'));
    const group = (prefix: string) => groups.find((id) => id.startsWith(prefix)) as string;
    // THEN
    expect(effectiveEgress(template, group('IngressSecurityGroup'))).toEqual([
      {
        to: group('ServiceSecurityGroup'),
        protocol: 'tcp',
        ports: `${dev.workload.containerPort}-${dev.workload.containerPort}`,
      },
    ]);
    // The cluster's port is a token: CloudFormation resolves it from the cluster's endpoint.
    expect(effectiveEgress(template, group('DatabaseProxySecurityGroup'))).toEqual([
      {
        to: group('DatabaseClusterSecurityGroup'),
        protocol: 'tcp',
        ports: expect.stringContaining('Endpoint.Port'),
      },
    ]);
    expect(effectiveEgress(template, group('CacheSecurityGroup'))).toEqual([]);
  });

  test('uses the NAT gateway count of the environment', () => {
    // THEN
    Template.fromStack(devPrimary).resourceCountIs('AWS::EC2::NatGateway', dev.natGatewaysPerRegion);
    prodPrimary.resourceCountIs('AWS::EC2::NatGateway', 3);
  });

  test('protects data in prod: deletion protection and snapshot or retain policies', () => {
    // THEN
    for (const template of [prodPrimary, prodSecondary]) {
      template.hasResource('AWS::RDS::DBCluster', {
        DeletionPolicy: 'Snapshot',
        Properties: Match.objectLike({ DeletionProtection: true }),
      });
      template.hasResource('AWS::ElastiCache::ReplicationGroup', { DeletionPolicy: 'Snapshot' });
      template.allResources('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    }
    prodPrimary.hasResourceProperties('AWS::RDS::GlobalCluster', { DeletionProtection: true });
    prodPrimary.hasResourceProperties('AWS::RDS::DBCluster', { BackupRetentionPeriod: 35 });
  });

  test('lets dev data go with the stack', () => {
    // THEN
    const template = Template.fromStack(devPrimary);
    template.hasResource('AWS::RDS::DBCluster', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtection: false }),
    });
    template.allResources('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
  });

  test('attaches the secondary cluster to the global cluster the primary creates, with write forwarding', () => {
    // THEN
    prodPrimary.hasResourceProperties('AWS::RDS::GlobalCluster', {
      GlobalClusterIdentifier: 'api-platform-prod',
    });
    prodSecondary.hasResourceProperties('AWS::RDS::DBCluster', {
      GlobalClusterIdentifier: 'api-platform-prod',
      EnableGlobalWriteForwarding: true,
      DBClusterIdentifier: 'api-platform-prod-us-east-1',
    });
    prodSecondary.resourceCountIs('AWS::SecretsManager::Secret', 1); // the cache token only
  });

  test('admits the service security group, and only it, to the secondary cluster', () => {
    // THEN
    const clusterIngress = prodSecondary.findResources('AWS::EC2::SecurityGroupIngress', {
      Properties: {
        GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseClusterSecurityGroup'), 'GroupId'] },
      },
    });
    expect(Object.values(clusterIngress).map((rule) => rule.Properties.SourceSecurityGroupId)).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^ServiceSecurityGroup/), 'GroupId'] },
    ]);
  });

  test('admits only the proxy, the rotation function and the service pods (the migration Job) to the primary cluster', () => {
    // THEN
    const clusterIngress = prodPrimary.findResources('AWS::EC2::SecurityGroupIngress', {
      Properties: {
        GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseClusterSecurityGroup'), 'GroupId'] },
      },
    });
    const sources = Object.values(clusterIngress).map(
      (rule) => rule.Properties.SourceSecurityGroupId['Fn::GetAtt'][0],
    );
    expect(sources.sort()).toEqual([
      expect.stringMatching(/^DatabaseClusterRotationSingleUserSecurityGroup/),
      expect.stringMatching(/^DatabaseProxySecurityGroup/),
      expect.stringMatching(/^ServiceSecurityGroup/),
    ]);
  });

  test('tags every taggable resource with service, env, owner and cost-center', () => {
    // THEN
    // CloudFormation tags come sorted by key.
    const tags = Object.entries(prod.tags)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([Key, Value]) => ({ Key, Value }));
    prodPrimary.allResourcesProperties('AWS::EC2::VPC', { Tags: Match.arrayWith(tags) });
    prodPrimary.allResourcesProperties('AWS::RDS::DBCluster', { Tags: Match.arrayWith(tags) });
    prodPrimary.allResourcesProperties('AWS::ElastiCache::ReplicationGroup', { Tags: Match.arrayWith(tags) });
    prodPrimary.allResourcesProperties('AWS::KMS::Key', { Tags: Match.arrayWith(tags) });
    prodPrimary.allResourcesProperties('AWS::SNS::Topic', { Tags: Match.arrayWith(tags) });
    prodPrimary.allResourcesProperties('AWS::SQS::Queue', { Tags: Match.arrayWith(tags) });
    prodPrimary.allResourcesProperties('AWS::CloudWatch::Alarm', { Tags: Match.arrayWith(tags) });
    prodPrimary.allResourcesProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      Tags: Match.arrayWith(tags),
    });
  });

  test("scales each cluster's readers between the configured bounds, a secondary counting its writer slot", () => {
    // THEN
    Template.fromStack(devPrimary).hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ScalableDimension: 'rds:cluster:ReadReplicaCount',
      MinCapacity: dev.database.readers,
      MaxCapacity: dev.database.readerScaling.maxReaders,
    });
    prodPrimary.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: prod.database.readers,
      MaxCapacity: prod.database.readerScaling.maxReaders,
    });
    prodSecondary.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: prod.database.readers + 1,
      MaxCapacity: prod.database.readerScaling.maxReaders,
    });
    prodSecondary.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: 'RDSReaderAverageCPUUtilization' },
        TargetValue: prod.database.readerScaling.targetCpuPercent,
      }),
    });
  });

  test('takes every alarm threshold from the configuration', () => {
    // THEN
    const threshold = (template: Template, alarmName: string) =>
      Object.values(
        template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: alarmName } }),
      ).map((alarm) => alarm.Properties.Threshold);
    const { database, cache } = prod.alarms;
    const primary = 'api-platform-prod-eu-west-1';
    const secondary = 'api-platform-prod-us-east-1';
    expect(threshold(prodPrimary, `${primary}-AuroraCpuHigh`)).toEqual([database.cpuPercent]);
    expect(threshold(prodPrimary, `${primary}-AuroraReplicaLagHigh`)).toEqual([database.replicaLagMs]);
    expect(threshold(prodSecondary, `${secondary}-AuroraGlobalReplicationLagHigh`)).toEqual([
      database.globalReplicationLagMs,
    ]);
    expect(threshold(prodPrimary, `${primary}-CacheEngineCpuHigh`)).toEqual([cache.engineCpuPercent]);
    expect(threshold(prodPrimary, `${primary}-CacheEvictionsHigh`)).toEqual([cache.evictionsPer5Minutes]);
    expect(threshold(prodPrimary, `${primary}-CacheMemoryHigh`)).toEqual([cache.memoryPercent]);
    expect(threshold(prodPrimary, `${primary}-CacheReplicationLagHigh`)).toEqual([
      cache.replicationLagSeconds,
    ]);
    // The secondary has no in-region writer to lag behind; the primary has no cross-region lag.
    expect(threshold(prodSecondary, `${secondary}-AuroraReplicaLagHigh`)).toEqual([]);
    expect(threshold(prodPrimary, `${primary}-AuroraGlobalReplicationLagHigh`)).toEqual([]);
  });

  test("routes every alarm to the region's topic of its severity, page or ticket", () => {
    // THEN
    for (const [template, region] of [
      [prodPrimary, prod.primaryRegion.region],
      [prodSecondary, prod.secondaryRegions[0].region],
    ] as const) {
      const topics = template.findResources('AWS::SNS::Topic');
      const topicId = (name: string) =>
        Object.keys(topics).find((id) => topics[id].Properties.TopicName === name) as string;
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
      expect(alarms.length).toBeGreaterThanOrEqual(8);
      for (const alarm of alarms) {
        const name = (alarm.Properties.AlarmName as string).split('-').pop() as ManagedAlarmName;
        const topic = { Ref: topicId(`api-platform-prod-${region}-${MANAGED_ALARM_SEVERITIES[name]}`) };
        expect([name, alarm.Properties.AlarmActions, alarm.Properties.OKActions]).toEqual([
          name,
          [topic],
          [topic],
        ]);
      }
    }
  });

  test("subscribes the configured people to each severity's topic", () => {
    // THEN
    const [ticketSubscriber] = prod.alerting.ticket as { email: string }[];
    prodPrimary.hasResourceProperties('AWS::SNS::Subscription', {
      TopicArn: { Ref: Match.stringLikeRegexp('^AlertTopicsTicketTopic') },
      Protocol: 'email',
      Endpoint: ticketSubscriber.email,
    });
    prodPrimary.hasResourceProperties('AWS::SNS::Subscription', {
      TopicArn: { Ref: Match.stringLikeRegexp('^AlertTopicsPageTopic') },
      Protocol: 'https',
    });
  });

  test("watches the previous region's Alertmanager heartbeat and pages when it is silent, the first region watching the last", () => {
    // THEN
    const regions = allRegions(prod).map((region) => region.region);
    const watchedBy = (template: Template) =>
      Object.values(template.findResources('AWS::CloudWatch::Alarm'))
        .map((alarm) => alarm.Properties.AlarmName as string)
        .filter((name) => name.endsWith('-AlertmanagerHeartbeatMissing'));
    expect(watchedBy(prodPrimary)).toEqual([
      `api-platform-prod-${regions[regions.length - 1]}-AlertmanagerHeartbeatMissing`,
    ]);
    expect(watchedBy(prodSecondary)).toEqual([
      `api-platform-prod-${regions[0]}-AlertmanagerHeartbeatMissing`,
    ]);
    prodSecondary.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: `api-platform-prod-${regions[0]}-heartbeat`,
      KmsMasterKeyId: 'alias/aws/sns',
    });
    prodSecondary.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `api-platform-prod-${regions[0]}-AlertmanagerHeartbeatMissing`,
      Namespace: 'AWS/SNS',
      MetricName: 'NumberOfMessagesPublished',
      Dimensions: [{ Name: 'TopicName', Value: { 'Fn::GetAtt': [Match.anyValue(), 'TopicName'] } }],
      Period: 300,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      EvaluationPeriods: Math.ceil(prod.alerting.heartbeatMissingMinutes / 5),
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlertTopicsPageTopic') }],
    });
  });

  test("lets Alertmanager's role publish to the region's two topics and to its heartbeat in the next region, and nothing else", () => {
    // THEN
    expect(grantsOf(prodPrimary, 'ApiClusterAlertmanagerServiceAccountRole')).toEqual([
      'kms:Decrypt AlertTopicsKey',
      'kms:GenerateDataKey* AlertTopicsKey',
      'sns:Publish ',
      'sns:Publish AlertTopicsPageTopic',
      'sns:Publish AlertTopicsTicketTopic',
    ]);
    const heartbeat = `:sns:${prod.secondaryRegions[0].region}:${prod.account}:api-platform-prod-${prod.primaryRegion.region}-heartbeat`;
    expect(JSON.stringify(prodPrimary.findResources('AWS::IAM::Policy'))).toContain(heartbeat);
  });

  test("configures the region's Alertmanager to reach the region's topics and labels its alerts with region and cluster", () => {
    // THEN
    const [release] = Object.values(prodPrimary.findResources('Custom::AWSCDK-EKS-HelmChart')).filter(
      (resource) => resource.Properties.Chart === 'kube-prometheus-stack',
    );
    const values = JSON.stringify(release.Properties.Values);
    expect(values).toContain(
      `\\"externalLabels\\":{\\"region\\":\\"${prod.primaryRegion.region}\\",\\"cluster\\":`,
    );
    expect(values).toMatch(/\\"topic_arn\\":\\"",\{"Ref":"AlertTopicsPageTopic[0-9A-F]{8}"\}/);
    expect(values).toMatch(/"ApiClusterAlertmanagerServiceAccountRole[0-9A-F]{8}","Arn"/);
    expect(values).toContain('-heartbeat');
  });

  test("keeps Prometheus' data at least as long as the longest range the environment's rules read", () => {
    for (const [config, template] of [
      [dev, Template.fromStack(devPrimary)],
      [prod, prodPrimary],
    ] as const) {
      // GIVEN
      const longestRuleRangeDays = longestRuleRangeSeconds(prometheusRuleFiles(config)) / 86_400;
      // WHEN
      const [release] = Object.values(template.findResources('Custom::AWSCDK-EKS-HelmChart')).filter(
        (resource) => resource.Properties.Chart === 'kube-prometheus-stack',
      );
      const retention = /\\"retention\\":\\"(\d+)d\\"/.exec(JSON.stringify(release.Properties.Values));
      // THEN
      expect(Number(retention?.[1])).toBeGreaterThanOrEqual(longestRuleRangeDays);
    }
  });

  test('keeps the monitoring volumes when their claims go in prod, and lets them go in dev', () => {
    // GIVEN
    const reclaimPolicies = (template: Template) =>
      JSON.stringify(template.findResources('Custom::AWSCDK-EKS-KubernetesResource')).match(
        /\\"reclaimPolicy\\":\\"\w+\\"/g,
      );
    // THEN
    expect(reclaimPolicies(prodPrimary)).toEqual(['\\"reclaimPolicy\\":\\"Retain\\"']);
    expect(reclaimPolicies(prodSecondary)).toEqual(['\\"reclaimPolicy\\":\\"Retain\\"']);
    expect(reclaimPolicies(Template.fromStack(devPrimary))).toEqual(['\\"reclaimPolicy\\":\\"Delete\\"']);
  });

  test('gives the outbox relay an encrypted queue with an encrypted dead-letter queue', () => {
    // THEN
    const key = { 'Fn::GetAtt': [Match.stringLikeRegexp('^EventSinkKey'), 'Arn'] };
    prodSecondary.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'api-platform-prod-us-east-1-events',
      KmsMasterKeyId: key,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }),
    });
    prodSecondary.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'api-platform-prod-us-east-1-events-dlq',
      KmsMasterKeyId: key,
    });
  });

  /** Every (action, resource) pair granted to the role whose logical id starts with `rolePrefix`; order-free. */
  function grantsOf(template: Template, rolePrefix: string): string[] {
    const policies = Object.values(
      template.findResources('AWS::IAM::Policy', {
        Properties: { Roles: [{ Ref: Match.stringLikeRegexp(`^${rolePrefix}`) }] },
      }),
    );
    // Resources by logical id without their hash.
    const list = (value: unknown) => (Array.isArray(value) ? value : [value]);
    const resourceName = (resource: { Ref?: string; 'Fn::GetAtt'?: string[]; 'Fn::Join'?: unknown }) => {
      if (resource['Fn::Join'] === undefined) {
        return (resource.Ref ?? resource['Fn::GetAtt']?.[0] ?? '').replace(/[0-9A-F]{8}$/, '');
      }
      // A joined ARN, such as rds-db:connect's `...:dbuser:<resource id>/<user>`: the resource it names, and the user.
      const json = JSON.stringify(resource);
      const named = /"(?:Ref|Fn::GetAtt)":\[?"([A-Za-z0-9]+?)[0-9A-F]{8}"/.exec(json)?.[1] ?? '';
      const user = /\/([A-Za-z0-9_]+)"\]\]\}$/.exec(json)?.[1];
      return user === undefined ? named : `${named}/${user}`;
    };
    return policies
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .flatMap((statement) =>
        list(statement.Action).flatMap((action) =>
          list(statement.Resource).map((resource) => `${action} ${resourceName(resource)}`),
        ),
      )
      .sort();
  }

  test("lets the API's role read its two secrets and sign in as the API's database role, and nothing else", () => {
    // THEN
    expect(grantsOf(prodPrimary, 'ApiClusterServiceAccountRole')).toEqual([
      `rds-db:connect DatabaseProxy/${WORKLOAD_ROLES.api}`,
      'secretsmanager:DescribeSecret CacheAuthToken',
      'secretsmanager:DescribeSecret DatabaseClusterSecretAttachment',
      'secretsmanager:GetSecretValue CacheAuthToken',
      'secretsmanager:GetSecretValue DatabaseClusterSecretAttachment',
    ]);
  });

  test('lets the workloads sign in to the cluster itself in a secondary, where there is no proxy', () => {
    // THEN
    expect(grantsOf(prodSecondary, 'ApiClusterServiceAccountRole')).toContain(
      `rds-db:connect DatabaseCluster/${WORKLOAD_ROLES.api}`,
    );
    expect(grantsOf(prodSecondary, 'ApiClusterRelayServiceAccountRole')).toContain(
      `rds-db:connect DatabaseCluster/${WORKLOAD_ROLES.relay}`,
    );
  });

  test("lets the relay's role, assumable by the relay's service account only, publish to the event queue and nothing else", () => {
    // THEN
    expect(grantsOf(prodPrimary, 'ApiClusterRelayServiceAccountRole')).toEqual([
      'kms:Decrypt EventSinkKey',
      'kms:GenerateDataKey EventSinkKey',
      `rds-db:connect DatabaseProxy/${WORKLOAD_ROLES.relay}`,
      'sqs:GetQueueAttributes EventSinkQueue',
      'sqs:SendMessage EventSinkQueue',
    ]);
    // Its trust is the relay's ServiceAccount, not the API's.
    const trust = Object.entries(prodPrimary.findResources('Custom::AWSCDKCfnJson'))
      .filter(([id]) => id.startsWith('ApiClusterRelayServiceAccountTrustConditions'))
      .map(([, resource]) => JSON.stringify(resource));
    expect(trust).toHaveLength(1);
    expect(trust[0]).toContain(':sub\\":\\"system:serviceaccount:api:api-relay\\"');
    prodPrimary.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Condition: {
              StringEquals: {
                'Fn::GetAtt': [
                  Match.stringLikeRegexp('^ApiClusterRelayServiceAccountTrustConditions'),
                  'Value',
                ],
              },
            },
          }),
        ],
      },
    });
  });

  /**
   * What each regional alarm must watch, read from the resource it watches in the same template (and, for the global
   * lag, from the primary's template): the metric's namespace and name, and its dimensions.
   */
  const expectedMetrics: Record<string, (template: Template) => WatchedMetric[]> = {
    // SNS Developer Guide: a topic's metrics carry TopicName, the topic's name.
    AlertmanagerHeartbeatMissing: (template) => {
      const [heartbeat] = Object.keys(
        template.findResources('AWS::SNS::Topic', {
          Properties: { TopicName: Match.stringLikeRegexp('-heartbeat$') },
        }),
      );
      return [
        {
          namespace: 'AWS/SNS',
          metricName: 'NumberOfMessagesPublished',
          dimensions: { TopicName: { 'Fn::GetAtt': [heartbeat, 'TopicName'] } },
        },
      ];
    },
    AuroraCpuHigh: (template) => [auroraMetric(template, 'CPUUtilization')],
    AuroraFreeableMemoryLow: (template) => [auroraMetric(template, 'FreeableMemory')],
    AuroraConnectionsNearMax: (template) => [auroraMetric(template, 'DatabaseConnections')],
    AuroraReplicaLagHigh: (template) => [auroraMetric(template, 'AuroraReplicaLag')],
    // Aurora User Guide: published in the secondary's region by DBClusterIdentifier and SourceRegion, the region of
    // the cluster that created the global cluster the secondary joined.
    AuroraGlobalReplicationLagHigh: (template) => {
      const cluster = onlyResource(template, 'AWS::RDS::DBCluster').properties;
      const globalCluster = onlyResource(prodPrimary, 'AWS::RDS::GlobalCluster').properties;
      expect(cluster.GlobalClusterIdentifier).toBe(globalCluster.GlobalClusterIdentifier);
      const metric = auroraMetric(template, 'AuroraGlobalDBReplicationLag');
      return [{ ...metric, dimensions: { ...metric.dimensions, SourceRegion: prodPrimaryRegion } }];
    },
    CacheEngineCpuHigh: (template) => cacheMetrics(template, 'EngineCPUUtilization'),
    CacheEvictionsHigh: (template) => cacheMetrics(template, 'Evictions'),
    CacheMemoryHigh: (template) => cacheMetrics(template, 'DatabaseMemoryUsagePercentage'),
    CacheReplicationLagHigh: (template) => cacheMetrics(template, 'ReplicationLag'),
    // ELB User Guide: HealthyHostCount by TargetGroup and LoadBalancer, their full names. The L2 takes the load
    // balancer's (`app/<name>/<id>`) from the ARN of its listener (`...:listener/app/<name>/<id>/<listener id>`).
    ApiRegionNoHealthyTargets: (template) => {
      const loadBalancer = onlyResource(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
      const listener = onlyResource(template, 'AWS::ElasticLoadBalancingV2::Listener');
      expect(listener.properties.LoadBalancerArn).toEqual({ Ref: loadBalancer.id });
      const arnPart = (index: number) => ({
        'Fn::Select': [index, { 'Fn::Split': ['/', { Ref: listener.id }] }],
      });
      const targetGroup = onlyResource(template, 'AWS::ElasticLoadBalancingV2::TargetGroup');
      return [
        {
          namespace: 'AWS/ApplicationELB',
          metricName: 'HealthyHostCount',
          dimensions: {
            LoadBalancer: { 'Fn::Join': ['', [arnPart(1), '/', arnPart(2), '/', arnPart(3)]] },
            TargetGroup: { 'Fn::GetAtt': [targetGroup.id, 'TargetGroupFullName'] },
          },
        },
      ];
    },
  };

  test('has a dimension check for every alarm of a primary and a secondary region', () => {
    // THEN
    const names = [prodPrimary, prodSecondary].flatMap((template) => Object.keys(alarmsByRunbook(template)));
    expect([...new Set(names)].sort()).toEqual(Object.keys(expectedMetrics).sort());
  });

  test.each(Object.keys(expectedMetrics))(
    '%s watches the metric its resource publishes, by its dimensions',
    (name) => {
      // THEN
      const checked = [prodPrimary, prodSecondary].filter((template) => alarmsByRunbook(template)[name]);
      expect(checked.length).toBeGreaterThan(0);
      for (const template of checked) {
        expect(watchedMetrics(alarmsByRunbook(template)[name])).toEqual(expectedMetrics[name](template));
      }
    },
  );

  test('rejects a region that is not in the configuration', () => {
    // THEN
    expect(
      () =>
        new RegionalPlatformStack(new App(), 'Stray', {
          config: dev,
          region: { ...dev.primaryRegion, region: 'sa-east-1' },
        }),
    ).toThrow("region 'sa-east-1' is not a region of platform config 'dev'");
  });
});

// The same feature flags as `cdk synth`.
const CDK_JSON = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'cdk.json'), 'utf8'),
);

interface Fixture {
  readonly app: App;
  readonly stack: RegionalPlatformStack;
  readonly template: Template;
}

/** Synthesizes one region's stack of an environment; `regionIndex` 0 is the primary. */
function synth(envName: EnvironmentName, regionIndex: number): Fixture {
  const config = loadPlatformConfig(envName);
  const app = new App({ context: { ...CDK_JSON.context, env: envName } });
  const stack = new RegionalPlatformStack(app, 'Regional', {
    config,
    region: allRegions(config)[regionIndex],
  });
  return { app, stack, template: Template.fromStack(stack) };
}

/** The API chart's manifest resource, as the JSON text CloudFormation will render. */
function apiManifest(template: Template): string {
  const manifests = Object.entries(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'));
  const [[, manifest]] = manifests.filter(([id]) => id.startsWith('ApiClusterApi'));
  return JSON.stringify(manifest.Properties.Manifest);
}

/** The objects of the applied API chart, with deploy-time values (tokens) replaced by a placeholder. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function apiObjects(template: Template): any[] {
  const manifests = Object.entries(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'));
  const [[, manifest]] = manifests.filter(([id]) => id.startsWith('ApiClusterApi'));
  const parts: unknown[] = manifest.Properties.Manifest['Fn::Join'][1];
  return JSON.parse(parts.map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(''));
}

/** Whether the pattern occurs, without printing the whole manifest on failure. */
function found(text: string, pattern: RegExp): boolean {
  return pattern.test(text);
}

describe('RegionalPlatformStack compute', () => {
  let devPrimary: Fixture;
  let prodSecondary: Fixture;
  beforeAll(() => {
    // GIVEN / WHEN
    devPrimary = synth('dev', 0);
    prodSecondary = synth('prod', 1);
  });

  test.each<[string, () => Fixture, EnvironmentName]>([
    ['dev', () => devPrimary, 'dev'],
    ['prod', () => prodSecondary, 'prod'],
  ])('sizes the %s node group from the configuration', (_, fixture, envName) => {
    // THEN
    const { compute } = loadPlatformConfig(envName);
    fixture().template.hasResourceProperties('AWS::EKS::Nodegroup', {
      InstanceTypes: [compute.nodeInstanceType],
      ScalingConfig: { MinSize: compute.minNodes, DesiredSize: compute.minNodes, MaxSize: compute.maxNodes },
    });
  });

  test('builds the service image from service/Dockerfile for arm64, like the Graviton nodes', () => {
    // THEN
    const image = devPrimary.stack.apiImage;
    expect(image.imageTag).toMatch(/^[0-9a-f]{64}$/);
    const assembly = devPrimary.app.synth();
    const assets = JSON.parse(
      fs.readFileSync(path.join(assembly.directory, `${devPrimary.stack.artifactId}.assets.json`), 'utf8'),
    );
    const { source } = assets.dockerImages[image.assetHash];
    expect(source).toEqual(
      expect.objectContaining({ dockerFile: 'service/Dockerfile', platform: 'linux/arm64' }),
    );
    // The root .dockerignore keeps the staged context to what the image build copies.
    const staged = fs.readdirSync(path.join(assembly.directory, source.directory)).sort();
    expect(staged).not.toContain('node_modules');
    expect(staged).not.toContain('infra');
    const manifest = apiManifest(devPrimary.template);
    // The API pods and the relay pods (each with its schema-wait init container) and the migration Job run the
    // asset's image: the bootstrap repository, tagged with the asset hash.
    expect(manifest.split(`container-assets-111111111111-eu-west-1:${image.imageTag}`)).toHaveLength(6);
    expect(found(manifest, /api-platform\/api:0\.1\.0/)).toBe(false);
  });

  test("gives the data stores' security group to every pod that connects to them: API, relay and migration", () => {
    // WHEN
    const objects = apiObjects(devPrimary.template);
    const policy = objects.find((o) => o.kind === 'SecurityGroupPolicy');
    const podLabels = objects
      .filter((o) => ['Rollout', 'Deployment', 'Job'].includes(o.kind))
      .map((o) => o.spec.template.metadata.labels);
    // THEN
    expect(policy.spec.podSelector).toEqual({ matchLabels: DATA_CLIENT_POD_LABELS });
    expect(podLabels).toHaveLength(3);
    for (const labels of podLabels) expect(labels).toMatchObject(DATA_CLIENT_POD_LABELS);
  });

  test('applies the API chart with the IRSA roles, the secret names, the queue URL and the proxy endpoints in the primary', () => {
    // THEN
    const manifest = apiManifest(devPrimary.template);
    expect(manifest).toContain('eks.amazonaws.com/role-arn');
    expect(found(manifest, /"ApiClusterServiceAccountRole[0-9A-F]{8}","Arn"/)).toBe(true);
    expect(found(manifest, /"ApiClusterRelayServiceAccountRole[0-9A-F]{8}","Arn"/)).toBe(true);
    expect(found(manifest, /OUTBOX_SQS_QUEUE_URL[^{]*\{"Ref":"EventSinkQueue[0-9A-F]{8}"\}/)).toBe(true);
    expect(manifest).toContain('api-platform/dev/database');
    expect(found(manifest, /"Ref":"CacheAuthToken[0-9A-F]{8}"/)).toBe(true);
    expect(found(manifest, /"DatabaseProxy[0-9A-F]{8}","Endpoint"/)).toBe(true);
    expect(found(manifest, /"DatabaseProxyReadOnlyEndpoint[0-9A-F]{8}","Endpoint"/)).toBe(true);
    expect(found(manifest, /"CacheReplicationGroup[0-9A-F]{8}","PrimaryEndPoint\.Address"/)).toBe(true);
  });

  test('reads the replicated database secret and writes through the local reader endpoint in a secondary', () => {
    // THEN
    const manifest = apiManifest(prodSecondary.template);
    expect(manifest).toContain('api-platform/prod/database');
    // A secondary cluster has no writer: its cluster (writer) endpoint must not be used at all. AWS: connect to
    // the reader endpoint of a secondary with write forwarding on ("Connecting to Amazon Aurora Global Database").
    expect(found(manifest, /"DatabaseCluster[0-9A-F]{8}","Endpoint\.Address"/)).toBe(false);
    expect(found(manifest, /"DatabaseCluster[0-9A-F]{8}","ReadEndpoint\.Address"/)).toBe(true);
    // The replica has the primary's name in this region; it is encrypted with Secrets Manager's own key there.
    prodSecondary.template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^ApiClusterServiceAccountRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
            Resource: [
              'arn:aws:secretsmanager:us-east-1:222222222222:secret:api-platform/prod/database-??????',
              { Ref: Match.stringLikeRegexp('^CacheAuthToken') },
            ],
          },
        ]),
      },
    });
  });

  test("binds the pods to the region's target group, which checks the pods' readiness probe path", () => {
    // GIVEN
    const config = loadPlatformConfig('dev');
    const { template } = devPrimary;
    const [targetGroupId] = Object.keys(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'));
    const manifest = apiManifest(template);
    const rollout = JSON.parse(
      JSON.stringify(
        apiPodTemplate({
          workload: config.workload,
          image: 'registry/api:1',
          serviceAccountName: 'api',
          configMapName: 'config',
          secretName: 'secret',
          databaseEnvironment: {},
        }),
      ),
    );
    const [container] = rollout.spec.containers;
    // THEN
    // Booleans, so a failure does not print the whole manifest.
    expect(manifest.includes('TargetGroupBinding')).toBe(true);
    expect(found(manifest, new RegExp(`targetGroupARN[^{]*\\{"Ref":"${targetGroupId}"\\}`))).toBe(true);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetType: 'ip',
      Port: config.workload.containerPort,
      HealthCheckPath: container.readinessProbe.httpGet.path,
      TargetGroupAttributes: Match.arrayWith([
        {
          Key: 'deregistration_delay.timeout_seconds',
          Value: String(deregistrationDelaySeconds(config.workload)),
        },
      ]),
    });
    // The chart is applied only once the controller (and its TargetGroupBinding CRD) is installed.
    const [[, chartResource]] = Object.entries(
      template.findResources('Custom::AWSCDK-EKS-KubernetesResource'),
    ).filter(([id]) => id.startsWith('ApiClusterApi'));
    expect(JSON.stringify(chartResource.DependsOn)).toMatch(/LoadBalancerController/);
  });

  test("names the region's origin and latency records from the configuration, in the configured zone", () => {
    // GIVEN
    const config = loadPlatformConfig('dev');
    // THEN
    for (const name of [regionalOriginName(config, config.primaryRegion), latencyOriginName(config)]) {
      devPrimary.template.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: `${name}.`,
        HostedZoneId: config.domain.hostedZoneId,
      });
    }
    devPrimary.template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      SourcePrefixListId: config.primaryRegion.cloudFrontPrefixListId,
      FromPort: 443,
    });
  });
});

/** An Aurora metric of the template's one cluster, by `DBClusterIdentifier` (the cluster's Ref is its identifier). */
function auroraMetric(template: Template, metricName: string): WatchedMetric {
  const cluster = onlyResource(template, 'AWS::RDS::DBCluster');
  return { namespace: 'AWS/RDS', metricName, dimensions: { DBClusterIdentifier: { Ref: cluster.id } } };
}

/** The metric of every node of the template's one Valkey replication group, by `CacheClusterId` (the node's id). */
function cacheMetrics(template: Template, metricName: string): WatchedMetric[] {
  const group = onlyResource(template, 'AWS::ElastiCache::ReplicationGroup').properties;
  return replicationGroupNodeIds(group.ReplicationGroupId as string, group.NumCacheClusters as number).map(
    (cacheClusterId) => ({
      namespace: 'AWS/ElastiCache',
      metricName,
      dimensions: { CacheClusterId: cacheClusterId },
    }),
  );
}
