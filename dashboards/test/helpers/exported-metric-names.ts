// The metric names the service and its relay really export: their own constants plus prom-client's default metrics,
// read from prom-client itself rather than typed here.
import { Registry, collectDefaultMetrics } from 'prom-client';
import {
  CACHE_COALESCED,
  CACHE_LOADS,
  CACHE_LOOKUPS,
  CACHE_REDIS_ERRORS,
} from '../../../service/src/cache/cache-metrics';
import { IDEMPOTENT_REPLAYS } from '../../../service/src/plugins/app/idempotency/idempotent-executor';
import { OUTBOX_LAG } from '../../../service/src/outbox/outbox-lag';
import { OUTBOX_BATCH_FAILURES, OUTBOX_EVENTS_PUBLISHED } from '../../../service/src/outbox/relay-metrics';
import { SHED_REQUESTS } from '../../../service/src/plugins/external/load-shedding';
import {
  AUTH_TOKEN_VERIFICATIONS,
  CIRCUIT_BREAKER_REJECTIONS,
  CIRCUIT_BREAKER_STATE,
  DB_POOL_CONNECTIONS,
  HTTP_REQUEST_DURATION,
} from '../../../service/src/plugins/external/metrics';
import { RATE_LIMIT_REJECTIONS, RATE_LIMIT_REQUESTS } from '../../../service/src/plugins/external/rate-limit';
import { ARGO_ROLLOUTS_METRIC_NAMES } from '../../prometheus/argo-rollouts-metrics';

/**
 * Series read here that other exporters provide, by exporter: a name listed here is never one of the
 * service's, so a misspelt service metric cannot hide behind it.
 */
export const OTHER_EXPORTERS: Readonly<Record<string, readonly string[]>> = {
  'Argo Rollouts controller': ARGO_ROLLOUTS_METRIC_NAMES,
  'Prometheus itself': ['up'],
};

/** Returns every series name another exporter provides (see `OTHER_EXPORTERS`). */
export function otherExporterMetricNames(): Set<string> {
  return new Set(Object.values(OTHER_EXPORTERS).flat());
}

/** Returns every series name the service exposes, histogram suffixes expanded. */
export async function exportedMetricNames(): Promise<Set<string>> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const defaults = (await registry.getMetricsAsJSON()).flatMap((metric) =>
    String(metric.type) === 'histogram' ? histogramSeries(metric.name) : [metric.name],
  );
  return new Set([
    ...defaults,
    ...histogramSeries(HTTP_REQUEST_DURATION),
    DB_POOL_CONNECTIONS,
    CIRCUIT_BREAKER_STATE,
    CIRCUIT_BREAKER_REJECTIONS,
    CACHE_LOOKUPS,
    CACHE_COALESCED,
    CACHE_REDIS_ERRORS,
    CACHE_LOADS,
    RATE_LIMIT_REQUESTS,
    RATE_LIMIT_REJECTIONS,
    SHED_REQUESTS,
    OUTBOX_LAG,
    OUTBOX_EVENTS_PUBLISHED,
    OUTBOX_BATCH_FAILURES,
    IDEMPOTENT_REPLAYS,
    AUTH_TOKEN_VERIFICATIONS,
  ]);
}

function histogramSeries(name: string): string[] {
  return [`${name}_bucket`, `${name}_count`, `${name}_sum`];
}
