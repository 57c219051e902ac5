// The single source of the API's SLOs: everything in dashboards/ (rules, alerts, tests, dashboards) and the
// canary analysis in k8s/ is generated from the list `apiSlos(config)` returns.
import type { PlatformConfig } from '../../infra/config/platform-config';
import { HTTP_REQUEST_DURATION, LATENCY_BUCKETS_SECONDS } from '../../service/src/plugins/external/metrics';
import { PROBE_AND_SCRAPE_PATHS } from '../../service/src/probe-paths';
import { API_WORKLOAD } from './api-workload';
import { burnRateWindows, type BurnRateWindow } from './burn-rate-windows';
import { formatPercent } from './format-percent';
import { anyOf, selector, type Matcher } from './promql';

/** Routes no user calls: probes and scrapes would dilute the SLIs. */
export const NON_USER_ROUTES = PROBE_AND_SCRAPE_PATHS;

/** The series every API SLI counts: the service's pods, user-facing routes only. */
export const API_REQUEST_MATCHERS: readonly Matcher[] = [
  { label: API_WORKLOAD.prometheusLabels.namespace, op: '=', value: API_WORKLOAD.namespace },
  { label: 'route', op: '!~', value: anyOf(NON_USER_ROUTES) },
];

/**
 * Every SLI sums per region: one Prometheus sees only its region (no `region` label, one sum), and where regions'
 * series meet (a global store) the same rules still judge each region on its own traffic against the one target.
 */
export const SUM_BY_REGION = `sum by (${API_WORKLOAD.prometheusLabels.region})`;

/** How an SLI tells good requests from bad ones. */
export type SliEvents =
  /** Requests whose `status_class` is 5xx are bad. */
  | { readonly kind: 'availability' }
  /** Requests of `method` slower than `thresholdSeconds` (a histogram bucket bound) are bad. */
  | { readonly kind: 'latency'; readonly method: string; readonly thresholdSeconds: number };

/** One service level objective of the API. */
export interface SloDefinition {
  /** Unique id, `<service>-<name>`, the `sloth_id` label. */
  readonly id: string;
  /** Service the SLO belongs to, the `sloth_service` label. */
  readonly service: string;
  /** Short name, the `sloth_slo` label, for example `latency-get`. */
  readonly name: string;
  /** One sentence saying what is promised, shown on dashboards. */
  readonly description: string;
  /** Alert raised when the error budget burns too fast. */
  readonly alertName: string;
  /** Fraction of good requests promised over the period, for example 0.999. */
  readonly objective: number;
  /** Fraction of requests allowed to be bad: 1 - objective. */
  readonly errorBudget: number;
  /** Length of the rolling period in days. */
  readonly periodDays: number;
  /** How requests are judged. */
  readonly events: SliEvents;
  /** The burn-rate alert windows, factors derived from `periodDays`. */
  readonly burnRateWindows: readonly BurnRateWindow[];
}

/** Returns the API's SLOs (availability, then latency per method) derived from the platform configuration. */
export function apiSlos(config: PlatformConfig): SloDefinition[] {
  const { slo } = config;
  const windows = burnRateWindows(slo.windowDays);
  const base = { service: API_WORKLOAD.name, periodDays: slo.windowDays, burnRateWindows: windows };
  const availability: SloDefinition = {
    ...base,
    id: `${API_WORKLOAD.name}-availability`,
    name: 'availability',
    description: `${formatPercent(slo.availabilityTarget)} of requests do not fail with a 5xx over ${slo.windowDays} days.`,
    alertName: 'ApiAvailabilityErrorBudgetBurn',
    objective: slo.availabilityTarget,
    errorBudget: budget(slo.availabilityTarget),
    events: { kind: 'availability' },
  };
  const latency = slo.latency.map((objective): SloDefinition => {
    const thresholdSeconds = objective.thresholdMs / 1000;
    // A histogram only answers "how many were faster than X" when X is a bucket bound.
    if (!LATENCY_BUCKETS_SECONDS.includes(thresholdSeconds)) {
      throw new Error(
        `slo.latency ${objective.method} thresholdMs ${objective.thresholdMs} is not a bucket of ${HTTP_REQUEST_DURATION} ` +
          `(${LATENCY_BUCKETS_SECONDS.join(', ')} s): add it to LATENCY_BUCKETS_SECONDS`,
      );
    }
    const name = `latency-${objective.method.toLowerCase()}`;
    return {
      ...base,
      id: `${API_WORKLOAD.name}-${name}`,
      name,
      description: `${formatPercent(objective.target)} of ${objective.method} requests answer within ${objective.thresholdMs} ms over ${slo.windowDays} days.`,
      alertName: 'ApiLatencyErrorBudgetBurn',
      objective: objective.target,
      errorBudget: budget(objective.target),
      events: { kind: 'latency', method: objective.method, thresholdSeconds },
    };
  });
  return [availability, ...latency];
}

