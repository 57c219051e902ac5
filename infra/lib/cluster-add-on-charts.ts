// The Helm charts every regional cluster installs before the API chart, pinned in one place. The API chart
// needs their CRDs and controllers (Argo Rollouts, External Secrets, Prometheus Operator) and the HPA needs
// metrics-server (CPU) and the Prometheus adapter (requests per second). Charts are fetched by the kubectl
// provider at deploy time, never at synth.
import { CLUSTER_ADDONS } from '../../k8s/lib/cluster-addons';
import { requestsPerSecondAdapterRule } from '../../k8s/lib/requests-per-second-metric';

/** One pinned Helm release. */
export interface ClusterAddOnChart {
  /** Chart name in its repository. */
  readonly chart: string;
  /** URL of the Helm repository. */
  readonly repository: string;
  /** Exact chart version: never a range, so every region and every redeploy runs the same release. */
  readonly version: string;
  /** Helm release name. */
  readonly release: string;
  /** Namespace the release is installed in (created if missing). */
  readonly namespace: string;
  /** Helm values that differ from the chart's defaults. */
  readonly values?: Readonly<Record<string, unknown>>;
  /** Minutes the kubectl provider waits for the release to become ready. */
  readonly timeoutMinutes: number;
  /** Custom resource kinds (`group/Kind`) whose CRDs this release installs. */
  readonly providesCrds?: readonly string[];
  /**
   * Custom resource kinds (`group/Kind`) this release's manifests contain with these values: the release that
   * provides each CRD is installed first (Helm fails on a kind the API server does not know yet).
   */
  readonly usesCrds?: readonly string[];
}

/** The Prometheus Operator's kinds that add-on charts render when their values ask for them. */
export const PROMETHEUS_OPERATOR_CRDS = {
  serviceMonitor: 'monitoring.coreos.com/ServiceMonitor',
  podMonitor: 'monitoring.coreos.com/PodMonitor',
  prometheusRule: 'monitoring.coreos.com/PrometheusRule',
} as const;

const prometheusRelease = CLUSTER_ADDONS.prometheusSelectorLabels.release;
const prometheusUrl = new URL(CLUSTER_ADDONS.prometheusUrl);
const [[dashboardLabel, dashboardLabelValue]] = Object.entries(CLUSTER_ADDONS.grafanaDashboardLabel);

/** Construct ids (PascalCase, never renamed) to pinned releases. */
export const CLUSTER_ADD_ON_CHARTS = {
  /** `Rollout` and `AnalysisTemplate` CRDs and their controller. */
  ArgoRollouts: {
    chart: 'argo-rollouts',
    repository: 'https://argoproj.github.io/argo-helm',
    version: '2.40.2',
    release: 'argo-rollouts',
    namespace: 'argo-rollouts',
    // The controller's analysis-run and rollout series feed the ApiCanaryAnalysisFailed alert.
    values: {
      controller: {
        metrics: {
          enabled: true,
          serviceMonitor: { enabled: true, additionalLabels: CLUSTER_ADDONS.prometheusSelectorLabels },
        },
      },
    },
    timeoutMinutes: 10,
    providesCrds: ['argoproj.io/Rollout', 'argoproj.io/AnalysisTemplate', 'argoproj.io/AnalysisRun'],
    usesCrds: [PROMETHEUS_OPERATOR_CRDS.serviceMonitor],
  },
  /**
   * `ExternalSecret` and `ClusterSecretStore`. Pinned to the 0.16 line: the API chart's ExternalSecret is
   * `external-secrets.io/v1beta1`, which 0.17 and later no longer serve.
   */
  ExternalSecrets: {
    chart: 'external-secrets',
    repository: 'https://charts.external-secrets.io',
    version: '0.16.2',
    release: 'external-secrets',
    namespace: 'external-secrets',
    values: { installCRDs: true },
    timeoutMinutes: 10,
    providesCrds: ['external-secrets.io/ExternalSecret', 'external-secrets.io/ClusterSecretStore'],
  },
  /** Prometheus Operator, Prometheus, Grafana with its dashboard sidecar: selects rules by the chart's label. */
  PrometheusStack: {
    chart: 'kube-prometheus-stack',
    repository: 'https://prometheus-community.github.io/helm-charts',
    version: '75.15.0',
    release: prometheusRelease,
    namespace: CLUSTER_ADDONS.monitoringNamespace,
    values: {
      prometheus: {
        prometheusSpec: {
          ruleSelector: { matchLabels: CLUSTER_ADDONS.prometheusSelectorLabels },
          serviceMonitorSelector: { matchLabels: CLUSTER_ADDONS.prometheusSelectorLabels },
          // The outbox relay has no Service: it is scraped through a PodMonitor.
          podMonitorSelector: { matchLabels: CLUSTER_ADDONS.prometheusSelectorLabels },
        },
      },
      grafana: {
        sidecar: { dashboards: { enabled: true, label: dashboardLabel, labelValue: dashboardLabelValue } },
      },
    },
    // The largest release (CRDs, operator, Prometheus, Grafana): the provider's longest wait.
    timeoutMinutes: 15,
    providesCrds: Object.values(PROMETHEUS_OPERATOR_CRDS),
  },
  /**
   * The custom metrics API (`custom.metrics.k8s.io`) serving the per-pod request rate the HPA scales on, from
   * the same Prometheus. Chosen over KEDA: the HPA stays a plain autoscaling/v2 object owning the Rollout's
   * replicas, with no second controller and no ScaledObject CRD. Only the API's rule is served.
   */
  PrometheusAdapter: {
    chart: 'prometheus-adapter',
    repository: 'https://prometheus-community.github.io/helm-charts',
    version: '4.11.0',
    release: 'prometheus-adapter',
    namespace: CLUSTER_ADDONS.monitoringNamespace,
    values: {
      prometheus: {
        url: `${prometheusUrl.protocol}//${prometheusUrl.hostname}`,
        port: Number(prometheusUrl.port),
      },
      rules: { default: false, custom: [requestsPerSecondAdapterRule()] },
    },
    timeoutMinutes: 10,
  },
  /** Resource metrics the HorizontalPodAutoscaler reads for CPU utilisation. */
  MetricsServer: {
    chart: 'metrics-server',
    repository: 'https://kubernetes-sigs.github.io/metrics-server/',
    version: '3.12.2',
    release: 'metrics-server',
    namespace: 'kube-system',
    timeoutMinutes: 10,
  },
} as const satisfies Readonly<Record<string, ClusterAddOnChart>>;

