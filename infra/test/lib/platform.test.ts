import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { IConstruct } from 'constructs';
import { RUNBOOK_DIR, runbookUrl } from '../../../dashboards/links';
import {
  allRegions,
  CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS,
  EnvironmentName,
  loadPlatformConfig,
  PlatformConfig,
  validatePlatformConfig,
} from '../../config/platform-config';
import {
  MANAGED_ALARM_NAMES,
  MANAGED_ALARM_SEVERITIES,
  type ManagedAlarmName,
} from '../../lib/managed-alarm';
import { definePlatform, PlatformStacks } from '../../lib/platform';

// The same feature flags as `cdk synth`, so the tests check the templates that would be deployed.
const CDK_JSON = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'cdk.json'), 'utf8'));

interface SynthesizedPlatform {
  readonly outdir: string;
  readonly app: App;
  readonly stacks: PlatformStacks;
  readonly assembly: CloudAssembly;
}

function synthPlatform(
  envName: EnvironmentName,
  extend?: (stacks: PlatformStacks) => void,
): SynthesizedPlatform {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `platform-${envName}-`));
  const app = new App({ outdir, context: { ...CDK_JSON.context, env: envName } });
  const stacks = definePlatform(app, loadPlatformConfig(envName));
  extend?.(stacks);
  try {
    // Throws with the cdk-nag report when any finding is not acknowledged.
    return { outdir, app, stacks, assembly: app.synth() };
  } catch (error) {
    fs.rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
}

/** Every cdk-nag acknowledgement in the tree as `path: rule id`, so that each new one is a visible change here. */
function nagAcknowledgements(root: IConstruct): string[] {
  return root.node
    .findAll()
    .flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.keys(entry.data as Record<string, string>))
        .filter((id) => id.includes('AwsSolutions'))
        .map((id) => `${construct.node.path}: ${id}`),
    )
    .sort();
}

/** The AWS managed policy as cdk-nag's granular IAM4 rule id names it. */
const iam4 = (policy: string) =>
  `Annotation::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policy}]`;

/** The acknowledgements of one region's EKS cluster (reasons in infra/lib/api-cluster.ts), the same in every region. */
function apiClusterAcknowledgements(stackId: string): string[] {
  const cluster = `${stackId}/ApiCluster/Cluster`;
  return [
    `${stackId}/ApiCluster/AlertmanagerServiceAccountRole: Annotation::AwsSolutions-IAM5[Action::kms:GenerateDataKey*]`,
    `${cluster}/KubectlProvider: ${iam4('AmazonEC2ContainerRegistryReadOnly')}`,
    `${cluster}/KubectlProvider: ${iam4('service-role/AWSLambdaBasicExecutionRole')}`,
    `${cluster}/KubectlProvider: ${iam4('service-role/AWSLambdaVPCAccessExecutionRole')}`,
    `${cluster}/KubectlProvider: Annotation::AwsSolutions-IAM4[Policy::{"Fn::If":["ApiClusterKubectlProviderHandlerHasEcrPublic54C19B6B",{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly"]]},{"Ref":"AWS::NoValue"}]}]`,
    `${cluster}/KubectlProvider: Annotation::AwsSolutions-IAM5[Resource::<ApiClusterKubectlProviderHandler8D23C9E4.Arn>:*]`,
    `${cluster}/KubectlProvider: Annotation::AwsSolutions-L1`,
    `${cluster}/NodegroupNodes/NodeGroupRole: ${iam4('AmazonEC2ContainerRegistryReadOnly')}`,
    `${cluster}/NodegroupNodes/NodeGroupRole: ${iam4('AmazonEKSWorkerNodePolicy')}`,
    `${cluster}/NodegroupNodes/NodeGroupRole: ${iam4('AmazonEKS_CNI_Policy')}`,
    `${cluster}/Role: ${iam4('AmazonEKSClusterPolicy')}`,
    `${cluster}/Role: ${iam4('AmazonEKSVPCResourceController')}`,
    `${stackId}/ApiCluster/EbsCsiControllerServiceAccountRole: ${iam4('service-role/AmazonEBSCSIDriverPolicy')}`,
    `${stackId}/ApiCluster/GrafanaServiceAccountRole: Annotation::AwsSolutions-IAM5[Resource::*]`,
  ];
}

