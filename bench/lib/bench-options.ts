import { parseArgs } from 'node:util';

/** Everything a bench run is configured by, parsed once from the command line (and two variables). */
export interface BenchOptions {
  readonly mode: 'quick' | 'full';
  /** PostgreSQL to create the bench database on (trust or password in the URL). */
  readonly adminDatabaseUrl: string;
  readonly redisUrl: string;
  /** Seconds of load per scenario, after `warmupSeconds` of unmeasured load. */
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
  /** Posts seeded (the Zipf ranks cover them). */
  readonly posts: number;
  /** Zipf exponent of get-zipf. */
  readonly zipfExponent: number;
  /** Seconds per step of the capacity ramp, its first concurrency and growth factor. */
  readonly capacity: {
    readonly stepSeconds: number;
    readonly startConnections: number;
    readonly factor: number;
  };
  /** Starts of each server kind timed for the start-up comparison. */
  readonly startupSamples: number;
  /** Where the report goes; `--no-write` prints only. */
  readonly write: boolean;
  /** `PATH` handed to child processes, which inherit nothing else. */
  readonly path: string;
  /** Variables set on the service under test over its production defaults (`--service-env NAME=VALUE`), to measure a variant. */
  readonly serviceEnvOverrides: Readonly<Record<string, string>>;
}

/** Parses `npm run bench -- [--quick] [--no-write] [--database-url URL] [--redis-url URL] [--service-env NAME=VALUE]...`. */
export function parseBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
      'database-url': { type: 'string' },
      'redis-url': { type: 'string' },
      'service-env': { type: 'string', multiple: true },
    },
    strict: true,
  });
  const quick = values.quick === true;
  // The server's maintenance database, not the tests' database: the bench creates and drops its own.
  const databaseUrl = new URL(
    values['database-url'] ?? env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  );
  databaseUrl.pathname = '/postgres';
  return {
    mode: quick ? 'quick' : 'full',
    adminDatabaseUrl: databaseUrl.toString(),
    redisUrl: values['redis-url'] ?? env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    durationSeconds: quick ? 3 : 10,
    warmupSeconds: quick ? 1 : 3,
    connections: 50,
    posts: 100_000,
    zipfExponent: 0.99,
    capacity: quick
      ? { stepSeconds: 3, startConnections: 4, factor: 2 }
      : { stepSeconds: 5, startConnections: 4, factor: 1.5 },
    startupSamples: quick ? 1 : 5,
    write: values['no-write'] !== true,
    path: env.PATH ?? '/usr/bin:/bin',
    serviceEnvOverrides: Object.fromEntries((values['service-env'] ?? []).map(parseAssignment)),
  };
}

function parseAssignment(assignment: string): [string, string] {
  const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(assignment);
  if (!match) throw new Error(`--service-env takes NAME=VALUE, not '${assignment}'`);
  return [match[1], match[2]];
}
