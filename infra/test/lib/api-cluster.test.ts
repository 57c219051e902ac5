import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import { ApiCluster, ApiClusterProps } from '../../lib/api-cluster';
import { CLUSTER_ADD_ON_CHARTS } from '../../lib/cluster-add-on-charts';
import { MONITORING_STORAGE_CLASS, RETENTION_MARGIN_DAYS } from '../../lib/prometheus-storage-values';
import { loadPlatformConfig } from '../../config/platform-config';
import { apiSlos } from '../../../dashboards/slo/slo-definition';
import { CLUSTER_ADDONS } from '../../../k8s/lib/cluster-addons';

// The same feature flags as `cdk synth` (the native OIDC provider among them).
const CDK_JSON = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'cdk.json'), 'utf8'));

/** The dev SLOs: 30-day windows. */
const SLOS = apiSlos(loadPlatformConfig('dev'));

interface Fixture {
  readonly stack: Stack;
  readonly apiCluster: ApiCluster;
  readonly template: Template;
}

function synth(props: Partial<ApiClusterProps> = {}): Fixture {
  const stack = new Stack(new App({ context: CDK_JSON.context }), 'TestStack', {
    env: { account: '111111111111', region: 'eu-west-1' },
  });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    ],
  });
  const serviceSecurityGroup = new ec2.SecurityGroup(stack, 'Service', { vpc });
  const secret = (id: string) =>
    new secretsmanager.Secret(stack, id, { encryptionKey: new kms.Key(stack, `${id}Key`) });
  const apiCluster = new ApiCluster(stack, 'ApiCluster', {
    vpc,
    serviceSecurityGroup,
    servicePort: 3000,
    podSelectorLabels: { 'app.kubernetes.io/name': 'api' },
    serviceAccount: { namespace: 'api', name: 'api' },
    readableSecrets: [secret('DatabaseSecret'), secret('CacheToken')],
    clusterSecretStoreName: 'aws-secrets-manager',
    alertmanagerConfig: { route: { receiver: 'page' }, receivers: [{ name: 'page' }] },
    slos: SLOS,
    ...props,
  });
  const chart = new cdk8s.Chart(new cdk8s.App(), 'api');
  new cdk8s.ApiObject(chart, 'Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'api' } });
  new cdk8s.ApiObject(chart, 'Config', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'api-config', namespace: 'api' },
  });
  apiCluster.addApiChart('Api', chart);
  return { stack, apiCluster, template: Template.fromStack(stack) };
}

/** The kube-prometheus-stack release's Helm values as one string (they hold tokens, so not parsed). */
function prometheusStackValues(template: Template): string {
  const [release] = Object.values(template.findResources('Custom::AWSCDK-EKS-HelmChart')).filter(
    (resource) => resource.Properties.Release === CLUSTER_ADD_ON_CHARTS.PrometheusStack.release,
  );
  return JSON.stringify(release.Properties.Values);
}

/** The logical id of the only resource of `type` whose id starts with `prefix`. */
function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** The manifest list a Custom::AWSCDK-EKS-KubernetesResource applies, parsed from its Fn::Join. */
function manifestKinds(template: Template, logicalIdPart: string): unknown[] {
  const resources = template.findResources('Custom::AWSCDK-EKS-KubernetesResource');
  const [, resource] = Object.entries(resources).find(([id]) => id.includes(logicalIdPart)) ?? [];
  return JSON.stringify(resource?.Properties.Manifest).match(/\\"kind\\":\\"[A-Za-z]+\\"/g) ?? [];
}

