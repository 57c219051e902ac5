import { Type, type Static, type TObject } from '@sinclair/typebox';
import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';

/** The server's statement timeout the service expects when none is configured. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 5000;

/** Environment variables the service reads, with their defaults. The only place that knows about `process.env`. */
const environmentSchema = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3000 }),
  HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
  TRUST_PROXY_HOPS: Type.Integer({ minimum: 0, maximum: 5, default: 0 }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info' },
  ),
  DATABASE_URL: Type.String({ pattern: '^postgres(ql)?://' }),
  DATABASE_READER_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATABASE_WRITER_POOL_MAX: Type.Integer({ minimum: 1, maximum: 500, default: 10 }),
  DATABASE_READER_POOL_MAX: Type.Integer({ minimum: 1, maximum: 500, default: 10 }),
  DATABASE_CONNECT_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 2000 }),
  DATABASE_IDLE_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 10_000 }),
  DATABASE_STATEMENT_TIMEOUT_MS: Type.Integer({ minimum: 1, default: DEFAULT_STATEMENT_TIMEOUT_MS }),
  DATABASE_BREAKER_VOLUME_THRESHOLD: Type.Integer({ minimum: 1, default: 10 }),
  DATABASE_BREAKER_RESET_MS: Type.Integer({ minimum: 100, default: 5000 }),
  DATABASE_SSL_MODE: Type.Union(
    ['disable', 'require', 'verify-full'].map((mode) => Type.Literal(mode)),
    { default: 'disable' },
  ),
  DATABASE_CA_FILE: Type.Optional(Type.String({ minLength: 1 })),
  DATABASE_AUTH: Type.Union(
    ['password', 'iam'].map((mode) => Type.Literal(mode)),
    { default: 'password' },
  ),
  SCHEMA_WAIT_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 600_000 }),
  REDIS_URL: Type.String({ pattern: '^rediss?://', default: 'redis://127.0.0.1:6379' }),
  REDIS_KEY_PREFIX: Type.String({ pattern: '^[A-Za-z0-9:_-]*$', default: '' }),
  REDIS_COMMAND_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 200 }),
  REDIS_BREAKER_VOLUME_THRESHOLD: Type.Integer({ minimum: 1, default: 10 }),
  REDIS_BREAKER_RESET_MS: Type.Integer({ minimum: 100, default: 5000 }),
  CACHE_MEMORY_TTL_MS: Type.Integer({ minimum: 0, default: 2000 }),
  CACHE_MEMORY_MAX_ENTRIES: Type.Integer({ minimum: 1, default: 10_000 }),
  CACHE_REDIS_TTL_MS: Type.Integer({ minimum: 1, default: 60_000 }),
  LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: Type.Integer({ minimum: 0, default: 500 }),
  RATE_LIMIT_MAX: Type.Integer({ minimum: 1, default: 1000 }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ minimum: 1000, default: 60_000 }),
  OUTBOX_SINK: Type.Union(
    ['redis-stream', 'sqs'].map((sink) => Type.Literal(sink)),
    { default: 'redis-stream' },
  ),
  OUTBOX_STREAM: Type.String({ minLength: 1, default: 'events' }),
  OUTBOX_SQS_QUEUE_URL: Type.Optional(Type.String({ pattern: '^https?://[^/]+/.+' })),
  OUTBOX_SQS_REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 2000 }),
  AWS_REGION: Type.Optional(Type.String({ pattern: '^[a-z]{2}(-[a-z]+)+-[0-9]+$' })),
  OUTBOX_BATCH_SIZE: Type.Integer({ minimum: 1, maximum: 10_000, default: 100 }),
  OUTBOX_IDLE_DELAY_MS: Type.Integer({ minimum: 1, default: 200 }),
  RELAY_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3001 }),
  OTEL_EXPORTER_OTLP_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://' })),
  OTEL_SERVICE_NAME: Type.String({ minLength: 1, default: 'api' }),
  OTEL_TRACES_SAMPLER_ARG: Type.Number({ minimum: 0, maximum: 1, default: 1 }),
  OTEL_SDK_DISABLED: Type.Union([Type.Literal('true'), Type.Literal('false')], { default: 'false' }),
  JWT_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  JWT_JWKS_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  JWT_JWKS_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 2000 }),
  // A day: the longest an identity provider such as Cognito issues access and ID tokens for.
  JWT_MAX_TOKEN_LIFETIME_S: Type.Integer({ minimum: 1, default: 86_400 }),
  JWT_ISSUER: Type.Optional(Type.String({ minLength: 1 })),
  JWT_AUDIENCE: Type.Optional(Type.String({ minLength: 1 })),
  BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, default: 1_048_576 }),
  REQUEST_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 10_000 }),
  SHUTDOWN_DRAIN_DELAY_MS: Type.Integer({ minimum: 0, default: 0 }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 10_000 }),
});

