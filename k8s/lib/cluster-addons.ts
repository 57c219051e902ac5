// Names of the cluster add-ons the chart relies on but does not install (Prometheus Operator,
// External Secrets, Grafana): one place to change when a cluster names them differently.

/** Where the chart finds the add-ons installed in every regional cluster. */
export const CLUSTER_ADDONS = {
  /** Namespace of Prometheus, Grafana and the Prometheus adapter: the only in-cluster client allowed to reach the pods. */
  monitoringNamespace: 'monitoring',
  /** Prometheus query URL the canary analysis reads (the operator's `prometheus-operated` Service). */
  prometheusUrl: 'http://prometheus-operated.monitoring.svc:9090',
  /** Label the Prometheus Operator selects PrometheusRules and ServiceMonitors by. */
  prometheusSelectorLabels: { release: 'prometheus' } as Readonly<Record<string, string>>,
  /** External Secrets ClusterSecretStore backed by AWS Secrets Manager in the cluster's region. */
  clusterSecretStoreName: 'aws-secrets-manager',
  /** Service account of Alertmanager, named rather than left to the chart, so its IAM role can trust it by name. */
  alertmanagerServiceAccountName: 'alertmanager',
  /** Service account of Grafana, named rather than left to the chart, so its IAM role can trust it by name. */
  grafanaServiceAccountName: 'grafana',
  /** Label the Grafana dashboard sidecar loads ConfigMaps by. */
  grafanaDashboardLabel: { grafana_dashboard: '1' } as Readonly<Record<string, string>>,
} as const;
