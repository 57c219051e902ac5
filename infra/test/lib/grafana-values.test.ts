import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { CLOUDWATCH_DATASOURCE } from '../../../dashboards/grafana/cloudwatch-panel-factories';
import { dataTierDashboard } from '../../../dashboards/grafana/data-tier-dashboard';
import { CLUSTER_ADDONS } from '../../../k8s/lib/cluster-addons';
import { ENVIRONMENT_NAMES, loadPlatformConfig } from '../../config/platform-config';
import {
  CLOUDWATCH_DATASOURCE_UID,
  GRAFANA_CLOUDWATCH_ACTIONS,
  grafanaValues,
} from '../../lib/grafana-values';

const ROLE_ARN = 'arn:aws:iam::111111111111:role/grafana';

/** The `grafana` section of the values, typed for the fields asserted. */
function grafana(values: Record<string, unknown>) {
  return (
    values as {
      grafana: {
        serviceAccount: unknown;
        additionalDataSources: { type: string; uid: string; jsonData: unknown }[];
        'grafana.ini': unknown;
      };
    }
  ).grafana;
}

describe('grafanaValues', () => {
  // GIVEN / WHEN
  const values = grafana(grafanaValues('us-east-1', ROLE_ARN));

  test("names Grafana's service account and gives it the role by the IRSA annotation", () => {
    // THEN
    expect(values.serviceAccount).toEqual({
      name: CLUSTER_ADDONS.grafanaServiceAccountName,
      annotations: { 'eks.amazonaws.com/role-arn': ROLE_ARN },
    });
  });

  test("provisions one CloudWatch data source of the cluster's region, signed with the AWS SDK's default chain", () => {
    // THEN
    expect(values.additionalDataSources).toEqual([
      {
        name: 'CloudWatch',
        type: 'cloudwatch',
        uid: CLOUDWATCH_DATASOURCE_UID,
        editable: false,
        jsonData: { authType: 'default', defaultRegion: 'us-east-1' },
      },
    ]);
  });

  test('accepts no password, by the login form or basic auth, and lets anonymous visitors view only', () => {
    // THEN
    expect(values['grafana.ini']).toEqual({
      auth: { disable_login_form: true },
      'auth.basic': { enabled: false },
      'auth.anonymous': { enabled: true, org_role: 'Viewer' },
    });
  });

  test('lets the role read CloudWatch metrics and nothing else', () => {
    // THEN
    expect([...GRAFANA_CLOUDWATCH_ACTIONS].sort()).toEqual([
      'cloudwatch:GetMetricData',
      'cloudwatch:ListMetrics',
    ]);
  });
});

describe.each(ENVIRONMENT_NAMES)('the %s data-tier dashboard', (envName) => {
  // GIVEN
  const built = dataTierDashboard(loadPlatformConfig(envName)).build();
  const panels = ((built.panels ?? []) as dashboard.Panel[]).filter((panel) => panel.type !== 'row');
  const datasources = grafana(grafanaValues('eu-west-1', ROLE_ARN)).additionalDataSources;

  test('finds the provisioned data source through its variable, the only one of the CloudWatch type', () => {
    // THEN
    const variables = (built.templating?.list ?? []) as { type: string; name: string; query?: unknown }[];
    expect(variables.map(({ type, name, query }) => ({ type, name, query }))).toEqual([
      { type: 'datasource', name: 'cloudwatch', query: 'cloudwatch' },
    ]);
    expect(datasources.filter((source) => source.type === CLOUDWATCH_DATASOURCE.type)).toHaveLength(1);
  });

  test('asks CloudWatch only for metric data, which the role allows (no Logs, alarm or EC2 query)', () => {
    // THEN
    const targets = panels.flatMap((panel) => (panel.targets ?? []) as unknown as Record<string, unknown>[]);
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) {
      expect(target).toMatchObject({ datasource: CLOUDWATCH_DATASOURCE, queryMode: 'Metrics' });
    }
    expect(built.annotations?.list ?? []).not.toContainEqual(
      expect.objectContaining({ datasource: expect.objectContaining({ type: 'cloudwatch' }) }),
    );
  });
});
