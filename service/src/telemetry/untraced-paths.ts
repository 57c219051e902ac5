import { METRICS_PATH } from '../plugins/external/metrics';
import { LIVENESS_PATH, READINESS_PATH } from '../routes/health';

/** Probes and scrapes arrive every few seconds and say nothing about a request's path: they get no spans. */
export const PROBE_AND_SCRAPE_PATHS: ReadonlySet<string> = new Set([
  LIVENESS_PATH,
  READINESS_PATH,
  METRICS_PATH,
]);
