import { Chart, type ChartProps } from 'cdk8s';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { PriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1/PriorityClass';
import { Construct } from 'constructs';
import { grafanaDashboards } from '../../dashboards/grafana/write-grafana-dashboards';
import { prometheusRuleFiles } from '../../dashboards/prometheus/prometheus-rule-files';
import { API_WORKLOAD } from '../../dashboards/slo/api-workload';
import { apiSlos } from '../../dashboards/slo/slo-definition';
import { allRegions, type PlatformConfig, type RegionConfig } from '../../infra/config/platform-config';
import { ApiAutoscaler } from '../constructs/api-autoscaler';
import { ApiExternalSecret, type ApiSecretSources } from '../constructs/api-external-secret';
import { MigrationExternalSecret } from '../constructs/migration-external-secret';
import { ApiNetworkPolicy } from '../constructs/api-network-policy';
import { ApiRollout } from '../constructs/api-rollout';
import { ApiServiceMonitor } from '../constructs/api-service-monitor';
import { ApiServices } from '../constructs/api-services';
import { ApiTargetGroupBinding } from '../constructs/api-target-group-binding';
import { CanaryAnalysisTemplate } from '../constructs/canary-analysis-template';
import { GrafanaDashboardConfigMaps } from '../constructs/grafana-dashboard-config-maps';
import { MigrationJob, SYNC_WAVES } from '../constructs/migration-job';
import { ON_CALL_MONITORING_RULES, OnCallRole } from '../constructs/on-call-role';
import { OutboxRelayDeployment } from '../constructs/outbox-relay-deployment';
import { OutboxRelayNetworkPolicy } from '../constructs/outbox-relay-network-policy';
import { OutboxRelayPodMonitor } from '../constructs/outbox-relay-pod-monitor';
import { SloPrometheusRules } from '../constructs/slo-prometheus-rules';
import { workloadDatabaseEnvironment } from '../lib/database-environment';
import { apiEnvironment } from '../lib/api-environment';
import { API_POD_LABELS } from '../lib/api-labels';
import { apiPodTemplate } from '../lib/api-pod-template';
import { CLUSTER_ADDONS } from '../lib/cluster-addons';
import { ModelObject } from '../lib/model-object';
import { eventQueueUrl } from '../lib/event-queue-url';
import { relayEnvironment } from '../lib/relay-environment';
import { imageUri } from '../lib/workload-sizing';

/** Priority of the API pods: above ordinary workloads, below the cluster's system-critical classes. */
export const API_PRIORITY_VALUE = 100_000;

/** Namespace label with which the AWS Load Balancer Controller injects target-health readiness gates into pods. */
export const POD_READINESS_GATE_LABEL = 'elbv2.k8s.aws/pod-readiness-gate-inject';

/** Properties of an ApiChart. */
export interface ApiChartProps extends ChartProps {
  /** The environment's platform configuration. */
  readonly config: PlatformConfig;
  /** The region (and so the cluster) the chart is for; one of the config's regions. */
  readonly region: RegionConfig;
  /** Secrets Manager secrets and endpoint hosts of this region, from the infrastructure stacks. */
  readonly secretSources: ApiSecretSources;
  /**
   * IAM role for service accounts (IRSA) the pods assume.
   * @default - no annotation: the role is bound with an EKS Pod Identity association instead
   */
  readonly serviceAccountRoleArn?: string;
  /**
   * IAM role (IRSA) of the outbox relay's service account: it may publish to the region's event queue.
   * @default - no annotation: the role is bound with an EKS Pod Identity association instead
   */
  readonly relayServiceAccountRoleArn?: string;
  /**
   * URL of the region's SQS event queue (created by the infrastructure), which the outbox relay publishes to.
   * @default - the URL SQS gives the queue the infrastructure names after the config
   */
  readonly eventQueueUrl?: string;
  /**
   * ARN of the IP target group in front of the pods (created by the infrastructure); the pods are bound to it
   * with a TargetGroupBinding, and their readiness waits for the target group's health check.
   * @default - no binding: the standalone manifest leaves the load balancer to the operator
   */
  readonly targetGroupArn?: string;
  /**
   * Image to run, tag included.
   * @default - the configured repository and tag in the region's ECR registry
   */
  readonly image?: string;
}

/**
 * Everything the API needs in one regional cluster: namespace, identity, configuration, secrets, the
 * canary Rollout with its analysis, Services, autoscaling, disruption budget, network policy, the
 * migration Job, the outbox relay, and the monitoring objects generated from the SLO definition.
 */
export class ApiChart extends Chart {
  constructor(scope: Construct, id: string, props: ApiChartProps) {
    super(scope, id, props);
    const { config, region } = props;
    const { workload } = config;
    if (!allRegions(config).some((r) => r.region === region.region)) {
      throw new Error(
        `ApiChart: region '${region.region}' is not a region of the '${config.envName}' config`,
      );
    }
    const namespace = API_WORKLOAD.namespace;
    const name = API_WORKLOAD.name;
    const image = props.image ?? imageUri(config.account, region.region, workload);
    if (/:latest$/.test(image) || !/:[^/]+$/.test(image)) {
      throw new Error(`ApiChart: image '${image}' must carry a release tag, not 'latest' or none`);
    }
    const imageTag = image.slice(image.lastIndexOf(':') + 1);

    new ModelObject(this, 'Namespace', {
      model: new Namespace({
        metadata: {
          name: namespace,
          // Pod Security admission rejects any pod in this namespace that breaks the restricted profile.
          labels: {
            // The load balancer controller adds a readiness gate: a pod counts as ready (and a rollout moves on)
            // only once the target group sees it healthy.
            ...(props.targetGroupArn !== undefined ? { [POD_READINESS_GATE_LABEL]: 'enabled' } : {}),
            'pod-security.kubernetes.io/enforce': 'restricted',
            'pod-security.kubernetes.io/audit': 'restricted',
            'pod-security.kubernetes.io/warn': 'restricted',
          },
        },
      }),
    });

    new ModelObject(this, 'PriorityClass', {
      model: new PriorityClass({
        metadata: { name: workload.priorityClassName },
        value: API_PRIORITY_VALUE,
        globalDefault: false,
        description: 'API pods: scheduled before, and preempting, best-effort and batch work.',
      }),
    });

    // What the on-call may do here during an incident, beyond reading: their EKS access entry carries the group.
    new OnCallRole(this, 'OnCallRole', { namespace });
    // Grafana, Prometheus and Alertmanager are reached by port-forward in their own namespace.
    new OnCallRole(this, 'OnCallMonitoringRole', {
      namespace: CLUSTER_ADDONS.monitoringNamespace,
      rules: ON_CALL_MONITORING_RULES,
    });

    new ModelObject(this, 'ServiceAccount', {
      model: new ServiceAccount({
        metadata: {
          name,
          namespace,
          annotations: props.serviceAccountRoleArn
            ? { 'eks.amazonaws.com/role-arn': props.serviceAccountRoleArn }
            : undefined,
        },
        automountServiceAccountToken: false,
      }),
    });

    const configMapName = `${name}-config`;
    new ModelObject(this, 'ConfigMap', {
      model: new ConfigMap({
        metadata: { name: configMapName, namespace },
        data: apiEnvironment(config, region),
      }),
    });

    const secret = new ApiExternalSecret(this, 'ExternalSecret', {
      name: `${name}-secrets`,
      namespace,
      clusterSecretStoreName: CLUSTER_ADDONS.clusterSecretStoreName,
      sources: props.secretSources,
    });

    const migrationSecret = new MigrationExternalSecret(this, 'MigrationExternalSecret', {
      name: `${name}-migration-secrets`,
      namespace,
      clusterSecretStoreName: CLUSTER_ADDONS.clusterSecretStoreName,
      sources: props.secretSources,
    });

    const services = new ApiServices(this, 'Services', { name, namespace, port: workload.containerPort });

    if (props.targetGroupArn !== undefined) {
      new ApiTargetGroupBinding(this, 'TargetGroupBinding', {
        name,
        namespace,
        serviceName: services.serviceName,
        servicePort: workload.containerPort,
        targetGroupArn: props.targetGroupArn,
      });
    }

    const slos = apiSlos(config);
    const analysis = new CanaryAnalysisTemplate(this, 'CanaryAnalysis', {
      name: `${name}-slo`,
      namespace,
      slos,
    });

    new MigrationJob(this, 'Migration', {
      namespace,
      image,
      imageTag,
      serviceAccountName: name,
      secretName: migrationSecret.secretName,
      priorityClassName: workload.priorityClassName,
    });

    const rollout = new ApiRollout(this, 'Rollout', {
      name,
      namespace,
      annotations: { 'argocd.argoproj.io/sync-wave': SYNC_WAVES.rollout },
      template: apiPodTemplate({
        workload,
        image,
        serviceAccountName: name,
        configMapName,
        secretName: secret.secretName,
        databaseEnvironment: workloadDatabaseEnvironment(region),
      }),
      stableServiceName: services.stableServiceName,
      canaryServiceName: services.canaryServiceName,
      analysisTemplateName: analysis.name,
    });

    new ApiAutoscaler(this, 'Autoscaler', { rolloutName: rollout.name, namespace, workload });

    new ModelObject(this, 'DisruptionBudget', {
      model: new PodDisruptionBudget({
        metadata: { name, namespace },
        spec: {
          // One pod at a time: a node drain never takes more capacity than a single failure would.
          maxUnavailable: 1,
          selector: { matchLabels: { ...API_POD_LABELS } },
          // A crash-looping pod serves nothing; it must not block a node drain.
          unhealthyPodEvictionPolicy: 'AlwaysAllow',
        },
      }),
    });

    new ApiNetworkPolicy(this, 'NetworkPolicy', {
      namespace,
      port: workload.containerPort,
      vpcCidr: region.vpcCidr,
      monitoringNamespace: CLUSTER_ADDONS.monitoringNamespace,
    });

    this.addOutboxRelay(props, image, secret.secretName);

    new ApiServiceMonitor(this, 'ServiceMonitor', {
      namespace,
      prometheusSelectorLabels: CLUSTER_ADDONS.prometheusSelectorLabels,
    });

    new SloPrometheusRules(this, 'PrometheusRules', {
      namespace,
      ruleFiles: prometheusRuleFiles(config),
      prometheusSelectorLabels: CLUSTER_ADDONS.prometheusSelectorLabels,
    });

    new GrafanaDashboardConfigMaps(this, 'Dashboards', {
      namespace: CLUSTER_ADDONS.monitoringNamespace,
      dashboards: grafanaDashboards(config),
      sidecarLabels: CLUSTER_ADDONS.grafanaDashboardLabel,
    });
  }

  /**
   * The outbox relay: its own ServiceAccount (its IAM role may publish to the event queue, nothing else),
   * ConfigMap, Deployment with its disruption budget, NetworkPolicy and PodMonitor. It runs in the primary region
   * only: a secondary region forwards its writes, and so its events, to the primary's outbox, and a relay there
   * would publish them to its own region's queue instead of the primary's. After a region failover the chart of the new
   * primary runs it (see the region failover runbook).
   */
  private addOutboxRelay(props: ApiChartProps, image: string, secretName: string): void {
    const { config, region } = props;
    const namespace = API_WORKLOAD.namespace;
    const name = API_WORKLOAD.relayName;
    const isPrimary = region.region === config.primaryRegion.region;

    new ModelObject(this, 'RelayServiceAccount', {
      model: new ServiceAccount({
        metadata: {
          name,
          namespace,
          annotations: props.relayServiceAccountRoleArn
            ? { 'eks.amazonaws.com/role-arn': props.relayServiceAccountRoleArn }
            : undefined,
        },
        // No Kubernetes API token; the EKS pod identity webhook still mounts the role's web identity token.
        automountServiceAccountToken: false,
      }),
    });

    const configMapName = `${name}-config`;
    new ModelObject(this, 'RelayConfigMap', {
      model: new ConfigMap({
        metadata: { name: configMapName, namespace },
        data: relayEnvironment(config, region, props.eventQueueUrl ?? eventQueueUrl(config, region)),
      }),
    });

    new OutboxRelayDeployment(this, 'Relay', {
      name,
      namespace,
      image,
      replicas: isPrimary ? config.outboxRelay.replicas : 0,
      relay: config.outboxRelay,
      serviceAccountName: name,
      configMapName,
      secretName,
      databaseEnvironment: workloadDatabaseEnvironment(region),
      priorityClassName: config.workload.priorityClassName,
      // After the migration, like the API: the relay's queries expect the new schema.
      annotations: { 'argocd.argoproj.io/sync-wave': SYNC_WAVES.rollout },
    });

    new OutboxRelayNetworkPolicy(this, 'RelayNetworkPolicy', {
      name,
      namespace,
      metricsPort: config.outboxRelay.healthPort,
      vpcCidr: region.vpcCidr,
      monitoringNamespace: CLUSTER_ADDONS.monitoringNamespace,
    });

    new OutboxRelayPodMonitor(this, 'RelayPodMonitor', {
      name,
      namespace,
      prometheusSelectorLabels: CLUSTER_ADDONS.prometheusSelectorLabels,
    });
  }
}