type Environment = Static<typeof environmentSchema>;

/** How connections to PostgreSQL use TLS: not at all, encrypted only, or encrypted to a verified host. */
export type DatabaseSslMode = 'disable' | 'require' | 'verify-full';

/** TLS for PostgreSQL connections (Aurora enforces it with `rds.force_ssl`). */
export interface DatabaseTlsConfig {
  readonly mode: DatabaseSslMode;
  /** PEM file of the certificate authorities to trust (the RDS CA bundle); unset: Node's built-in roots. */
  readonly caFile?: string;
}

/**
 * How connections sign in: with the password in the URL, or with an IAM authentication token minted for each
 * new connection from the process's AWS credentials (the pod's IAM role), for the URL's user, host and port.
 */
export type DatabaseAuthConfig =
  { readonly kind: 'password' } | { readonly kind: 'iam'; readonly region: string };

/** Settings for one PostgreSQL connection pool. */
export interface PoolConfig {
  readonly connectionString: string;
  readonly max: number;
}

/** The service's configuration, parsed once at start-up and passed down. */
export interface ServiceConfig {
  readonly server: {
    readonly host: string;
    readonly port: number;
    readonly bodyLimitBytes: number;
    /**
     * Proxies in front of the service that append the address they received from to `X-Forwarded-For` (0: the
     * socket's peer is the client). The client is the address the outermost of them appended; anything a client
     * wrote into the header itself is ignored.
     */
    readonly trustProxyHops: number;
    readonly requestTimeoutMs: number;
    readonly shutdownDrainDelayMs: number;
    readonly shutdownTimeoutMs: number;
  };
  readonly logLevel: string;
  readonly database: {
    readonly writer: PoolConfig;
    readonly reader: PoolConfig;
    readonly connectTimeoutMs: number;
    readonly idleTimeoutMs: number;
    /**
     * The server's `statement_timeout` (a session default the database applies, never sent by the client:
     * ./db/session-defaults.ts); the pools give up on a query one second after it.
     */
    readonly statementTimeoutMs: number;
    readonly tls: DatabaseTlsConfig;
    readonly auth: DatabaseAuthConfig;
    readonly breaker: BreakerConfig;
  };
  /** Redis (ElastiCache in AWS); a `rediss://` URL connects over TLS. */
  readonly redis: {
    readonly url: string;
    readonly keyPrefix: string;
    readonly commandTimeoutMs: number;
    readonly breaker: BreakerConfig;
  };
  readonly cache: {
    readonly memoryTtlMs: number;
    readonly memoryMaxEntries: number;
    readonly redisTtlMs: number;
  };
  readonly auth: JwtConfig;
  readonly rateLimit: { readonly max: number; readonly windowMs: number };
  /** Requests are shed with 503 while the event loop lags more than this (0 turns shedding off). */
  readonly loadShedMaxEventLoopDelayMs: number;
  readonly tracing: TracingConfig;
}

/** Settings of a dependency's circuit breaker. */
export interface BreakerConfig {
  /** Calls in the rolling window before failures may open the breaker. */
  readonly volumeThreshold: number;
  /** How long the breaker stays open before a trial call. */
  readonly resetTimeoutMs: number;
}

/** OpenTelemetry tracing: spans always exist (trace ids in logs and headers); export only to a configured collector. */
export interface TracingConfig {
  /**
   * `false` when `OTEL_SDK_DISABLED=true`: no spans, no trace ids in logs, no `traceparent`, and about 80 µs
   * less CPU per cached read (docs/benchmarks.md), for a fork that traces elsewhere or not at all.
   */
  readonly enabled: boolean;
  /** Base URL of an OTLP/HTTP collector; spans are not exported when unset. */
  readonly otlpEndpoint?: string;
  /** `service.name` of the spans. */
  readonly serviceName: string;
  /** Share of new traces (those without a sampled parent) that are recorded, 0 to 1. */
  readonly sampleRatio: number;
}

