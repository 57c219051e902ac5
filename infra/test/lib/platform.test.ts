import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { IConstruct } from 'constructs';
import { RUNBOOK_DIR, runbookUrl } from '../../../dashboards/links';
import { EnvironmentName, loadPlatformConfig } from '../../config/platform-config';
import { MANAGED_ALARM_NAMES } from '../../lib/managed-alarm';
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
  ];
}

describe.each<[EnvironmentName, string[]]>([
  [
    'dev',
    [
      ...apiClusterAcknowledgements('PlatformDevEuWest1'),
      'PlatformDevEuWest1/Cache/AuthToken: Annotation::AwsSolutions-SMG4',
      'PlatformDevEuWest1/Database/Cluster: Annotation::AwsSolutions-RDS10',
      ...apiClusterAcknowledgements('PlatformDevUsEast1'),
      'PlatformDevUsEast1/Cache/AuthToken: Annotation::AwsSolutions-SMG4',
      'PlatformDevUsEast1/Database/Cluster: Annotation::AwsSolutions-RDS10',
    ],
  ],
  [
    'prod',
    [
      ...apiClusterAcknowledgements('PlatformProdApSoutheast2'),
      'PlatformProdApSoutheast2/Cache/AuthToken: Annotation::AwsSolutions-SMG4',
      ...apiClusterAcknowledgements('PlatformProdEuWest1'),
      'PlatformProdEuWest1/Cache/AuthToken: Annotation::AwsSolutions-SMG4',
      ...apiClusterAcknowledgements('PlatformProdUsEast1'),
      'PlatformProdUsEast1/Cache/AuthToken: Annotation::AwsSolutions-SMG4',
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

  test("names every CloudWatch alarm after an existing runbook, linked from its description, and routes it to its stack's topic", () => {
    // THEN
    const used = new Set<string>();
    for (const stack of platform.assembly.stacks) {
      const resources = Object.entries<{ Type: string; Properties: Record<string, unknown> }>(
        stack.template.Resources,
      );
      const topics = resources
        .filter(([, resource]) => resource.Type === 'AWS::SNS::Topic')
        .map(([id]) => id);
      for (const [, alarm] of resources.filter(
        ([, resource]) => resource.Type === 'AWS::CloudWatch::Alarm',
      )) {
        const alarmName = String(alarm.Properties.AlarmName);
        const runbook = alarmName.slice(stack.stackName.length + 1);
        used.add(runbook);
        expect({ alarmName, prefixed: alarmName.startsWith(`${stack.stackName}-`) }).toEqual({
          alarmName,
          prefixed: true,
        });
        expect(MANAGED_ALARM_NAMES).toContain(runbook);
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
        expect(topics).toHaveLength(1);
        expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topics[0] }]);
      }
    }
    // Every listed alarm exists, but the CloudFront one, which waits for the edge stack's distribution.
    expect([...used].sort()).toEqual(
      MANAGED_ALARM_NAMES.filter((name) => name !== 'CloudFront5xxErrorRateHigh').sort(),
    );
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

test('fails synthesis on a new cdk-nag finding', () => {
  // GIVEN / WHEN
  const addOpenSsh = (stacks: PlatformStacks) => {
    const group = new ec2.SecurityGroup(stacks.primary, 'OpenSsh', { vpc: stacks.primary.network.vpc });
    group.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.SSH);
  };
  // THEN
  expect(() => synthPlatform('dev', addOpenSsh)).toThrow(/AwsSolutions-EC23/);
});
