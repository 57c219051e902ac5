import { loadPlatformConfig } from '../../../infra/config/platform-config';
import { parseRelayConfig } from '../../../service/src/config';
import { SECRET_ENVIRONMENT_KEYS } from '../../lib/api-environment';
import { RELAY_SECRET_ENVIRONMENT, relayEnvironment } from '../../lib/relay-environment';
import { maxOldSpaceSizeMb } from '../../lib/workload-sizing';

describe('relayEnvironment', () => {
  const prod = loadPlatformConfig('prod');
  const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/123456789012/events';

  test('listens on the relay port on every interface, with a heap sized to the relay limit', () => {
    // WHEN
    const env = relayEnvironment(prod, prod.primaryRegion, queueUrl);
    // THEN
    expect(env).toMatchObject({
      HOST: '0.0.0.0',
      RELAY_PORT: String(prod.outboxRelay.healthPort),
      OTEL_SERVICE_NAME: 'api-relay',
      NODE_OPTIONS: `--max-old-space-size=${maxOldSpaceSizeMb(prod.outboxRelay.resources.memoryLimit)}`,
    });
    for (const key of SECRET_ENVIRONMENT_KEYS) expect(env).not.toHaveProperty(key);
  });

  test('bounds queries by the server statement_timeout, and reads only credentials the API Secret holds', () => {
    // THEN
    expect(relayEnvironment(prod, prod.secondaryRegions[0], queueUrl).DATABASE_STATEMENT_TIMEOUT_MS).toBe(
      String(prod.database.statementTimeoutMs),
    );
    for (const key of Object.values(RELAY_SECRET_ENVIRONMENT)) expect(SECRET_ENVIRONMENT_KEYS).toContain(key);
  });

  test('connects to Aurora with verify-full, signing in with IAM tokens for its region, as the relay parses it', () => {
    // WHEN
    const env = relayEnvironment(prod, prod.primaryRegion, queueUrl);
    const parsed = parseRelayConfig({
      ...env,
      DATABASE_URL: 'postgresql://u:p@writer.example:5432/postgres',
    });
    // THEN
    expect(parsed.database.tls).toEqual({ mode: 'verify-full' });
    expect(parsed.database.auth).toEqual({ kind: 'iam', region: prod.primaryRegion.region });
  });

  test("publishes to the region's SQS queue, signed for the region, and needs no Redis credential", () => {
    // GIVEN
    const region = prod.secondaryRegions[0];
    // WHEN
    const parsed = parseRelayConfig({
      ...relayEnvironment(prod, region, queueUrl),
      DATABASE_URL: 'postgresql://u:p@writer.example:5432/postgres',
    });
    // THEN
    expect(parsed.outbox.sink).toEqual({
      kind: 'sqs',
      queueUrl,
      region: region.region,
      requestTimeoutMs: expect.any(Number),
    });
    expect(Object.values(RELAY_SECRET_ENVIRONMENT)).not.toContain('REDIS_URL');
  });
});