/** The acknowledgements of one region's load balancer and its controller (reasons in their constructs). */
function ingressAcknowledgements(stackId: string): string[] {
  return [
    `${stackId}/Ingress/AccessLogs: Annotation::AwsSolutions-S1`,
    `${stackId}/LoadBalancerController/Resource/alb-sa: Annotation::AwsSolutions-IAM5[Resource::*]`,
  ];
}

/** The acknowledgements of the edge stack's distribution (reasons in infra/lib/api-distribution.ts). */
function edgeAcknowledgements(stackId: string): string[] {
  return [
    `${stackId}/Api/AccessLogs: Annotation::AwsSolutions-S1`,
    `${stackId}/Api/Distribution: Annotation::AwsSolutions-CFR1`,
  ];
}

describe.each<[EnvironmentName, string[]]>([
  [
    'dev',
    [
      ...edgeAcknowledgements('PlatformDevEdge'),
      ...apiClusterAcknowledgements('PlatformDevEuWest1'),
      'PlatformDevEuWest1/Cache/AuthToken: Annotation::AwsSolutions-SMG4',
      'PlatformDevEuWest1/Database/Cluster: Annotation::AwsSolutions-RDS10',
      ...ingressAcknowledgements('PlatformDevEuWest1'),
      ...apiClusterAcknowledgements('PlatformDevUsEast1'),
      'PlatformDevUsEast1/Cache/AuthToken: Annotation::AwsSolutions-SMG4',
      'PlatformDevUsEast1/Database/Cluster: Annotation::AwsSolutions-RDS10',
      ...ingressAcknowledgements('PlatformDevUsEast1'),
    ],
  ],
  [
    'prod',
    [
      ...apiClusterAcknowledgements('PlatformProdApSoutheast2'),
      'PlatformProdApSoutheast2/Cache/AuthToken: Annotation::AwsSolutions-SMG4',
      ...ingressAcknowledgements('PlatformProdApSoutheast2'),
      ...edgeAcknowledgements('PlatformProdEdge'),
      ...apiClusterAcknowledgements('PlatformProdEuWest1'),
      'PlatformProdEuWest1/Cache/AuthToken: Annotation::AwsSolutions-SMG4',
      ...ingressAcknowledgements('PlatformProdEuWest1'),
      ...apiClusterAcknowledgements('PlatformProdUsEast1'),
      'PlatformProdUsEast1/Cache/AuthToken: Annotation::AwsSolutions-SMG4',
      ...ingressAcknowledgements('PlatformProdUsEast1'),
    ],
  ],
])('the %s platform', (envName, expectedAcknowledgements) => {
  let platform: SynthesizedPlatform;
  beforeAll(() => {
    // GIVEN / WHEN
    platform = synthPlatform(envName);
  });
  afterAll(() => fs.rmSync(platform.outdir, { recursive: true, force: true }));

  test('synthesizes with zero unacknowledged cdk-nag AwsSolutions findings', () => {
    // THEN
    // cdk-nag leaves acknowledged findings out of the report; anything left is a finding nobody reviewed.
    const report = JSON.parse(
      fs.readFileSync(path.join(platform.assembly.directory, 'validation-report.json'), 'utf8'),
    );
    expect(report.pluginReports.flatMap((plugin: { violations: unknown[] }) => plugin.violations)).toEqual(
      [],
    );
  });

  test('acknowledges exactly the reviewed cdk-nag findings', () => {
    // THEN
    expect(nagAcknowledgements(platform.app)).toEqual(expectedAcknowledgements);
  });

  test('needs no context lookup, so synth works without credentials', () => {
    // THEN
    expect(platform.assembly.manifest.missing ?? []).toEqual([]);
  });

  test('creates one stack per configured region with an explicit account and region, primary first', () => {
    // GIVEN
    const config = loadPlatformConfig(envName);
    // THEN
    const stacks = [platform.stacks.primary, ...platform.stacks.secondaries];
    expect(stacks.map((stack) => [stack.stackName, stack.account, stack.region])).toEqual(
      [config.primaryRegion, ...config.secondaryRegions].map((region) => [
        `api-platform-${envName}-${region.region}`,
        config.account,
        region.region,
      ]),
    );
    const { edge } = platform.stacks;
    expect([edge.stackName, edge.account, edge.region]).toEqual([
      `api-platform-${envName}-edge`,
      config.account,
      'us-east-1',
    ]);
  });

  test('deploys every secondary after the primary, without cross-region references', () => {
    // THEN
    for (const secondary of platform.stacks.secondaries) {
      expect(secondary.dependencies).toEqual([platform.stacks.primary]);
      const template = JSON.stringify(platform.assembly.getStackByName(secondary.stackName).template);
      expect(template).not.toContain('ExportsReader');
      expect(template).not.toContain('Fn::ImportValue');
    }
  });

  test("names every CloudWatch alarm after an existing runbook, linked from its description, and routes it to its stack's topic of its severity", () => {
    // THEN
    const config = loadPlatformConfig(envName);
    const regionNames = allRegions(config).map((region) => region.region);
    const used = new Set<string>();
    for (const stack of platform.assembly.stacks) {
      const resources = Object.entries<{ Type: string; Properties: Record<string, unknown> }>(
        stack.template.Resources,
      );
      const topicOf = (severity: string) =>
        resources.find(
          ([, resource]) =>
            resource.Type === 'AWS::SNS::Topic' &&
            resource.Properties.TopicName === `${stack.stackName}-${severity}`,
        )?.[0];
      for (const [, alarm] of resources.filter(
        ([, resource]) => resource.Type === 'AWS::CloudWatch::Alarm',
      )) {
        const alarmName = String(alarm.Properties.AlarmName);
        const runbook = MANAGED_ALARM_NAMES.find((name) =>
          alarmName.endsWith(`-${name}`),
        ) as ManagedAlarmName;
        used.add(runbook);
        // Named after the stack's region, or the region it watches from outside (the Alertmanager heartbeat).
        const scope = alarmName.slice(0, alarmName.length - runbook.length - 1);
        expect({ alarmName, scope }).toEqual({
          alarmName,
          scope:
            runbook === 'AlertmanagerHeartbeatMissing'
              ? expect.stringMatching(new RegExp(`^api-platform-${envName}-(${regionNames.join('|')})$`))
              : stack.stackName,
        });
        expect(JSON.stringify(alarm.Properties.AlarmDescription)).toContain(
          `Runbook: ${runbookUrl(runbook)}`,
        );
        expect({
          alarmName,
          runbook: fs.existsSync(path.join(__dirname, '..', '..', '..', RUNBOOK_DIR, `${runbook}.md`)),
        }).toEqual({
          alarmName,
          runbook: true,
        });
        const topic = topicOf(MANAGED_ALARM_SEVERITIES[runbook]);
        expect({ alarmName, topic }).toEqual({ alarmName, topic: expect.any(String) });
        expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
      }
    }
    // Every listed alarm exists in the synthesized app.
    expect([...used].sort()).toEqual([...MANAGED_ALARM_NAMES].sort());
  });

  test('deploys the edge stack after every regional stack, naming the origins without cross-region references', () => {
    // GIVEN
    const { primary, secondaries, edge } = platform.stacks;
    const config = loadPlatformConfig(envName);
    // THEN
    expect(new Set(edge.dependencies)).toEqual(new Set([primary, ...secondaries]));
    // The deployment order the CLI follows with `cdk deploy --all`: the primary, the secondaries, then the edge.
    const order = platform.assembly.stacksRecursively.map((stack) => stack.id);
    expect(order.indexOf(edge.artifactId)).toBe(order.length - 1);
    for (const secondary of secondaries) {
      expect(order.indexOf(secondary.artifactId)).toBeGreaterThan(order.indexOf(primary.artifactId));
    }
    const template = JSON.stringify(platform.assembly.getStackByName(edge.stackName).template);
    expect(template).not.toContain('ExportsReader');
    expect(template).not.toContain('Fn::ImportValue');
    for (const region of [config.primaryRegion, config.secondaryRegions[0]]) {
      expect(template).toContain(`"api.${region.region}.${config.domain.zoneName}"`);
    }
  });

  test('destroys in the reverse order: the edge stack first, the primary region last', () => {
    // GIVEN
    const { primary, secondaries, edge } = platform.stacks;
    // WHEN
    // `cdk destroy --all` deletes a stack only after every stack that depends on it.
    const destroyOrder = [...platform.assembly.stacksRecursively].reverse().map((stack) => stack.id);
    // THEN
    expect(destroyOrder[0]).toBe(edge.artifactId);
    expect(destroyOrder[destroyOrder.length - 1]).toBe(primary.artifactId);
    expect(new Set(destroyOrder.slice(1, -1))).toEqual(new Set(secondaries.map((stack) => stack.artifactId)));
  });

  test('retains on deletion only what docs/architecture.md lists: logs everywhere, data and keys in prod', () => {
    // THEN
    const retained = new Set<string>();
    for (const stack of platform.assembly.stacks) {
      for (const resource of Object.values<{ Type: string; DeletionPolicy?: string }>(
        stack.template.Resources,
      )) {
        if (resource.DeletionPolicy !== undefined && resource.DeletionPolicy !== 'Delete') {
          retained.add(`${resource.Type} ${resource.DeletionPolicy}`);
        }
      }
    }
    const logs = ['AWS::Logs::LogGroup Retain', 'AWS::S3::Bucket Retain'];
    const data = [
      'AWS::ElastiCache::ReplicationGroup Snapshot',
      'AWS::KMS::Key Retain',
      'AWS::RDS::DBCluster Snapshot',
      'AWS::RDS::GlobalCluster Retain',
      'AWS::SecretsManager::Secret Retain',
      'AWS::SQS::Queue Retain',
    ];
    expect([...retained].sort()).toEqual((envName === 'prod' ? [...logs, ...data] : logs).sort());
  });

  test('imports the configured hosted zone by id in every stack instead of looking it up', () => {
    // GIVEN
    const config = loadPlatformConfig(envName);
    // THEN
    for (const stack of platform.assembly.stacks) {
      const records = Object.values<{ Type: string; Properties: { HostedZoneId?: unknown } }>(
        stack.template.Resources,
      ).filter((resource) => resource.Type === 'AWS::Route53::RecordSet');
      expect(records.length).toBeGreaterThan(0);
      for (const record of records) {
        expect(record.Properties.HostedZoneId).toBe(config.domain.hostedZoneId);
      }
    }
  });

  test('holds no secret value in any template: passwords and tokens are Secrets Manager references', () => {
    // THEN
    for (const stack of platform.assembly.stacks) {
      for (const resource of Object.values<{ Properties?: Record<string, unknown> }>(
        stack.template.Resources,
      )) {
        for (const key of ['MasterUserPassword', 'AuthToken']) {
          const value = resource.Properties?.[key];
          if (value !== undefined) {
            expect(JSON.stringify(value)).toContain('{{resolve:secretsmanager:');
          }
        }
      }
    }
  });
});

