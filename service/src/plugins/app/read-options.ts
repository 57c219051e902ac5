import type { Pool } from 'pg';
import type { ReadConsistency } from '../external/request-context';
import type { Databases } from '../external/pg-pools';

/** How a repository read is run: which endpoint it may use, and when to give up. */
export interface ReadOptions {
  readonly consistency: ReadConsistency;
  readonly signal?: AbortSignal;
}

/** Reads go to the replicas unless the caller must see its own writes. */
export function poolForRead(db: Databases, options: ReadOptions): Pool {
  return options.consistency === 'strong' ? db.writer : db.reader;
}