/** How bearer tokens are verified: a shared HS256 secret, or the public keys of an OIDC issuer. */
export type JwtConfig = (
  | { readonly kind: 'secret'; readonly secret: string }
  | {
      readonly kind: 'jwks';
      readonly jwksUrl: string;
      /** Bound on fetching the key set; past it the request gets 503 (the identity provider is unavailable). */
      readonly fetchTimeoutMs: number;
    }
) & {
  readonly issuer?: string;
  readonly audience?: string;
  /** Longest accepted `exp - iat` (or `exp - now` without `iat`); a token without `exp` is refused. */
  readonly maxTokenLifetimeS: number;
};

/** Thrown for a missing or malformed variable; its message is one line naming the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses and validates the given environment; throws a {@link ConfigError} naming the first bad variable. */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): ServiceConfig {
  return toServiceConfig(validateEnvironment(env));
}

/** What the outbox relay (`relay.ts`) needs: the database, Redis and where to publish; no token settings. */
export interface RelayConfig {
  /** Where the relay's probes and metrics listen (`HOST`, `RELAY_PORT`): its own port, not the API's. */
  readonly server: { readonly host: string; readonly port: number };
  readonly logLevel: string;
  readonly database: ServiceConfig['database'];
  readonly redis: ServiceConfig['redis'];
  readonly outbox: {
    readonly sink: OutboxSinkConfig;
    readonly batchSize: number;
    readonly idleDelayMs: number;
  };
  readonly tracing: TracingConfig;
}

/** Where the relay publishes (`OUTBOX_SINK`): a Redis stream (the default, and locally), or an SQS queue in AWS. */
export type OutboxSinkConfig =
  | { readonly kind: 'redis-stream'; readonly stream: string }
  | {
      readonly kind: 'sqs';
      /** `OUTBOX_SQS_QUEUE_URL`; its origin is the endpoint called, so a local emulator's URL works as is. */
      readonly queueUrl: string;
      /** `AWS_REGION`, else the region in the queue URL's host (`sqs.<region>.amazonaws.com`). */
      readonly region: string;
      /** Bound on one SQS request (connect included); the SDK makes at most two retries after it. */
      readonly requestTimeoutMs: number;
    };

/** Parses the relay's configuration from the same variables as the service's. */
export function parseRelayConfig(env: Readonly<Record<string, string | undefined>>): RelayConfig {
  const validated = validateEnvironment(env);
  const { logLevel, database, redis, tracing } = toServiceConfig({
    ...validated,
    JWT_SECRET: 'unused-by-the-relay',
  });
  return {
    server: { host: validated.HOST, port: validated.RELAY_PORT },
    logLevel,
    database,
    redis,
    outbox: {
      sink: toOutboxSink(validated),
      batchSize: validated.OUTBOX_BATCH_SIZE,
      idleDelayMs: validated.OUTBOX_IDLE_DELAY_MS,
    },
    tracing,
  };
}

/** The region of an SQS queue URL's host (`https://sqs.eu-west-1.amazonaws.com/...`), if it names one. */
const SQS_HOST_REGION = /^sqs\.([a-z]{2}(?:-[a-z]+)+-[0-9]+)\.amazonaws\.com(?:\.cn)?$/;

function toOutboxSink(env: Environment): OutboxSinkConfig {
  if (env.OUTBOX_SINK === 'redis-stream') return { kind: 'redis-stream', stream: env.OUTBOX_STREAM };
  const queueUrl = env.OUTBOX_SQS_QUEUE_URL;
  if (queueUrl === undefined) {
    throw new ConfigError(
      'Invalid configuration: OUTBOX_SQS_QUEUE_URL is required when OUTBOX_SINK is sqs (it is not set)',
    );
  }
  const region = env.AWS_REGION ?? SQS_HOST_REGION.exec(new URL(queueUrl).hostname)?.[1];
  if (region === undefined) {
    throw new ConfigError(
      `Invalid configuration: AWS_REGION is required when OUTBOX_SQS_QUEUE_URL names no region (${describeValue('OUTBOX_SQS_QUEUE_URL', queueUrl)})`,
    );
  }
  return { kind: 'sqs', queueUrl, region, requestTimeoutMs: env.OUTBOX_SQS_REQUEST_TIMEOUT_MS };
}