describe('ApiCluster', () => {
  let fixture: Fixture;
  beforeAll(() => {
    // GIVEN / WHEN
    fixture = synth();
  });

  test('runs Kubernetes 1.33 with a private endpoint only, secrets encrypted with its key and every log type', () => {
    // THEN
    fixture.template.hasResourceProperties('AWS::EKS::Cluster', {
      Version: '1.33',
      ResourcesVpcConfig: Match.objectLike({ EndpointPrivateAccess: true, EndpointPublicAccess: false }),
      EncryptionConfig: [
        {
          Provider: { KeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiClusterSecretsKey'), 'Arn'] } },
          Resources: ['secrets'],
        },
      ],
      Logging: {
        ClusterLogging: {
          EnabledTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'].map((type) => ({
            Type: type,
          })),
        },
      },
    });
    fixture.template.hasResourceProperties('AWS::KMS::Key', {
      Description: 'EKS: envelope encryption of Kubernetes secrets',
      EnableKeyRotation: true,
    });
  });

  test('places the control plane in the private subnets', () => {
    // THEN
    const [cluster] = Object.values(fixture.template.findResources('AWS::EKS::Cluster'));
    expect(JSON.stringify(cluster.Properties.ResourcesVpcConfig.SubnetIds)).not.toContain('Public');
  });

  test('has a Graviton managed node group of 3 to 6 nodes by default', () => {
    // THEN
    fixture.template.hasResourceProperties('AWS::EKS::Nodegroup', {
      InstanceTypes: ['m7g.large'],
      AmiType: 'AL2023_ARM_64_STANDARD',
      CapacityType: 'ON_DEMAND',
      ScalingConfig: { MinSize: 3, DesiredSize: 3, MaxSize: 6 },
    });
  });

  test("lets only the API's service account assume its role, through the cluster's OIDC provider", () => {
    // THEN
    fixture.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRoleWithWebIdentity',
            Effect: 'Allow',
            Principal: { Federated: { Ref: Match.stringLikeRegexp('^ApiClusterOidcProviderNative') } },
            Condition: {
              StringEquals: { 'Fn::GetAtt': [Match.stringLikeRegexp('TrustConditions'), 'Value'] },
            },
          },
        ],
      },
    });
    fixture.template.hasResourceProperties('Custom::AWSCDKCfnJson', {
      Value: {
        'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':sub":"system:serviceaccount:api:api"')])],
      },
    });
  });

  test('grants the service account role exactly the reading of its two secrets', () => {
    // THEN
    const policies = fixture.template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^ApiClusterServiceAccountRole') }] },
    });
    const statements = Object.values(policies).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement,
    );
    const grants = statements
      .flatMap((statement) =>
        [statement.Resource].flat().map((resource: { Ref: string }) => ({
          effect: statement.Effect,
          actions: [statement.Action].flat().sort(),
          resource: resource.Ref.replace(/[0-9A-F]{8}$/, ''),
          condition: statement.Condition,
        })),
      )
      .sort((a, b) => a.resource.localeCompare(b.resource));
    expect(grants).toEqual(
      ['CacheToken', 'DatabaseSecret'].map((resource) => ({
        effect: 'Allow',
        actions: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        resource,
        condition: undefined,
      })),
    );
  });

  test('lets the role decrypt with each secret key only through Secrets Manager', () => {
    // THEN
    for (const keyId of ['DatabaseSecretKey', 'CacheTokenKey']) {
      const [key] = Object.entries(fixture.template.findResources('AWS::KMS::Key')).filter(([id]) =>
        id.startsWith(keyId),
      );
      const roleStatements = key[1].Properties.KeyPolicy.Statement.filter(
        (statement: { Principal: unknown }) =>
          JSON.stringify(statement.Principal).includes('ApiClusterServiceAccountRole'),
      );
      expect(roleStatements).toEqual([
        {
          Action: 'kms:Decrypt',
          Effect: 'Allow',
          Principal: {
            AWS: { 'Fn::GetAtt': [expect.stringMatching(/^ApiClusterServiceAccountRole/), 'Arn'] },
          },
          Resource: '*',
          Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
        },
      ]);
    }
  });

  test('admits the cluster security group to the API port on the service security group', () => {
    // THEN
    fixture.template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 3000,
      ToPort: 3000,
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Service'), 'GroupId'] },
      SourceSecurityGroupId: {
        'Fn::GetAtt': [Match.stringLikeRegexp('^ApiCluster'), 'ClusterSecurityGroupId'],
      },
    });
  });

  test('turns on security groups for pods in the managed VPC CNI', () => {
    // THEN
    fixture.template.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'vpc-cni',
      ResolveConflicts: 'OVERWRITE',
      ConfigurationValues: Match.stringLikeRegexp('"ENABLE_POD_ENI":"true"'),
    });
  });

  test("enforces the chart's NetworkPolicies with the VPC CNI's network policy agent", () => {
    // THEN
    fixture.template.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'vpc-cni',
      ConfigurationValues: Match.stringLikeRegexp('"enableNetworkPolicy":"true"'),
    });
  });

  test('installs every add-on from its pinned chart version', () => {
    // THEN
    for (const addOn of Object.values(CLUSTER_ADD_ON_CHARTS)) {
      expect(addOn.version).toMatch(/^\d+\.\d+\.\d+$/);
      fixture.template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
        Chart: addOn.chart,
        Repository: addOn.repository,
        Version: addOn.version,
        Release: addOn.release,
        Namespace: addOn.namespace,
        CreateNamespace: true,
        Wait: true,
      });
    }
  });

  test('has Prometheus scrape the Argo Rollouts controller, whose series the canary alert reads', () => {
    // THEN
    fixture.template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
      Release: CLUSTER_ADD_ON_CHARTS.ArgoRollouts.release,
      Values: Match.serializedJson(
        Match.objectLike({
          controller: {
            metrics: {
              enabled: true,
              serviceMonitor: { enabled: true, additionalLabels: CLUSTER_ADDONS.prometheusSelectorLabels },
            },
          },
        }),
      ),
    });
  });

  test('installs argo-rollouts only after kube-prometheus-stack, whose ServiceMonitor CRD its values use', () => {
    // WHEN
    const releases = fixture.template.findResources('Custom::AWSCDK-EKS-HelmChart');
    const idOf = (release: string) =>
      Object.keys(releases).find((id) => releases[id].Properties.Release === release) as string;
    // THEN
    expect(releases[idOf(CLUSTER_ADD_ON_CHARTS.ArgoRollouts.release)].DependsOn).toEqual(
      expect.arrayContaining([idOf(CLUSTER_ADD_ON_CHARTS.PrometheusStack.release)]),
    );
  });

  test('applies the API chart after every add-on and the secret store', () => {
    // THEN
    const [[, manifest]] = Object.entries(
      fixture.template.findResources('Custom::AWSCDK-EKS-KubernetesResource'),
    ).filter(([id]) => id.startsWith('ApiClusterApi'));
    const helmCharts = Object.keys(fixture.template.findResources('Custom::AWSCDK-EKS-HelmChart'));
    expect(helmCharts).toHaveLength(Object.keys(CLUSTER_ADD_ON_CHARTS).length);
    expect(manifest.DependsOn).toEqual(expect.arrayContaining(helmCharts));
    expect(manifest.DependsOn).toEqual(
      expect.arrayContaining([expect.stringMatching(/^ApiClustermanifestClusterSecretStore/)]),
    );
  });

  test('puts the SecurityGroupPolicy after the Namespace and before the objects in it', () => {
    // THEN
    expect(manifestKinds(fixture.template, 'ApiClusterApi')).toEqual([
      '\\"kind\\":\\"Namespace\\"',
      '\\"kind\\":\\"SecurityGroupPolicy\\"',
      '\\"kind\\":\\"ConfigMap\\"',
    ]);
  });

  test('points the ClusterSecretStore at Secrets Manager in its region, as the API service account, for the API namespace only', () => {
    // THEN
    const manifest = JSON.stringify(manifestKinds(fixture.template, 'ClusterSecretStore'));
    expect(manifest).toContain('ClusterSecretStore');
    const [[, store]] = Object.entries(
      fixture.template.findResources('Custom::AWSCDK-EKS-KubernetesResource'),
    ).filter(([id]) => id.includes('ClusterSecretStore'));
    const text = JSON.stringify(store.Properties.Manifest);
    expect(text).toContain('\\"service\\":\\"SecretsManager\\",\\"region\\":\\"eu-west-1\\"');
    expect(text).toContain('\\"serviceAccountRef\\":{\\"name\\":\\"api\\",\\"namespace\\":\\"api\\"}');
    expect(text).toContain('\\"conditions\\":[{\\"namespaces\\":[\\"api\\"]}]');
  });

  test('installs the EBS CSI driver as a managed add-on with its own role, once the nodes that run it exist', () => {
    // THEN
    const role = logicalId(
      fixture.template,
      'AWS::IAM::Role',
      'ApiClusterEbsCsiControllerServiceAccountRole',
    );
    fixture.template.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'aws-ebs-csi-driver',
      ServiceAccountRoleArn: { 'Fn::GetAtt': [role, 'Arn'] },
    });
    const [addon] = Object.values(
      fixture.template.findResources('AWS::EKS::Addon', { Properties: { AddonName: 'aws-ebs-csi-driver' } }),
    );
    expect(addon.DependsOn).toEqual(
      expect.arrayContaining([
        logicalId(fixture.template, 'AWS::EKS::Nodegroup', 'ApiClusterNodegroupNodes'),
      ]),
    );
  });

  test("lets only the driver's controller service account assume its role, which has the driver's managed policy", () => {
    // THEN
    fixture.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: {
                'Fn::GetAtt': [
                  Match.stringLikeRegexp('^ApiClusterEbsCsiControllerServiceAccountTrustConditions'),
                  'Value',
                ],
              },
            },
          }),
        ],
      },
      ManagedPolicyArns: [
        {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy'],
          ],
        },
      ],
    });
    fixture.template.hasResourceProperties('Custom::AWSCDKCfnJson', {
      Value: {
        'Fn::Join': [
          '',
          Match.arrayWith([
            Match.stringLikeRegexp(':sub":"system:serviceaccount:kube-system:ebs-csi-controller-sa"'),
          ]),
        ],
      },
    });
  });

  test('applies the monitoring StorageClass, kept when its claim goes by default, before kube-prometheus-stack', () => {
    // THEN
    const storageClass = logicalId(
      fixture.template,
      'Custom::AWSCDK-EKS-KubernetesResource',
      'ApiClustermanifestMonitoringStorageClass',
    );
    const manifest = JSON.stringify(
      fixture.template.findResources('Custom::AWSCDK-EKS-KubernetesResource')[storageClass].Properties
        .Manifest,
    );
    expect(manifest).toContain('\\"kind\\":\\"StorageClass\\"');
    expect(manifest).toContain(`\\"name\\":\\"${MONITORING_STORAGE_CLASS}\\"`);
    expect(manifest).toContain('\\"reclaimPolicy\\":\\"Retain\\"');
    const releases = fixture.template.findResources('Custom::AWSCDK-EKS-HelmChart');
    const [prometheusStack] = Object.values(releases).filter(
      (resource) => resource.Properties.Release === CLUSTER_ADD_ON_CHARTS.PrometheusStack.release,
    );
    const addon = Object.keys(
      fixture.template.findResources('AWS::EKS::Addon', { Properties: { AddonName: 'aws-ebs-csi-driver' } }),
    );
    expect(prometheusStack.DependsOn).toEqual(expect.arrayContaining([storageClass, ...addon]));
  });

  test('lets a monitoring volume go with its claim when the removal policy is DESTROY', () => {
    // GIVEN
    const { template } = synth({ removalPolicy: RemovalPolicy.DESTROY });
    // THEN
    const manifests = JSON.stringify(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'));
    expect(manifests).toContain('\\"reclaimPolicy\\":\\"Delete\\"');
    expect(manifests).not.toContain('\\"reclaimPolicy\\":\\"Retain\\"');
  });

  test("keeps Prometheus' data on the monitoring class for the SLOs' longest window plus the margin, beside the regional values", () => {
    // WHEN
    const values = prometheusStackValues(fixture.template);
    // THEN
    const retentionDays = Number(/\\"retention\\":\\"(\d+)d\\"/.exec(values)?.[1]);
    const longestWindowDays = Math.max(...SLOS.map((slo) => slo.periodDays));
    expect(retentionDays).toBeGreaterThanOrEqual(longestWindowDays + RETENTION_MARGIN_DAYS);
    expect(values).toMatch(/\\"retentionSize\\":\\"\d+GB\\"/);
    expect(values).toContain(`\\"storageClassName\\":\\"${MONITORING_STORAGE_CLASS}\\"`);
    expect(values).toContain('\\"alertmanagerSpec\\":{\\"storage\\":{\\"volumeClaimTemplate\\"');
    // The regional values and the chart's static ones are still there: the storage values were merged, not laid over.
    expect(values).toContain('\\"externalLabels\\":{\\"region\\":\\"eu-west-1\\"');
    expect(values).toContain('\\"ruleSelector\\"');
  });

  test("lets only Grafana's service account assume its role, which may only read CloudWatch metrics", () => {
    // THEN
    const role = logicalId(fixture.template, 'AWS::IAM::Role', 'ApiClusterGrafanaServiceAccountRole');
    const conditions = logicalId(
      fixture.template,
      'Custom::AWSCDKCfnJson',
      'ApiClusterGrafanaServiceAccountTrustConditions',
    );
    fixture.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRoleWithWebIdentity',
            Effect: 'Allow',
            Principal: { Federated: { Ref: Match.stringLikeRegexp('^ApiClusterOidcProviderNative') } },
            Condition: { StringEquals: { 'Fn::GetAtt': [conditions, 'Value'] } },
          },
        ],
      },
    });
    const trust = JSON.stringify(
      fixture.template.findResources('Custom::AWSCDKCfnJson')[conditions].Properties.Value,
    );
    expect(trust.match(/system:serviceaccount:[^"\\]+/g)).toEqual([
      `system:serviceaccount:${CLUSTER_ADDONS.monitoringNamespace}:${CLUSTER_ADDONS.grafanaServiceAccountName}`,
    ]);
    expect(trust).toMatch(/:aud\\+":\\+"sts\.amazonaws\.com\\+"/);
    // The only policy of the role: the two read actions, on '*' since CloudWatch has no resource-level permissions.
    const policies = fixture.template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: role }] },
    });
    expect(Object.values(policies).map((policy) => policy.Properties.PolicyDocument.Statement)).toEqual([
      [
        {
          Action: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'],
          Effect: 'Allow',
          Resource: '*',
        },
      ],
    ]);
    expect(
      fixture.template.findResources('AWS::IAM::Role')[role].Properties.ManagedPolicyArns,
    ).toBeUndefined();
  });

  test("gives Grafana its role, the region's CloudWatch data source and no password login, beside the other values", () => {
    // WHEN
    const values = prometheusStackValues(fixture.template);
    // THEN
    const role = logicalId(fixture.template, 'AWS::IAM::Role', 'ApiClusterGrafanaServiceAccountRole');
    expect(values).toContain(
      `\\"serviceAccount\\":{\\"name\\":\\"${CLUSTER_ADDONS.grafanaServiceAccountName}\\",\\"annotations\\":{\\"eks.amazonaws.com/role-arn\\":\\"",{"Fn::GetAtt":["${role}","Arn"]}`,
    );
    expect(values).toContain(
      '\\"additionalDataSources\\":[{\\"name\\":\\"CloudWatch\\",\\"type\\":\\"cloudwatch\\",\\"uid\\":\\"cloudwatch\\",\\"editable\\":false,\\"jsonData\\":{\\"authType\\":\\"default\\",\\"defaultRegion\\":\\"eu-west-1\\"}}]',
    );
    expect(values).toContain(
      '\\"grafana.ini\\":{\\"auth\\":{\\"disable_login_form\\":true},\\"auth.basic\\":{\\"enabled\\":false},\\"auth.anonymous\\":{\\"enabled\\":true,\\"org_role\\":\\"Viewer\\"}}',
    );
    // Merged into the chart's Grafana values, not laid over them: the dashboard sidecar is still on.
    expect(values).toContain('\\"sidecar\\":{\\"dashboards\\":{\\"enabled\\":true');
    expect(values).toContain('\\"retentionSize\\"');
  });

  test('rejects invalid sizes and a non-Graviton instance type', () => {
    // THEN
    expect(() => synth({ minNodes: 1 })).toThrow(/minNodes must be an integer of at least 2/);
    expect(() => synth({ minNodes: 4, maxNodes: 3 })).toThrow(
      /maxNodes must be an integer of at least minNodes/,
    );
    expect(() => synth({ nodeInstanceType: new ec2.InstanceType('m7i.large') })).toThrow(
      /nodeInstanceType must be Graviton/,
    );
    expect(() => synth({ readableSecrets: [] })).toThrow(/readableSecrets must name/);
    expect(() => synth({ slos: [] })).toThrow(/slos must list the SLOs/);
  });
});
