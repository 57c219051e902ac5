// Labels selecting the API pods, taken from the names the SLIs and dashboards query.
import { API_WORKLOAD } from '../../dashboards/slo/api-workload';

/** Labels on every API pod and the selector of its Rollout, Services, PDB, HPA and NetworkPolicy. */
export const API_POD_LABELS: Readonly<Record<string, string>> = {
  [API_WORKLOAD.appLabelKey]: API_WORKLOAD.name,
};

/** Name of the container port every Service, probe and ServiceMonitor refers to. */
export const HTTP_PORT_NAME = 'http';

/** Labels on every relay pod and the selector of its Deployment, PDB, NetworkPolicy and PodMonitor. */
export const RELAY_POD_LABELS: Readonly<Record<string, string>> = {
  [API_WORKLOAD.appLabelKey]: API_WORKLOAD.relayName,
};

/**
 * Label on every pod that connects to Aurora and ElastiCache (API, relay, migration). The infrastructure's
 * SecurityGroupPolicy selects it to give those pods the security group the data stores admit.
 */
export const DATA_CLIENT_POD_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/part-of': API_WORKLOAD.name,
};

/** Name of the relay's container port, serving its probes and `/metrics`. */
export const RELAY_PORT_NAME = 'metrics';