function validateEnvironment(env: Readonly<Record<string, string | undefined>>): Environment {
  return validateAgainst(environmentSchema, env);
}

function validateAgainst<Schema extends TObject>(
  schema: Schema,
  env: Readonly<Record<string, string | undefined>>,
): Static<Schema> {
  const known = Object.fromEntries(
    Object.keys(schema.properties)
      .filter((name) => env[name] !== undefined && env[name] !== '')
      .map((name) => [name, env[name]]),
  );
  const candidate = Value.Convert(schema, Value.Default(schema, known));
  const firstError = Value.Errors(schema, candidate).First();
  if (firstError) {
    const name = firstError.path.replace(/^\//, '');
    throw new ConfigError(
      `Invalid configuration: ${name} ${describeExpectation(firstError)} (${describeValue(name, env[name])})`,
    );
  }
  return candidate as Static<Schema>;
}

/** Values layered around this process's environment: `defaults` under it, `overrides` over it. */
export interface ConfigLayers {
  readonly defaults?: Readonly<Record<string, string>>;
  readonly overrides?: Readonly<Record<string, string>>;
}

/** Reads the relay's configuration from this process's environment. */
export function loadRelayConfig(): RelayConfig {
  return parseRelayConfig(withoutEmpty(process.env));
}

/** Reads the configuration from this process's environment. */
export function loadConfig({ defaults = {}, overrides = {} }: ConfigLayers = {}): ServiceConfig {
  return parseConfig({ ...defaults, ...withoutEmpty(process.env), ...overrides });
}

/** What the migration job needs: the database and how to reach it, so the job carries no other secret. */
export interface MigrationConfig {
  readonly databaseUrl: string;
  readonly tls: DatabaseTlsConfig;
  readonly auth: DatabaseAuthConfig;
  /** How long `migrate.js --wait-for-schema` waits for the release's migrations to reach this database. */
  readonly schemaWaitTimeoutMs: number;
}

const migrationSchema = Type.Pick(environmentSchema, [
  'DATABASE_URL',
  'DATABASE_SSL_MODE',
  'DATABASE_CA_FILE',
  'DATABASE_AUTH',
  'AWS_REGION',
  'SCHEMA_WAIT_TIMEOUT_MS',
]);

/**
 * Parses the migration job's variables (`DATABASE_URL`, `DATABASE_SSL_MODE`, `DATABASE_CA_FILE`, `DATABASE_AUTH`
 * with `AWS_REGION`, `SCHEMA_WAIT_TIMEOUT_MS`).
 */
export function parseMigrationConfig(env: Readonly<Record<string, string | undefined>>): MigrationConfig {
  const validated = validateAgainst(migrationSchema, env);
  return {
    databaseUrl: validated.DATABASE_URL,
    tls: toDatabaseTls(validated),
    auth: toDatabaseAuth(validated),
    schemaWaitTimeoutMs: validated.SCHEMA_WAIT_TIMEOUT_MS,
  };
}

/** Reads the migration job's configuration from this process's environment. */
export function loadMigrationConfig(): MigrationConfig {
  return parseMigrationConfig(withoutEmpty(process.env));
}

function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => Boolean(entry[1])),
  );
}

/** Whether this process was given a database to use (the local dev runner starts one when not). */
export function isDatabaseConfigured(): boolean {
  return Boolean(process.env.DATABASE_URL);
}

/** Variables whose value is a secret by name; a `*_URL` is one when it could carry credentials. */
const SECRET_NAME = /SECRET|TOKEN|PASSWORD|PRIVATE_KEY/;

/**
 * A bad value as an error message may show it: not at all when it may hold a secret, since the message ends up
 * in logs that more people read than may know the secret.
 */
function describeValue(name: string, value: string | undefined): string {
  if (value === undefined) return 'it is not set';
  // `user:password@host`, or `?password=` as libpq accepts.
  const mayHoldSecret = SECRET_NAME.test(name) || (name.endsWith('_URL') && /[@?]/.test(value));
  return mayHoldSecret ? 'value not shown: it may hold a secret' : `got ${JSON.stringify(value)}`;
}

