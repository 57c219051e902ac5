// The per-pod request rate the HPA scales on, as the Prometheus adapter exposes it: the adapter's rule
// and the HPA's metric name come from here so they cannot drift apart.
import { HTTP_REQUEST_DURATION } from '../../service/src/plugins/external/metrics';

/** Name of the custom metric (custom.metrics.k8s.io) the HPA reads per pod. */
export const REQUESTS_PER_SECOND_METRIC = 'http_requests_per_second';

/** A Prometheus adapter discovery rule (its `rules.custom` entry), as data. */
export interface PrometheusAdapterRule {
  /** Series the rule applies to. */
  readonly seriesQuery: string;
  /** How series labels map to Kubernetes objects. */
  readonly resources: { readonly overrides: Readonly<Record<string, { readonly resource: string }>> };
  /** Name the metric is served under. */
  readonly name: { readonly matches: string; readonly as: string };
  /** Query the adapter runs, with its template placeholders. */
  readonly metricsQuery: string;
}

/** Returns the adapter rule that serves {@link REQUESTS_PER_SECOND_METRIC}; install it with the cluster's adapter. */
export function requestsPerSecondAdapterRule(): PrometheusAdapterRule {
  const series = `${HTTP_REQUEST_DURATION}_count`;
  return {
    seriesQuery: `${series}{namespace!="",pod!=""}`,
    resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
    name: { matches: `^${series}$`, as: REQUESTS_PER_SECOND_METRIC },
    // Two minutes: four 30 s scrapes, short enough for the fast scale-up the HPA behaviour allows.
    metricsQuery: 'sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)',
  };
}
