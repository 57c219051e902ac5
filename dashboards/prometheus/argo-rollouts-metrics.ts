// Series the Argo Rollouts controller exports (controller/metrics/prommetrics.go in argoproj/argo-rollouts),
// not the service: the canary alert and panel read them, and the metric-name checks know where they come from.

/** One gauge per AnalysisRun, value 1, labelled with its current `phase` (Pending, Running, Successful, Failed, Error, Inconclusive). */
export const ANALYSIS_RUN_INFO = 'analysis_run_info';
/** One gauge per Rollout, value 1, labelled with its `phase` (Healthy, Progressing, Paused, Degraded). */
export const ROLLOUT_INFO = 'rollout_info';

/** Every Argo Rollouts series this repository's rules, panels and runbooks read. */
export const ARGO_ROLLOUTS_METRIC_NAMES: readonly string[] = [ANALYSIS_RUN_INFO, ROLLOUT_INFO];

/**
 * Label holding the AnalysisRun's or Rollout's namespace. The controller exports it as `namespace`, which
 * clashes with the namespace of the scraped controller pod: Prometheus keeps the target's and renames the
 * exported one to `exported_namespace` (the chart's ServiceMonitor does not honour labels).
 */
export const ARGO_OBJECT_NAMESPACE_LABEL = 'exported_namespace';

/** AnalysisRun phases that end a canary: Argo Rollouts aborts the rollout on either. */
export const FAILED_ANALYSIS_PHASES: readonly string[] = ['Failed', 'Error'];

/** Rollout phase after an abort: the stable revision serves everything until someone acts. */
export const ABORTED_ROLLOUT_PHASE = 'Degraded';