function describeExpectation(error: ValueError): string {
  if (error.type === ValueErrorType.ObjectRequiredProperty) return 'is required';
  const literals = (error.schema.anyOf as { const?: unknown }[] | undefined)?.map((option) => option.const);
  if (literals) return `must be one of ${literals.join(', ')}`;
  return error.message.replace(/^Expected/, 'expected');
}

function toServiceConfig(env: Environment): ServiceConfig {
  return {
    server: {
      host: env.HOST,
      port: env.PORT,
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      trustProxyHops: env.TRUST_PROXY_HOPS,
      requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
      shutdownDrainDelayMs: env.SHUTDOWN_DRAIN_DELAY_MS,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    },
    logLevel: env.LOG_LEVEL,
    database: {
      writer: { connectionString: env.DATABASE_URL, max: env.DATABASE_WRITER_POOL_MAX },
      reader: {
        connectionString: env.DATABASE_READER_URL ?? env.DATABASE_URL,
        max: env.DATABASE_READER_POOL_MAX,
      },
      connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
      idleTimeoutMs: env.DATABASE_IDLE_TIMEOUT_MS,
      statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
      tls: toDatabaseTls(env),
      auth: toDatabaseAuth(env),
      breaker: {
        volumeThreshold: env.DATABASE_BREAKER_VOLUME_THRESHOLD,
        resetTimeoutMs: env.DATABASE_BREAKER_RESET_MS,
      },
    },
    redis: {
      url: env.REDIS_URL,
      keyPrefix: env.REDIS_KEY_PREFIX,
      commandTimeoutMs: env.REDIS_COMMAND_TIMEOUT_MS,
      breaker: {
        volumeThreshold: env.REDIS_BREAKER_VOLUME_THRESHOLD,
        resetTimeoutMs: env.REDIS_BREAKER_RESET_MS,
      },
    },
    cache: {
      memoryTtlMs: env.CACHE_MEMORY_TTL_MS,
      memoryMaxEntries: env.CACHE_MEMORY_MAX_ENTRIES,
      redisTtlMs: env.CACHE_REDIS_TTL_MS,
    },
    auth: toJwtConfig(env),
    rateLimit: { max: env.RATE_LIMIT_MAX, windowMs: env.RATE_LIMIT_WINDOW_MS },
    loadShedMaxEventLoopDelayMs: env.LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS,
    tracing: {
      enabled: env.OTEL_SDK_DISABLED !== 'true',
      otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
      serviceName: env.OTEL_SERVICE_NAME,
      sampleRatio: env.OTEL_TRACES_SAMPLER_ARG,
    },
  };
}

function toDatabaseAuth(env: Pick<Environment, 'DATABASE_AUTH' | 'AWS_REGION'>): DatabaseAuthConfig {
  if (env.DATABASE_AUTH === 'password') return { kind: 'password' };
  if (!env.AWS_REGION) {
    throw new ConfigError(
      'Invalid configuration: AWS_REGION is required when DATABASE_AUTH is iam (it is not set)',
    );
  }
  return { kind: 'iam', region: env.AWS_REGION };
}

function toDatabaseTls(env: Pick<Environment, 'DATABASE_SSL_MODE' | 'DATABASE_CA_FILE'>): DatabaseTlsConfig {
  return { mode: env.DATABASE_SSL_MODE as DatabaseSslMode, caFile: env.DATABASE_CA_FILE };
}

function toJwtConfig(env: Environment): JwtConfig {
  const checks = {
    issuer: env.JWT_ISSUER,
    audience: env.JWT_AUDIENCE,
    maxTokenLifetimeS: env.JWT_MAX_TOKEN_LIFETIME_S,
  };
  if (env.JWT_JWKS_URL) {
    return { kind: 'jwks', jwksUrl: env.JWT_JWKS_URL, fetchTimeoutMs: env.JWT_JWKS_TIMEOUT_MS, ...checks };
  }
  if (env.JWT_SECRET) return { kind: 'secret', secret: env.JWT_SECRET, ...checks };
  throw new ConfigError('Invalid configuration: JWT_SECRET or JWT_JWKS_URL must be set (neither is)');
}
