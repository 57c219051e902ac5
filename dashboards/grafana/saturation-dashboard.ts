// Saturation of the API pods: event loop, memory, CPU and the database pools, the resources that run out
// before the latency SLO does; then the defences that hold when they run out (caches, breaker, limiter,
// shedding) and the outbox and idempotency that make retries safe.
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { PlatformConfig } from '../../infra/config/platform-config';
import { CACHE_COALESCED, CACHE_LOOKUPS } from '../../service/src/cache/cache-metrics';
import { IDEMPOTENT_REPLAYS } from '../../service/src/plugins/app/idempotency/idempotent-executor';
import { OUTBOX_LAG } from '../../service/src/outbox/outbox-lag';
import { SHED_REQUESTS } from '../../service/src/plugins/external/load-shedding';
import {
  CIRCUIT_BREAKER_REJECTIONS,
  CIRCUIT_BREAKER_STATE,
  DB_POOL_CONNECTIONS,
} from '../../service/src/plugins/external/metrics';
import { RATE_LIMIT_REJECTIONS, RATE_LIMIT_REQUESTS } from '../../service/src/plugins/external/rate-limit';
import { API_WORKLOAD } from '../slo/api-workload';
import { selector, type Matcher } from '../slo/promql';
import {
  EVENT_LOOP_LAG_P99,
  SERVICE_ALERT_THRESHOLDS,
  gaugeAlerts,
  rateAlerts,
} from '../prometheus/service-alert-rules';
import { SATURATION_PANEL_IDS } from './dashboard-ids';
import { timeseriesPanel } from './panel-factories';
import { generatedDashboard } from './generated-dashboard';

/** prom-client default metrics shown here (process and Node.js runtime). */
export const RUNTIME_METRICS = {
  heapUsed: 'nodejs_heap_size_used_bytes',
  residentMemory: 'process_resident_memory_bytes',
  cpuSeconds: 'process_cpu_seconds_total',
} as const;

