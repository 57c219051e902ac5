// The metric names the service really exports: its own constants plus prom-client's default metrics,
// read from prom-client itself rather than typed here.
import { Registry, collectDefaultMetrics } from 'prom-client';
import { DB_POOL_CONNECTIONS, HTTP_REQUEST_DURATION } from '../../../service/src/plugins/external/metrics';

/** Returns every series name the service exposes, histogram suffixes expanded. */
export async function exportedMetricNames(): Promise<Set<string>> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const defaults = (await registry.getMetricsAsJSON()).flatMap((metric) =>
    String(metric.type) === 'histogram' ? histogramSeries(metric.name) : [metric.name],
  );
  return new Set([...defaults, ...histogramSeries(HTTP_REQUEST_DURATION), DB_POOL_CONNECTIONS]);
}

function histogramSeries(name: string): string[] {
  return [`${name}_bucket`, `${name}_count`, `${name}_sum`];
}
