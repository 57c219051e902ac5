import type { LatencySummary } from './percentiles';

/** What one scenario measured. */
export interface ScenarioResult {
  /** Scenario name, for example `get-hot`. */
  readonly name: string;
  /** One line on what was sent. */
  readonly description: string;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly latency: LatencySummary;
  /** Non-2xx responses, socket errors and timeouts. */
  readonly errors: number;
  /** Share of entity-cache lookups answered without the database, from the service's counters; absent for baselines. */
  readonly cacheHitRatio?: number;
  /**
   * The highest hit ratio any cache could reach in the measured run: the share of its reads that were not the
   * first read of their id since the scenario began (a first read must miss); absent where not tracked.
   */
  readonly cacheHitCeiling?: number;
  /** Database transactions committed or rolled back per request (each autocommit statement is one); absent for baselines. */
  readonly dbQueriesPerRequest?: number;
  /** Resident memory of the server process after the scenario, in MiB. */
  readonly rssMiB: number;
  /**
   * CPU time (user + system) the server process used per request in the measured run, in µs: what a request
   * costs the server whatever the load generator could send, so the capacity of one core is 1e6 / this.
   */
  readonly cpuMicrosPerRequest: number;
}

/** The machine and run a report describes. */
export interface RunInfo {
  readonly date: Date;
  readonly cores: number;
  readonly cpuModel: string;
  readonly nodeVersion: string;
  /** The machine's 1-minute load average when the run started: how much else was running. */
  readonly loadAverage: number;
  readonly mode: 'quick' | 'full';
  /** Load-generator connections and duration of each throughput scenario. */
  readonly connections: number;
  readonly durationSeconds: number;
}
