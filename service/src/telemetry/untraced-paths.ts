import { PROBE_AND_SCRAPE_PATHS as PATHS } from '../probe-paths';

/** Probes and scrapes arrive every few seconds and say nothing about a request's path: they get no spans. */
export const PROBE_AND_SCRAPE_PATHS: ReadonlySet<string> = new Set(PATHS);