test('synthesizes a three-region variant of dev with every region behind CloudFront and no lookup', () => {
  // GIVEN
  const dev = loadPlatformConfig('dev');
  const config: PlatformConfig = {
    ...dev,
    secondaryRegions: [
      ...dev.secondaryRegions,
      {
        region: 'ap-southeast-2',
        availabilityZones: ['ap-southeast-2a', 'ap-southeast-2b', 'ap-southeast-2c'],
        vpcCidr: '10.12.0.0/16',
        cloudFrontPrefixListId: CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS['ap-southeast-2'],
      },
    ],
  };
  validatePlatformConfig(config);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-three-regions-'));
  try {
    const app = new App({ outdir, context: { ...CDK_JSON.context, env: 'dev' } });
    // WHEN
    const stacks = definePlatform(app, config);
    const assembly = app.synth();
    // THEN
    expect(assembly.manifest.missing ?? []).toEqual([]);
    expect(stacks.secondaries.map((stack) => stack.region)).toEqual(['us-east-1', 'ap-southeast-2']);
    expect(new Set(stacks.edge.dependencies)).toEqual(new Set([stacks.primary, ...stacks.secondaries]));
    for (const stack of [stacks.primary, ...stacks.secondaries]) {
      const template = JSON.stringify(assembly.getStackByName(stack.stackName).template);
      expect(template).toContain(`"api.${stack.region}.dev.example.com."`);
      expect(template).toContain(`"SetIdentifier":"${stack.region}"`);
      expect(template).not.toContain('ExportsReader');
    }
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}, 120_000);

test('fails synthesis on a new cdk-nag finding', () => {
  // GIVEN / WHEN
  const addOpenSsh = (stacks: PlatformStacks) => {
    const group = new ec2.SecurityGroup(stacks.primary, 'OpenSsh', { vpc: stacks.primary.network.vpc });
    group.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.SSH);
  };
  // THEN
  expect(() => synthPlatform('dev', addOpenSsh)).toThrow(/AwsSolutions-EC23/);
});