/** Per-second rate of every request the SLI judges, over `window`, optionally narrowed by extra matchers. */
export function sliTotalRate(slo: SloDefinition, window: string, extra: readonly Matcher[] = []): string {
  return `${SUM_BY_REGION} (rate(${selector(`${HTTP_REQUEST_DURATION}_count`, [...sliMatchers(slo), ...extra])}[${window}]))`;
}

/** Per-second rate of good requests over `window`: under the threshold for latency, not 5xx for availability. */
export function sliGoodRate(slo: SloDefinition, window: string, extra: readonly Matcher[] = []): string {
  if (slo.events.kind === 'availability') {
    const good = [...sliMatchers(slo), { label: 'status_class', op: '!=', value: '5xx' } as const, ...extra];
    return `${SUM_BY_REGION} (rate(${selector(`${HTTP_REQUEST_DURATION}_count`, good)}[${window}]))`;
  }
  const fast = [
    ...sliMatchers(slo),
    { label: 'le', op: '=', value: String(slo.events.thresholdSeconds) } as const,
  ];
  return `${SUM_BY_REGION} (rate(${selector(`${HTTP_REQUEST_DURATION}_bucket`, [...fast, ...extra])}[${window}]))`;
}

/**
 * Per-second rate of bad requests over `window`: 5xx for availability (0, not missing, before the first 5xx
 * of a pod), over the threshold for latency. The period ratio sums it with the total rate, as counts.
 */
export function sliBadRate(slo: SloDefinition, window: string, extra: readonly Matcher[] = []): string {
  const total = sliTotalRate(slo, window, extra);
  if (slo.events.kind === 'availability') {
    const bad = [...sliMatchers(slo), { label: 'status_class', op: '=', value: '5xx' } as const, ...extra];
    return `${SUM_BY_REGION} (rate(${selector(`${HTTP_REQUEST_DURATION}_count`, bad)}[${window}]))\nor 0 * ${total}`;
  }
  return `${total}\n- ${sliGoodRate(slo, window, extra)}`;
}

/**
 * Share of bad requests over `window` (the SLI error ratio). No sample without traffic, rather than NaN: a
 * NaN compares false and draws gaps nobody can tell from an outage. Availability counts the 5xx and
 * reads a missing 5xx series (none since the pod started) as zero; latency counts the fast bucket, which
 * exists as soon as any request of the method does.
 */
export function sliErrorRatio(slo: SloDefinition, window: string, extra: readonly Matcher[] = []): string {
  const total = sliTotalRate(slo, window, extra);
  if (slo.events.kind === 'availability') {
    return `(\n  ${sliBadRate(slo, window, extra).replace(/\n/g, '\n  ')}\n)\n/\n(${total} > 0)`;
  }
  return `1 - (\n  ${sliGoodRate(slo, window, extra)}\n  /\n  (${total} > 0)\n)`;
}

/** The matchers selecting the requests an SLO judges. */
function sliMatchers(slo: SloDefinition): Matcher[] {
  const method: Matcher[] =
    slo.events.kind === 'latency' ? [{ label: 'method', op: '=', value: slo.events.method }] : [];
  return [...API_REQUEST_MATCHERS, ...method];
}

function budget(objective: number): number {
  // Rounded so 1 - 0.999 prints as 0.001 in rules and dashboards rather than 0.0010000000000000009.
  return Math.round((1 - objective) * 1e9) / 1e9;
}
