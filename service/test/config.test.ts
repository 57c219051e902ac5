import {
  ConfigError,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  parseConfig,
  parseMigrationConfig,
  parseRelayConfig,
} from '../src/config';

const minimal = { DATABASE_URL: 'postgres://db.internal/app', JWT_SECRET: 's'.repeat(32) };

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    const config = parseConfig(minimal);

    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 3000, bodyLimitBytes: 1_048_576 });
    expect(config.database.reader.connectionString).toBe(minimal.DATABASE_URL);
    expect(config.database.statementTimeoutMs).toBe(DEFAULT_STATEMENT_TIMEOUT_MS);
    expect(config.database.auth).toEqual({ kind: 'password' });
    expect(parseConfig({ ...minimal, DATABASE_AUTH: 'iam', AWS_REGION: 'eu-west-1' }).database.auth).toEqual({
      kind: 'iam',
      region: 'eu-west-1',
    });
    expect(config.auth).toEqual({
      kind: 'secret',
      secret: minimal.JWT_SECRET,
      issuer: undefined,
      audience: undefined,
      maxTokenLifetimeS: 86_400,
    });
  });

  it('converts numbers and uses the reader URL when given', () => {
    const config = parseConfig({ ...minimal, PORT: '8080', DATABASE_READER_URL: 'postgres://replica/app' });

    expect(config.server.port).toBe(8080);
    expect(config.database.reader.connectionString).toBe('postgres://replica/app');
  });

  it('prefers JWKS over a shared secret when both are set', () => {
    const config = parseConfig({
      ...minimal,
      JWT_JWKS_URL: 'https://issuer.test/jwks.json',
      JWT_ISSUER: 'https://issuer.test',
    });

    expect(config.auth).toMatchObject({
      kind: 'jwks',
      jwksUrl: 'https://issuer.test/jwks.json',
      fetchTimeoutMs: 2000,
      issuer: 'https://issuer.test',
    });
  });

  it('bounds token lifetimes by JWT_MAX_TOKEN_LIFETIME_S', () => {
    expect(parseConfig({ ...minimal, JWT_MAX_TOKEN_LIFETIME_S: '900' }).auth.maxTokenLifetimeS).toBe(900);
    expect(() => parseConfig({ ...minimal, JWT_MAX_TOKEN_LIFETIME_S: '0' })).toThrow(
      /JWT_MAX_TOKEN_LIFETIME_S/,
    );
  });

  it('bounds the JWKS fetch by JWT_JWKS_TIMEOUT_MS', () => {
    const config = parseConfig({
      ...minimal,
      JWT_JWKS_URL: 'https://issuer.test/jwks.json',
      JWT_JWKS_TIMEOUT_MS: '500',
    });

    expect(config.auth).toMatchObject({ kind: 'jwks', fetchTimeoutMs: 500 });
  });

  it.each([
    [
      { JWT_SECRET: minimal.JWT_SECRET },
      /^Invalid configuration: DATABASE_URL is required \(it is not set\)$/,
    ],
    [{ ...minimal, PORT: 'eighty' }, /^Invalid configuration: PORT expected integer \(got "eighty"\)$/],
    [{ ...minimal, PORT: '70000' }, /PORT/],
    [
      { ...minimal, LOG_LEVEL: 'loud' },
      /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/,
    ],
    [{ ...minimal, DATABASE_URL: 'mysql://db/app' }, /DATABASE_URL/],
    [{ ...minimal, JWT_SECRET: 'short' }, /JWT_SECRET/],
    [{ DATABASE_URL: minimal.DATABASE_URL }, /JWT_SECRET or JWT_JWKS_URL must be set/],
    [
      { ...minimal, DATABASE_SSL_MODE: 'prefer' },
      /DATABASE_SSL_MODE must be one of disable, require, verify-full/,
    ],
    [{ ...minimal, DATABASE_AUTH: 'kerberos' }, /DATABASE_AUTH must be one of password, iam/],
    [{ ...minimal, DATABASE_AUTH: 'iam' }, /AWS_REGION is required when DATABASE_AUTH is iam/],
    [{ ...minimal, OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, /OTEL_EXPORTER_OTLP_ENDPOINT/],
    [{ ...minimal, OTEL_TRACES_SAMPLER_ARG: '1.5' }, /OTEL_TRACES_SAMPLER_ARG/],
    [{ ...minimal, OTEL_SDK_DISABLED: 'yes' }, /OTEL_SDK_DISABLED/],
    [{ ...minimal, REDIS_URL: 'http://cache:6379' }, /REDIS_URL/],
    [{ ...minimal, REDIS_BREAKER_RESET_MS: '10' }, /REDIS_BREAKER_RESET_MS/],
  ])('stops with one line naming the bad variable (%j)', (env, message) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(message);
  });

  it.each([
    ['JWT_SECRET', { ...minimal, JWT_SECRET: 'hunter2-too-short' }, 'hunter2-too-short'],
    ['DATABASE_URL', { ...minimal, DATABASE_URL: 'mysql://app:hunter2-pw@db/app' }, 'hunter2-pw'],
    ['DATABASE_URL', { ...minimal, DATABASE_URL: 'app:hunter2-pw@db/app' }, 'hunter2-pw'],
    [
      'DATABASE_READER_URL',
      { ...minimal, DATABASE_READER_URL: 'mysql://db/app?password=hunter2-pw' },
      'hunter2-pw',
    ],
    ['REDIS_URL', { ...minimal, REDIS_URL: 'http://:hunter2-pw@cache:6379' }, 'hunter2-pw'],
    [
      'OUTBOX_SQS_QUEUE_URL',
      { ...minimal, OUTBOX_SINK: 'sqs', OUTBOX_SQS_QUEUE_URL: 'https://k:hunter2-pw@queue.test/q' },
      'hunter2-pw',
    ],
  ])('names %s and its rule but never prints its secret value', (name, env, secret) => {
    const parse = () => (name === 'OUTBOX_SQS_QUEUE_URL' ? parseRelayConfig(env) : parseConfig(env));

    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(
      new RegExp(`^Invalid configuration: .*${name} .+ \\(value not shown: it may hold a secret\\)$`),
    );
    expect(parse).not.toThrow(secret);
  });

  it('still prints a value that cannot hold a secret, to say what was wrong with it', () => {
    expect(() => parseConfig({ ...minimal, DATABASE_URL: 'mysql://db/app' })).toThrow(
      '(got "mysql://db/app")',
    );
  });

  it('treats an empty value as unset', () => {
    expect(parseConfig({ ...minimal, PORT: '' }).server.port).toBe(3000);
  });

  it('traces without exporting by default, and exports over OTLP/HTTP when an endpoint is given', () => {
    expect(parseConfig(minimal).tracing).toEqual({
      enabled: true,
      otlpEndpoint: undefined,
      serviceName: 'api',
      sampleRatio: 1,
    });
    expect(
      parseConfig({
        ...minimal,
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.observability:4318',
        OTEL_SERVICE_NAME: 'api-eu',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
      }).tracing,
    ).toEqual({
      enabled: true,
      otlpEndpoint: 'http://otel-collector.observability:4318',
      serviceName: 'api-eu',
      sampleRatio: 0.1,
    });
  });

  it('turns tracing off with the OpenTelemetry SDK’s own switch', () => {
    expect(parseConfig({ ...minimal, OTEL_SDK_DISABLED: 'true' }).tracing.enabled).toBe(false);
    expect(parseConfig({ ...minimal, OTEL_SDK_DISABLED: 'false' }).tracing.enabled).toBe(true);
  });

  it('connects to PostgreSQL without TLS by default, and verifies the server against a CA bundle when asked', () => {
    expect(parseConfig(minimal).database.tls).toEqual({ mode: 'disable', caFile: undefined });
    expect(
      parseConfig({ ...minimal, DATABASE_SSL_MODE: 'verify-full', DATABASE_CA_FILE: '/etc/rds/ca.pem' })
        .database.tls,
    ).toEqual({ mode: 'verify-full', caFile: '/etc/rds/ca.pem' });
  });

  it('accepts a rediss:// URL (TLS, as ElastiCache with in-transit encryption requires)', () => {
    expect(parseConfig({ ...minimal, REDIS_URL: 'rediss://cache.internal:6379' }).redis.url).toBe(
      'rediss://cache.internal:6379',
    );
  });

  it('configures the Redis breaker like the database one', () => {
    expect(parseConfig(minimal).redis.breaker).toEqual({ volumeThreshold: 10, resetTimeoutMs: 5000 });
  });
});

