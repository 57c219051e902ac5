// Labels selecting the API pods, taken from the names the SLIs and dashboards query.
import { API_WORKLOAD } from '../../dashboards/slo/api-workload';

/** Labels on every API pod and the selector of its Rollout, Services, PDB, HPA and NetworkPolicy. */
export const API_POD_LABELS: Readonly<Record<string, string>> = {
  [API_WORKLOAD.appLabelKey]: API_WORKLOAD.name,
};

/** Name of the container port every Service, probe and ServiceMonitor refers to. */
export const HTTP_PORT_NAME = 'http';
