import type { ReadConsistency } from '../external/request-context';

/** How a repository read is run: which endpoint it may use, and when to give up. */
export interface ReadOptions {
  readonly consistency: ReadConsistency;
  readonly signal?: AbortSignal;
}