/** Id of one of the {@link CLUSTER_ADD_ON_CHARTS}. */
export type ClusterAddOnId = keyof typeof CLUSTER_ADD_ON_CHARTS;

/**
 * For each add-on, the add-ons that must be installed before it: those providing a CRD it uses. Throws when a
 * used CRD has no provider among `charts`, or when the order has a cycle, naming the add-on.
 */
export function addOnPrerequisites<Id extends string>(
  charts: Readonly<Record<Id, ClusterAddOnChart>>,
): Record<Id, Id[]> {
  const entries = Object.entries(charts) as [Id, ClusterAddOnChart][];
  const providerOf = new Map<string, Id>();
  for (const [id, chart] of entries) {
    for (const crd of chart.providesCrds ?? []) providerOf.set(crd, id);
  }
  const prerequisites = {} as Record<Id, Id[]>;
  for (const [id, chart] of entries) {
    const before = new Set<Id>();
    for (const crd of chart.usesCrds ?? []) {
      const provider = providerOf.get(crd);
      if (provider === undefined) {
        throw new Error(`add-on ${id} uses ${crd}, which no add-on provides (providesCrds)`);
      }
      if (provider !== id) before.add(provider);
    }
    prerequisites[id] = [...before];
  }
  assertAcyclic(prerequisites);
  return prerequisites;
}

/**
 * The Prometheus Operator kinds an add-on's values switch on (`serviceMonitor: { enabled: true }` and the like,
 * the convention of the charts in this file), so a test can hold `usesCrds` to the values.
 */
export function operatorCrdsEnabledByValues(values: unknown): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node)) {
      const kind = PROMETHEUS_OPERATOR_CRDS[key as keyof typeof PROMETHEUS_OPERATOR_CRDS];
      if (kind !== undefined && (child as { enabled?: unknown } | null)?.enabled === true) found.add(kind);
      visit(child);
    }
  };
  visit(values);
  return [...found];
}

function assertAcyclic<Id extends string>(prerequisites: Record<Id, Id[]>): void {
  const done = new Set<Id>();
  const visiting = new Set<Id>();
  const visit = (id: Id): void => {
    if (done.has(id)) return;
    if (visiting.has(id)) throw new Error(`add-on ${id} depends on itself through its CRDs`);
    visiting.add(id);
    for (const before of prerequisites[id]) visit(before);
    visiting.delete(id);
    done.add(id);
  };
  for (const id of Object.keys(prerequisites) as Id[]) visit(id);
}