describe('parseMigrationConfig', () => {
  it('reads the database URL and its TLS mode, and nothing else', () => {
    expect(
      parseMigrationConfig({
        DATABASE_URL: minimal.DATABASE_URL,
        DATABASE_SSL_MODE: 'require',
        JWT_SECRET: 'not needed, not read',
      }),
    ).toEqual({
      databaseUrl: minimal.DATABASE_URL,
      tls: { mode: 'require', caFile: undefined },
      auth: { kind: 'password' },
      schemaWaitTimeoutMs: 600_000,
    });
  });

  it('stops with one line naming the bad variable', () => {
    expect(() => parseMigrationConfig({ DATABASE_URL: 'mysql://db/app' })).toThrow(
      /^Invalid configuration: DATABASE_URL/,
    );
    expect(() => parseMigrationConfig({})).toThrow(/DATABASE_URL is required/);
  });
});

describe('parseRelayConfig', () => {
  it('listens on its own port (RELAY_PORT, 3001 by default) and needs no token settings', () => {
    const relay = parseRelayConfig({ DATABASE_URL: minimal.DATABASE_URL });
    const moved = parseRelayConfig({
      DATABASE_URL: minimal.DATABASE_URL,
      HOST: '0.0.0.0',
      RELAY_PORT: '9000',
    });

    expect(relay.server).toEqual({ host: '127.0.0.1', port: 3001 });
    expect(moved.server).toEqual({ host: '0.0.0.0', port: 9000 });
    expect(() => parseRelayConfig({ DATABASE_URL: minimal.DATABASE_URL, RELAY_PORT: 'x' })).toThrow(
      /RELAY_PORT/,
    );
  });

  it('publishes to the Redis stream by default, and to SQS when OUTBOX_SINK=sqs names a queue', () => {
    const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/123456789012/api-platform-prod-eu-west-1-events';
    const stream = parseRelayConfig({ DATABASE_URL: minimal.DATABASE_URL, OUTBOX_STREAM: 'posts' });
    const fromUrl = parseRelayConfig({
      DATABASE_URL: minimal.DATABASE_URL,
      OUTBOX_SINK: 'sqs',
      OUTBOX_SQS_QUEUE_URL: queueUrl,
    });
    const emulator = parseRelayConfig({
      DATABASE_URL: minimal.DATABASE_URL,
      OUTBOX_SINK: 'sqs',
      OUTBOX_SQS_QUEUE_URL: 'http://localhost:9324/000000000000/events',
      AWS_REGION: 'us-east-1',
      OUTBOX_SQS_REQUEST_TIMEOUT_MS: '500',
    });

    expect(stream.outbox.sink).toEqual({ kind: 'redis-stream', stream: 'posts' });
    expect(fromUrl.outbox.sink).toEqual({
      kind: 'sqs',
      queueUrl,
      region: 'eu-west-1',
      requestTimeoutMs: 2000,
    });
    expect(emulator.outbox.sink).toMatchObject({ region: 'us-east-1', requestTimeoutMs: 500 });
  });

  it.each([
    [{ OUTBOX_SINK: 'kafka' }, /^Invalid configuration: OUTBOX_SINK must be one of redis-stream, sqs/],
    [
      { OUTBOX_SINK: 'sqs' },
      /^Invalid configuration: OUTBOX_SQS_QUEUE_URL is required when OUTBOX_SINK is sqs \(it is not set\)$/,
    ],
    [{ OUTBOX_SINK: 'sqs', OUTBOX_SQS_QUEUE_URL: 'events' }, /OUTBOX_SQS_QUEUE_URL/],
    [
      { OUTBOX_SINK: 'sqs', OUTBOX_SQS_QUEUE_URL: 'http://localhost:9324/000000000000/events' },
      /^Invalid configuration: AWS_REGION is required when OUTBOX_SQS_QUEUE_URL names no region/,
    ],
    [
      {
        OUTBOX_SINK: 'sqs',
        OUTBOX_SQS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/q',
        AWS_REGION: 'Ireland',
      },
      /AWS_REGION/,
    ],
  ])('stops with one line naming the bad outbox variable: %j', (outbox, message) => {
    expect(() => parseRelayConfig({ DATABASE_URL: minimal.DATABASE_URL, ...outbox })).toThrow(message);
  });
});
