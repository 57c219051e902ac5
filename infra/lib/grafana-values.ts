// What each region's Grafana (the kube-prometheus-stack subchart) needs beyond the chart's defaults: a CloudWatch
// data source signed with Grafana's own IRSA role, so the data-tier dashboard's panels have data, and no password
// login, so the chart's published admin password opens nothing. ApiCluster creates the role and merges these values.
import { CLUSTER_ADDONS } from '../../k8s/lib/cluster-addons';

/** Uid of the provisioned CloudWatch data source, which the data-tier dashboard's `cloudwatch` variable selects. */
export const CLOUDWATCH_DATASOURCE_UID = 'cloudwatch';

/**
 * What Grafana's role may call, on every resource: the CloudWatch APIs have no resource-level permissions
 * (Service Authorization Reference, "Actions defined by Amazon CloudWatch": no resource type for either).
 * A subset of the metrics policy in Grafana's "Amazon CloudWatch data source" docs, for what this Grafana does:
 * - `GetMetricData` runs every panel query (metric search and exact-match queries alike);
 * - `ListMetrics` fills the query editor's pickers and answers the data source's health check (`AWS/Billing`).
 * Left out, because no dashboard here uses them: the alarm actions (CloudWatch annotations), `GetInsightRuleReport`
 * (Contributor Insights), the `ec2:Describe*` actions (region list, `ec2_instance_attribute` variables: the panels
 * name their region), `tag:GetResources` (`resource_arns` variables, tag filters) and CloudWatch Logs.
 */
export const GRAFANA_CLOUDWATCH_ACTIONS: readonly string[] = [
  'cloudwatch:GetMetricData',
  'cloudwatch:ListMetrics',
];

/**
 * The kube-prometheus-stack values of a region's Grafana: its service account named and annotated with its IRSA
 * role, the CloudWatch data source of the region, and anonymous read-only access in place of password login.
 * @param region the cluster's region, the data source's default region
 * @param roleArn the IRSA role Grafana's service account assumes
 */
export function grafanaValues(region: string, roleArn: string): Record<string, unknown> {
  return {
    grafana: {
      // grafana/helm-charts, charts/grafana values.yaml: `serviceAccount.name` and its (templated) `annotations`.
      serviceAccount: {
        name: CLUSTER_ADDONS.grafanaServiceAccountName,
        annotations: { 'eks.amazonaws.com/role-arn': roleArn },
      },
      // kube-prometheus-stack values.yaml, `grafana.additionalDataSources`: Grafana data source provisioning entries.
      additionalDataSources: [
        {
          name: 'CloudWatch',
          type: 'cloudwatch',
          uid: CLOUDWATCH_DATASOURCE_UID,
          editable: false,
          // Grafana docs, CloudWatch "AWS authentication": `default` is the AWS SDK's default chain, which reads
          // the web identity token EKS mounts for an IRSA service account; no key is stored anywhere.
          jsonData: { authType: 'default', defaultRegion: region },
        },
      ],
      'grafana.ini': {
        // Grafana docs, "Configure Grafana" ([auth] disable_login_form) and "Configure basic authentication"
        // ([auth.basic] enabled): with both off, Grafana accepts no password at all, the chart's default included.
        auth: { disable_login_form: true },
        'auth.basic': { enabled: false },
        // Grafana docs, "Configure anonymous access" ([auth.anonymous] enabled, org_role): whoever reaches the
        // port-forward sees the dashboards and cannot change them; dashboards and data sources come from code.
        'auth.anonymous': { enabled: true, org_role: 'Viewer' },
      },
    },
  };
}
