// Series the Argo Rollouts controller exports, not the service: the canary alerts and panel read them, and the
// metric-name checks know where they come from. Names, labels and phases as argoproj/argo-rollouts defines
// them: controller/metrics/prommetrics.go (the descriptors), controller/metrics/analysis.go (the run's
// `status.phase`) and controller/metrics/rollouts.go (`calculatePhase`, tested in rollout_test.go).

/** One gauge per AnalysisRun, value 1, labelled `namespace`, `name` and its `status.phase`. */
export const ANALYSIS_RUN_INFO = 'analysis_run_info';
/**
 * One gauge per Rollout, value 1, labelled `namespace`, `name`, `strategy`, `traffic_router` and `phase`. The
 * phase is the controller's own reading of the Progressing condition, not the Healthy or Degraded status that
 * `kubectl argo rollouts get` prints: see `ROLLOUT_PHASES`.
 */
export const ROLLOUT_INFO = 'rollout_info';

/** Every Argo Rollouts series this repository's rules, panels and runbooks read. */
export const ARGO_ROLLOUTS_METRIC_NAMES: readonly string[] = [ANALYSIS_RUN_INFO, ROLLOUT_INFO];

/**
 * Label holding the AnalysisRun's or Rollout's namespace. The controller exports it as `namespace`, which
 * clashes with the namespace of the scraped controller pod: Prometheus keeps the target's and renames the
 * exported one to `exported_namespace` (the chart's ServiceMonitor does not honour labels).
 */
export const ARGO_OBJECT_NAMESPACE_LABEL = 'exported_namespace';

/** AnalysisRun phases (`AnalysisPhase` in pkg/apis/rollouts/v1alpha1). */
export const ANALYSIS_PHASES = {
  failed: 'Failed',
  error: 'Error',
  /** Neither pass nor fail (here: too few canary requests): the rollout pauses for a human. */
  inconclusive: 'Inconclusive',
} as const;

/** AnalysisRun phases that end a canary: Argo Rollouts aborts the rollout on either. */
export const FAILED_ANALYSIS_PHASES: readonly string[] = [ANALYSIS_PHASES.failed, ANALYSIS_PHASES.error];

/** Values of `rollout_info`'s `phase` (`RolloutPhase` in controller/metrics/rollouts.go) this repository reads. */
export const ROLLOUT_PHASES = {
  /** Progressing condition `RolloutAborted`: a failed analysis, a progress deadline with `progressDeadlineAbort`, or a person. */
  aborted: 'Abort',
  /** Progressing condition `ProgressDeadlineExceeded`: the new pods never became ready in time. */
  timedOut: 'Timeout',
  /** Progressing condition `RolloutPaused`: a pause step, a person, or an inconclusive analysis. */
  paused: 'Paused',
} as const;

/** Rollout phase after an abort: the stable revision serves everything until someone acts. */
export const ABORTED_ROLLOUT_PHASE = ROLLOUT_PHASES.aborted;
