// Where the API runs in Kubernetes and which labels Prometheus puts on its series: the SLIs, the canary
// analysis and the runbooks all select the service by these names, so k8s/ must create exactly these.

/** The API workload as Kubernetes and Prometheus see it; k8s/ builds its Rollout and ServiceMonitor from it. */
export const API_WORKLOAD = {
  /** Namespace of the Rollout, its Services and pods. */
  namespace: 'api',
  /** Name of the Argo Rollout (and of the container and Service); also the SLO `service` label. */
  name: 'api',
  /** Name of the outbox relay's Deployment (and of its pods' `appLabelKey` value) in the same namespace. */
  relayName: 'api-relay',
  /** Pod label selecting the API pods, and its value (`name`). */
  appLabelKey: 'app.kubernetes.io/name',
  /** Pod label Argo Rollouts sets to the revision's pod template hash; the ServiceMonitor copies it with `podTargetLabels`. */
  podTemplateHashLabelKey: 'rollouts-pod-template-hash',
  /** Label names on the scraped series. */
  prometheusLabels: {
    namespace: 'namespace',
    pod: 'pod',
    /** `rollouts-pod-template-hash` after Prometheus sanitises the name: selects one revision's pods. */
    podTemplateHash: 'rollouts_pod_template_hash',
    /**
     * The AWS region, which each Prometheus adds as an external label to the series and alerts leaving it (its
     * `externalLabels` in infra/). Absent inside one Prometheus; the SLIs aggregate by it, so that where several
     * regions' series meet each region is still judged on its own traffic.
     */
    region: 'region',
  },
} as const;
