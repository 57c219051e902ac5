// The SLIs restricted to one revision's pods, for the Argo Rollouts canary analysis in k8s/: the same
// expressions the SLO rules record, so a canary is judged by the promise it would break.
import type { BurnRateWindow } from '../slo/burn-rate-windows';
import { API_WORKLOAD } from '../slo/api-workload';
import type { Duration } from '../slo/duration';
import { durationSeconds } from '../slo/duration';
import { sliErrorRatio, sliTotalRate, type SloDefinition } from '../slo/slo-definition';
import type { Matcher } from '../slo/promql';

/** What the analysis needs besides the SLOs. */
export interface CanaryAnalysisProps {
  /** Pod template hash of the canary revision, or an Argo template such as `{{args.canary-hash}}`. */
  readonly podTemplateHash: string;
  /**
   * Window each measurement looks back over.
   * @default '5m'
   */
  readonly window?: Duration;
  /**
   * Requests the canary must have served in `window` for a verdict; below it the result is inconclusive.
   * @default 100
   */
  readonly minRequests?: number;
  /**
   * Highest burn rate the canary may show; the default is the lowest paging factor, since promoting a
   * revision that burns faster would page.
   * @default - the smallest `factor` among the `page` burn-rate windows
   */
  readonly maxBurnRate?: number;
}

/** One canary measurement: an Argo Rollouts Prometheus metric, as data. */
export interface CanaryQuery {
  /** Metric name, the SLO's name. */
  readonly name: string;
  /** PromQL returning the SLO's error ratio on the canary pods, or -1 when they served too few requests. */
  readonly query: string;
  /** Argo `successCondition`: enough traffic and an error ratio within the allowed burn. */
  readonly successCondition: string;
  /** Argo `failureCondition`: enough traffic and an error ratio over the allowed burn. */
  readonly failureCondition: string;
  /** The highest error ratio that passes. */
  readonly maxErrorRatio: number;
}

/** Value the queries return when the canary saw too little traffic: neither condition holds, so Argo counts it inconclusive. */
export const INSUFFICIENT_TRAFFIC = -1;

/** Returns one measurement per SLO (availability error ratio, latency bad ratio per method) for the canary's pods. */
export function canaryAnalysisQueries(
  slos: readonly SloDefinition[],
  props: CanaryAnalysisProps,
): CanaryQuery[] {
  const window = props.window ?? '5m';
  const minRequests = props.minRequests ?? 100;
  if (minRequests < 1) throw new Error(`minRequests must be at least 1, got ${minRequests}`);
  const canary: Matcher[] = [
    { label: API_WORKLOAD.prometheusLabels.podTemplateHash, op: '=', value: props.podTemplateHash },
  ];
  return slos.map((slo) => {
    const maxBurnRate = props.maxBurnRate ?? lowestPagingFactor(slo.burnRateWindows);
    const maxErrorRatio = Math.round(maxBurnRate * slo.errorBudget * 1e9) / 1e9;
    const requests = `${sliTotalRate(slo, window, canary)} * ${durationSeconds(window)}`;
    return {
      name: slo.name,
      // `or on() vector(-1)`: no traffic gives a value rather than an empty result, which Argo would count as an error.
      query: `((\n${sliErrorRatio(slo, window, canary)}\n) and on() (${requests} >= ${minRequests})) or on() vector(${INSUFFICIENT_TRAFFIC})`,
      successCondition: `result[0] >= 0 && result[0] <= ${maxErrorRatio}`,
      failureCondition: `result[0] > ${maxErrorRatio}`,
      maxErrorRatio,
    };
  });
}

function lowestPagingFactor(windows: readonly BurnRateWindow[]): number {
  const factors = windows.filter((w) => w.severity === 'page').map((w) => w.factor);
  if (factors.length === 0) throw new Error('no page burn-rate window: pass maxBurnRate');
  return Math.min(...factors);
}