/** Returns the saturation dashboard of an environment. */
export function saturationDashboard(config: PlatformConfig): dashboard.DashboardBuilder {
  const ns: Matcher = {
    label: API_WORKLOAD.prometheusLabels.namespace,
    op: '=',
    value: API_WORKLOAD.namespace,
  };
  const pool = (state: string) =>
    selector(DB_POOL_CONNECTIONS, [ns, { label: 'state', op: '=', value: state }]);
  const alertOn = (metric: string) => gaugeAlerts(config).find((alert) => alert.metric === metric);
  const lag = alertOn(EVENT_LOOP_LAG_P99);
  const waiting = alertOn(DB_POOL_CONNECTIONS);
  // Runbooks of the alerts that link to a panel, so a panel and its alerts cannot disagree.
  const runbooksOf = (panelId: number) =>
    [...gaugeAlerts(config), ...rateAlerts()].filter((a) => a.panelId === panelId).map((a) => a.alert);
  const rate = (metric: string, matchers: readonly Matcher[] = []) =>
    `rate(${selector(metric, [ns, ...matchers])}[$__rate_interval])`;
  const m = (label: string, value: string): Matcher => ({ label, op: '=', value });
  const breaker = alertOn(CIRCUIT_BREAKER_STATE);
  const outbox = alertOn(OUTBOX_LAG);
  const redAbove = (threshold: number | undefined) =>
    threshold === undefined
      ? undefined
      : [
          { value: null, color: 'green' },
          { value: threshold, color: 'red' },
        ];
  return generatedDashboard(config, {
    kind: 'saturation',
    title: 'API saturation',
    description:
      'Event loop, memory, CPU and database pools of the API pods; caches, circuit breaker, rate limiter, load shedding, outbox and idempotency.',
    from: 'now-3h',
  })
    .withPanel(
      timeseriesPanel({
        id: SATURATION_PANEL_IDS.eventLoopLag,
        title: 'Event-loop lag p99 per pod',
        description:
          'How late timers run on each pod (99th percentile): every request waits this long before its code runs. The dashed line is the alert threshold.',
        unit: 's',
        queries: [{ expr: `max by (pod) (${selector(EVENT_LOOP_LAG_P99, [ns])})`, legend: '{{pod}}' }],
        runbooks: lag ? [lag.alert] : [],
        thresholds: redAbove(lag?.threshold),
      }),
    )
    .withPanel(
      timeseriesPanel({
        id: SATURATION_PANEL_IDS.heap,
        title: 'Heap used per pod',
        description: 'V8 heap in use on each pod. A line that only climbs across deploys suggests a leak.',
        unit: 'bytes',
        queries: [{ expr: `sum by (pod) (${selector(RUNTIME_METRICS.heapUsed, [ns])})`, legend: '{{pod}}' }],
      }),
    )
    .withPanel(
      timeseriesPanel({
        id: SATURATION_PANEL_IDS.residentMemory,
        title: 'Resident memory per pod',
        description:
          'Memory the process holds (RSS), heap and buffers together: what the container memory limit is compared with.',
        unit: 'bytes',
        queries: [
          { expr: `max by (pod) (${selector(RUNTIME_METRICS.residentMemory, [ns])})`, legend: '{{pod}}' },
        ],
      }),
    )
    .withPanel(
      timeseriesPanel({
        id: SATURATION_PANEL_IDS.cpu,
        title: 'CPU per pod',
        description:
          'CPU cores used by each pod. Near 1 the single JavaScript thread is saturated whatever the limit.',
        unit: 'short',
        queries: [
          {
            expr: `sum by (pod) (rate(${selector(RUNTIME_METRICS.cpuSeconds, [ns])}[$__rate_interval]))`,
            legend: '{{pod}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseriesPanel({
        id: SATURATION_PANEL_IDS.poolInUse,
        title: 'Database connections in use per pool',
        description: 'Connections checked out (total minus idle) per pod and pool (writer, reader).',
        unit: 'short',
        queries: [
          {
            expr: `sum by (pod, pool) (${pool('total')})\n-\nsum by (pod, pool) (${pool('idle')})`,
            legend: '{{pool}} {{pod}}',
          },
        ],
      }),
    )
    .withPanel(
      timeseriesPanel({
        id: SATURATION_PANEL_IDS.poolWaiting,
        title: 'Queries waiting for a connection per pool',
        description:
          'Queries queued because every connection of the pool is busy. Above zero for minutes: the pool is exhausted or the database is slow.',
        unit: 'short',
        queries: [{ expr: `max by (pod, pool) (${pool('waiting')})`, legend: '{{pool}} {{pod}}' }],
        runbooks: waiting ? [waiting.alert] : [],
        thresholds: redAbove(waiting?.threshold),
      }),
    )
    .withPanel(
      timeseriesPanel({
        id: SATURATION_PANEL_IDS.cacheHitRatio,
        title: 'Cache hit ratio per cache and level',
        description:
          'Share of lookups each level answers (memory, then Redis for the memory misses), and both together: the share of requests that never reach the database. The red zone is under the alert threshold.',
        unit: 'percentunit',
        queries: [
          {
            expr: `sum by (cache, level) (${rate(CACHE_LOOKUPS, [m('result', 'hit')])})\n/\nsum by (cache, level) (${rate(CACHE_LOOKUPS)})`,
            legend: '{{cache}} {{level}}',
          },
          {
            expr: `sum by (cache) (${rate(CACHE_LOOKUPS, [m('result', 'hit')])})\n/\nsum by (cache) (${rate(CACHE_LOOKUPS, [m('level', 'memory')])})`,
            legend: '{{cache}} combined',
          },
        ],
        runbooks: runbooksOf(SATURATION_PANEL_IDS.cacheHitRatio),
        thresholds: [
          { value: null, color: 'red' },
          { value: SERVICE_ALERT_THRESHOLDS.cacheHitRatioMin, color: 'green' },
        ],
      }),
    )
    .withPanel(
      timeseriesPanel({
        id: SATURATION_PANEL_IDS.cacheCoalesced,
        title: 'Cache misses coalesced per second',
        description:
          'Misses that waited for a load of the same key already under way, in this pod (process) or in another pod through the Redis lock (cluster), instead of querying the database. A spike is a stampede the cache absorbed.',
        unit: 'reqps',
        queries: [
          { expr: `sum by (cache, scope) (${rate(CACHE_COALESCED)})`, legend: '{{cache}} {{scope}}' },
        ],
        runbooks: runbooksOf(SATURATION_PANEL_IDS.cacheCoalesced),
      }),
    )
    .withPanel(
      timeseriesPanel({
        id: SATURATION_PANEL_IDS.breakerState,
        title: 'Circuit breaker state per pod',
        description:
          'State of the breaker in front of each dependency: 0 closed (normal), 1 half-open (trying again), 2 open (calls refused at once); and the calls refused per second.',
        unit: 'short',
        queries: [
          {
            expr: `max by (pod, dependency) (${selector(CIRCUIT_BREAKER_STATE, [ns])})`,
            legend: 'state {{dependency}} {{pod}}',
          },
          {
            expr: `sum by (dependency) (${rate(CIRCUIT_BREAKER_REJECTIONS)})`,
            legend: 'rejected/s {{dependency}}',
          },
        ],
        runbooks: runbooksOf(SATURATION_PANEL_IDS.breakerState),
        thresholds: redAbove(breaker?.threshold),
      }),
    )
    .withPanel(
      timeseriesPanel({
        id: SATURATION_PANEL_IDS.rateLimit,
        title: 'Rate limiter decisions and rejections',
        description:
          'Requests counted by the limiter per store, and requests refused with 429. Any `local` line means Redis was unreachable and each pod enforced its own limit.',
        unit: 'reqps',
        queries: [
          { expr: `sum by (store) (${rate(RATE_LIMIT_REQUESTS)})`, legend: 'counted in {{store}}' },
          { expr: `sum(${rate(RATE_LIMIT_REJECTIONS)})`, legend: 'rejected (429)' },
        ],
        runbooks: runbooksOf(SATURATION_PANEL_IDS.rateLimit),
      }),
    )
    .withPanel(
      timeseriesPanel({
        id: SATURATION_PANEL_IDS.shed,
        title: 'Requests shed per second',
        description:
          'Requests refused at once with 503 because the pod was overloaded, by reason. Clients retry on another pod; a steady line means too few pods.',
        unit: 'reqps',
        queries: [{ expr: `sum by (pod, reason) (${rate(SHED_REQUESTS)})`, legend: '{{reason}} {{pod}}' }],
        runbooks: runbooksOf(SATURATION_PANEL_IDS.shed),
      }),
    )
    .withPanel(
      timeseriesPanel({
        id: SATURATION_PANEL_IDS.outboxLag,
        title: 'Outbox lag',
        description:
          'Age of the oldest event the relay has not published yet; 0 when it has caught up. Every pod reports the same table, so the pods draw one line. The dashed line is the alert threshold.',
        unit: 's',
        queries: [{ expr: `max(${selector(OUTBOX_LAG, [ns])})`, legend: 'oldest unpublished' }],
        runbooks: runbooksOf(SATURATION_PANEL_IDS.outboxLag),
        thresholds: redAbove(outbox?.threshold),
      }),
    )
    .withPanel(
      timeseriesPanel({
        id: SATURATION_PANEL_IDS.idempotentReplays,
        title: 'Idempotent replays per route',
        description:
          'Retried requests answered with the stored response of the first attempt instead of running twice. A rise follows timeouts and 503s: clients are retrying.',
        unit: 'reqps',
        queries: [{ expr: `sum by (route) (${rate(IDEMPOTENT_REPLAYS)})`, legend: '{{route}}' }],
      }),
    );
}
