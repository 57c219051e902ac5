import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { API_WORKLOAD } from '../../../dashboards/slo/api-workload';
import { CLUSTER_ADDONS } from '../../../k8s/lib/cluster-addons';
import {
  allRegions,
  apiClusterName,
  ENVIRONMENT_NAMES,
  loadPlatformConfig,
} from '../../config/platform-config';
import { CLUSTER_ADD_ON_CHARTS } from '../../lib/cluster-add-on-charts';
import { ClusterAccess, ClusterAccessProps } from '../../lib/cluster-access';

const ADMIN =
  'arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123';
const ON_CALL =
  'arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_OnCall_0123';

function synth(props: Partial<ClusterAccessProps> = {}): Template {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] });
  const cluster = new eks.Cluster(stack, 'Cluster', {
    version: eks.KubernetesVersion.V1_33,
    vpc,
    endpointAccess: eks.EndpointAccess.PRIVATE,
    defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
    defaultCapacity: 0,
  });
  new ClusterAccess(stack, 'Access', {
    cluster,
    vpc,
    platformAdminRoleArn: ADMIN,
    onCallRoleArn: ON_CALL,
    onCallGroup: 'api-platform:on-call',
    ...props,
  });
  return Template.fromStack(stack);
}

const policyArn = (name: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:eks::aws:cluster-access-policy/${name}`]],
});

describe('ClusterAccess', () => {
  let template: Template;
  beforeAll(() => {
    // GIVEN / WHEN
    template = synth();
  });

  test('makes the platform admin a cluster admin, by the role ARN with its path', () => {
    // THEN
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: ADMIN,
      AccessPolicies: [
        { PolicyArn: policyArn('AmazonEKSClusterAdminPolicy'), AccessScope: { Type: 'cluster' } },
      ],
    });
  });

  test("lets the on-call view the cluster, with the group the API chart binds to the runbooks' actions", () => {
    // THEN
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: ON_CALL,
      KubernetesGroups: ['api-platform:on-call'],
      AccessPolicies: [{ PolicyArn: policyArn('AmazonEKSViewPolicy'), AccessScope: { Type: 'cluster' } }],
    });
    // No policy that edits or reads Secrets: the group's Role grants the actions.
    const entries = JSON.stringify(
      template.findResources('AWS::EKS::AccessEntry', { Properties: { PrincipalArn: ON_CALL } }),
    );
    expect(entries).not.toMatch(/AmazonEKSEditPolicy|AmazonEKSAdminPolicy|AmazonEKSClusterAdminPolicy/);
  });

  test('admits the console security group to the control plane on 443 and outputs what a CloudShell VPC environment needs', () => {
    // THEN
    const groups = template.findResources('AWS::EC2::SecurityGroup', {
      Properties: { GroupDescription: Match.stringLikeRegexp('^CloudShell VPC environments') },
    });
    const [consoleGroup] = Object.keys(groups);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      SourceSecurityGroupId: { 'Fn::GetAtt': [consoleGroup, 'GroupId'] },
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Cluster'), 'ClusterSecurityGroupId'] },
    });
    const outputs = Object.entries(template.findOutputs('*'));
    const output = (prefix: string) => outputs.find(([id]) => id.startsWith(prefix))?.[1].Value;
    expect(output('AccessConsoleSecurityGroupId')).toEqual({ 'Fn::GetAtt': [consoleGroup, 'GroupId'] });
    expect(output('AccessClusterName')).toEqual({ Ref: expect.stringMatching(/^Cluster/) });
    expect(output('AccessConsoleVpcId')).toEqual({ Ref: expect.stringMatching(/^Vpc/) });
    expect(JSON.stringify(output('AccessConsoleSubnetIds'))).toMatch(/VpcPrivateSubnet1Subnet/);
  });

  test('refuses a role given by name, one role for both entries, and a system: group', () => {
    // THEN
    expect(() => synth({ onCallRoleArn: 'AWSReservedSSO_OnCall_0123' })).toThrow(
      /onCallRoleArn must be a literal IAM role ARN, path included, got 'AWSReservedSSO_OnCall_0123'/,
    );
    expect(() => synth({ onCallRoleArn: ADMIN })).toThrow(/must differ: a principal has one access entry/);
    expect(() => synth({ onCallGroup: 'system:masters' })).toThrow(/onCallGroup must be a group of your own/);
  });
});

describe('runbooks/on-call-prerequisites.md', () => {
  const ROOT = path.resolve(__dirname, '..', '..', '..');
  const page = readFileSync(path.join(ROOT, 'runbooks', 'on-call-prerequisites.md'), 'utf8');
  const configs = ENVIRONMENT_NAMES.map((envName) => loadPlatformConfig(envName));
  const { release } = CLUSTER_ADD_ON_CHARTS.PrometheusStack;

  test('names every cluster the stacks create, with its regions, and no other', () => {
    // THEN
    const named = new Set(page.match(/api-platform-[a-z]+-api/g));
    expect([...named].sort()).toEqual(configs.map(apiClusterName).sort());
    for (const config of configs) {
      const row = page.split('\n').find((line) => line.includes(`\`${apiClusterName(config)}\``)) ?? '';
      expect(row.match(/[a-z]{2}-[a-z]+-\d/g)).toEqual(allRegions(config).map((region) => region.region));
    }
  });

  test('names each kubectl context after the region of its cluster', () => {
    // THEN
    const prod = configs.find((config) => config.envName === 'prod')!;
    const commands = [...page.matchAll(/update-kubeconfig --name (\S+) --region (\S+) --alias (\S+)/g)];
    expect(commands.map(([, name, region, alias]) => [name, region, alias])).toEqual(
      allRegions(prod).map(({ region }) => [apiClusterName(prod), region, region]),
    );
  });

  test('uses only the namespaces and services the chart and the add-ons create', () => {
    // THEN
    const namespaces = new Set([...page.matchAll(/ -n ([a-z-]+)/g)].map((match) => match[1]));
    // The API's, and those of the add-ons (the plugin's version is read from the Argo Rollouts controller).
    expect([...namespaces].sort()).toEqual(
      [
        API_WORKLOAD.namespace,
        CLUSTER_ADDONS.monitoringNamespace,
        CLUSTER_ADD_ON_CHARTS.ArgoRollouts.namespace,
      ].sort(),
    );
    // kube-prometheus-stack's Grafana is `<release>-grafana`; the operator's Prometheus Service is the one the canary
    // analysis queries.
    const services = new Set([...page.matchAll(/svc\/([a-z-]+)/g)].map((match) => match[1]));
    const prometheusService = new URL(CLUSTER_ADDONS.prometheusUrl).hostname.split('.')[0];
    expect([...services].sort()).toEqual([`${release}-grafana`, prometheusService].sort());
    expect(page).toContain(`kube-prometheus-stack release \`${release}\``);
    // Grafana has no password (infra/lib/grafana-values.ts): nothing to read from its Secret.
    expect(page).not.toMatch(/secret \S*grafana|admin-password/);
    expect(page).toContain('anonymous `Viewer`');
    expect(page).toContain(`-n ${API_WORKLOAD.namespace} get rollout ${API_WORKLOAD.name}`);
  });

  test('points at files that exist, and the runbooks index links it', () => {
    // THEN
    for (const [, file] of page.matchAll(/`((?:infra|k8s|dashboards)\/[\w./-]+\.ts)`/g)) {
      expect(existsSync(path.join(ROOT, file)) ? file : `missing: ${file}`).toBe(file);
    }
    expect(readFileSync(path.join(ROOT, 'runbooks', 'README.md'), 'utf8')).toContain(
      '(on-call-prerequisites.md)',
    );
  });
});
