import { loadPlatformConfig } from '../../../infra/config/platform-config';
import { parseConfig } from '../../../service/src/config';
import { apiEnvironment, EDGE_PROXY_HOPS, SECRET_ENVIRONMENT_KEYS } from '../../lib/api-environment';

describe('apiEnvironment', () => {
  const prod = loadPlatformConfig('prod');

  test('trusts the two proxies in front of the pods, CloudFront and the load balancer, as the service parses it', () => {
    // WHEN
    const parsed = parseConfig({
      ...apiEnvironment(prod, prod.primaryRegion),
      DATABASE_URL: 'postgres://db/app',
    });
    // THEN
    expect(parsed.server.trustProxyHops).toBe(EDGE_PROXY_HOPS);
    expect(EDGE_PROXY_HOPS).toBe(2);
  });

  test('bounds queries by the statement_timeout the cluster parameter group sets', () => {
    // THEN
    expect(apiEnvironment(prod, prod.primaryRegion).DATABASE_STATEMENT_TIMEOUT_MS).toBe(
      String(prod.database.statementTimeoutMs),
    );
  });

  test('listens on every interface on the configured port, with the edge body limit', () => {
    // WHEN
    const env = apiEnvironment(prod, prod.primaryRegion);
    // THEN
    expect(env).toMatchObject({
      HOST: '0.0.0.0',
      PORT: String(prod.workload.containerPort),
      BODY_LIMIT_BYTES: String(prod.edge.maxRequestBodyBytes),
    });
    for (const key of SECRET_ENVIRONMENT_KEYS) expect(env).not.toHaveProperty(key);
  });

  test.each(
    prod.secondaryRegions.concat(prod.primaryRegion).map((region) => [region.region, region] as const),
  )(
    'connects to Aurora with verify-full, signing in with IAM tokens for %s, as the service parses it',
    (_name, region) => {
      // WHEN
      const env = apiEnvironment(prod, region);
      const parsed = parseConfig({
        ...env,
        DATABASE_URL: 'postgresql://api_service@writer.example:5432/postgres',
      });
      // THEN
      expect(parsed.database.tls).toEqual({ mode: 'verify-full' });
      expect(parsed.database.auth).toEqual({ kind: 'iam', region: region.region });
    },
  );
});
