// Paths the kubelet and Prometheus call, on the API and on the relay alike; the Kubernetes chart and the
// SLI filters import them from here, so a path never disagrees between the code and the manifests.

/** Liveness: the process runs (touches no dependency). */
export const LIVENESS_PATH = '/health/live';
/** Readiness: the process can do its work (its dependencies answer, it is not draining). */
export const READINESS_PATH = '/health/ready';
/** Where Prometheus scrapes. */
export const METRICS_PATH = '/metrics';

/** Every path above: called every few seconds by machines, never by users (no spans, not in the SLIs). */
export const PROBE_AND_SCRAPE_PATHS = [LIVENESS_PATH, READINESS_PATH, METRICS_PATH] as const;
