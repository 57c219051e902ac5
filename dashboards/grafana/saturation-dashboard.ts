// Saturation of the API pods: event loop, memory, CPU and the database pools, the resources that run out
// before the latency SLO does.
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { PlatformConfig } from '../../infra/config/platform-config';
import { DB_POOL_CONNECTIONS } from '../../service/src/plugins/external/metrics';
import { API_WORKLOAD } from '../slo/api-workload';
import { selector, type Matcher } from '../slo/promql';
import { EVENT_LOOP_LAG_P99, gaugeAlerts } from '../prometheus/service-alert-rules';
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
    description: 'Event loop, memory, CPU and database pools of the API pods.',
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
    );
}
