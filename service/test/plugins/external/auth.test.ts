import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app';
import { AUTH_TOKEN_VERIFICATIONS } from '../../../src/plugins/external/metrics';
import { buildTestApp, testConfig } from '../../helpers/build-test-app';
import { CapturedLogs } from '../../helpers/captured-logs';
import { Fixtures } from '../../helpers/fixtures';
import { JwksServer, refusingJwksUrl, rsaSigningKey, type JwksBehaviour } from '../../helpers/jwks-server';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-database';
import { bearer, claims, signHs256, signRs256, unsignedToken } from '../../helpers/tokens';

const TENANT = 'tenant-auth';
const ISSUER = 'https://issuer.example.test';
const AUDIENCE = 'scalable-api';

let database: TestDatabase;
let fixtures: Fixtures;
let userId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  fixtures = await Fixtures.connect(database.directUrl);
  userId = await fixtures.user(TENANT);
});

afterAll(async () => {
  await fixtures.close();
  await database.drop();
});

describe('HS256 with issuer and audience checks', () => {
  let app: FastifyInstance;
  const valid = () => claims(TENANT, userId, { iss: ISSUER, aud: AUDIENCE });

  beforeAll(async () => {
    app = await buildTestApp(database.url, { JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE });
  });
  afterAll(() => app.close());

  const get = (headers: Record<string, string>) => app.inject({ url: `/v1/users/${userId}`, headers });

  it('accepts a valid token and scopes the call to its tenant', async () => {
    const response = await get(bearer(signHs256(valid())));

    expect(response.statusCode).toBe(200);
    expect(response.json().id).toBe(userId);
  });

  it.each([
    ['no token', {}],
    ['a token with alg none', bearer(unsignedToken(claims(TENANT, userId, { iss: ISSUER, aud: AUDIENCE })))],
    [
      'an expired token',
      bearer(signHs256({ ...claims(TENANT, userId, { iss: ISSUER, aud: AUDIENCE }), exp: 1 })),
    ],
    [
      'a wrong issuer',
      bearer(signHs256(claims(TENANT, userId, { iss: 'https://evil.test', aud: AUDIENCE }))),
    ],
    ['a wrong audience', bearer(signHs256(claims(TENANT, userId, { iss: ISSUER, aud: 'other-api' })))],
    [
      'a wrong signature',
      bearer(signHs256(claims(TENANT, userId, { iss: ISSUER, aud: AUDIENCE }), 'x'.repeat(40))),
    ],
    [
      'no tenant_id claim',
      bearer(
        signHs256({ sub: userId, iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 3600 }),
      ),
    ],
    [
      'a malformed tenant_id',
      bearer(signHs256(claims("a'; drop table users; --", userId, { iss: ISSUER, aud: AUDIENCE }))),
    ],
    [
      'no sub claim',
      bearer(
        signHs256({
          tenant_id: TENANT,
          iss: ISSUER,
          aud: AUDIENCE,
          exp: Math.floor(Date.now() / 1000) + 3600,
        }),
      ),
    ],
    ['garbage', { authorization: 'Bearer not.a.jwt' }],
  ])('rejects %s with 401 and a JSON error body', async (_case, headers) => {
    const response = await get(headers as Record<string, string>);

    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
  });

  it('says why an expired token was refused', async () => {
    const response = await get(bearer(signHs256({ ...valid(), exp: 1 })));

    expect(response.json().error.message).toBe('token expired');
  });

  it('refuses a token once it expires even though it was accepted (and cached) before', async () => {
    const exp = Math.floor(Date.now() / 1000) + 2;
    const token = signHs256({ ...valid(), exp });
    expect((await get(bearer(token))).statusCode).toBe(200);
    expect((await get(bearer(token))).statusCode).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 100));
    const response = await get(bearer(token));

    expect(response.statusCode).toBe(401);
    expect(response.json().error.message).toBe('token expired');
  });
});

describe('token lifetime, bounded by JWT_MAX_TOKEN_LIFETIME_S', () => {
  const MAX_LIFETIME_S = 3600;
  let app: FastifyInstance;

  beforeAll(async () => {
    app = await buildTestApp(database.url, { JWT_MAX_TOKEN_LIFETIME_S: String(MAX_LIFETIME_S) });
  });
  afterAll(() => app.close());

  const now = () => Math.floor(Date.now() / 1000);
  const get = (token: string) => app.inject({ url: `/v1/users/${userId}`, headers: bearer(token) });
  const counted = async (outcome: string) => {
    const text = (await app.inject({ url: '/metrics' })).body;
    const line = new RegExp(`^${AUTH_TOKEN_VERIFICATIONS}\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(text);
    return Number(line?.[1] ?? 0);
  };

  it.each([
    ['no exp claim', () => ({ tenant_id: TENANT, sub: userId, iat: now() })],
    ['a 30-day lifetime', () => claims(TENANT, userId, { exp: now() + 30 * 86_400 })],
    ['a lifetime over the limit without iat', () => ({ tenant_id: TENANT, sub: userId, exp: now() + 7200 })],
    // An iat in the future must not shorten the lifetime: the token stays valid until exp all the same.
    ['an iat in the future', () => claims(TENANT, userId, { iat: now() + 86_400, exp: now() + 86_400 + 60 })],
  ])('refuses a token with %s: 401, counted as invalid_claims', async (_case, payload) => {
    const before = await counted('invalid_claims');

    const response = await get(signHs256(payload()));

    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    expect(await counted('invalid_claims')).toBe(before + 1);
  });

  it.each([
    ['exactly the limit', () => claims(TENANT, userId, { exp: now() + MAX_LIFETIME_S })],
    [
      'an old iat and a short remaining life',
      () => claims(TENANT, userId, { iat: now() - 600, exp: now() + 60 }),
    ],
    [
      'no iat and a remaining life within the limit',
      () => ({ tenant_id: TENANT, sub: userId, exp: now() + 600 }),
    ],
  ])('accepts a token with %s', async (_case, payload) => {
    expect((await get(signHs256(payload()))).statusCode).toBe(200);
  });
});

describe('RS256 keys from a JWKS URL', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'test-key-1';
  let jwksServer: Server;
  let jwksRequests = 0;
  let app: FastifyInstance;

  beforeAll(async () => {
    jwksServer = createServer((_request, response) => {
      jwksRequests++;
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] }),
      );
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const { port } = jwksServer.address() as AddressInfo;
    app = await buildTestApp(database.url, {
      JWT_JWKS_URL: `http://127.0.0.1:${port}/pool-1/.well-known/jwks.json`,
    });
  });
  afterAll(async () => {
    await app.close();
    await new Promise((resolve) => jwksServer.close(resolve));
  });

  it('accepts a token signed by a published key, fetching the key set once', async () => {
    const token = signRs256(claims(TENANT, userId), privateKey, kid);

    const first = await app.inject({ url: `/v1/users/${userId}`, headers: bearer(token) });
    const second = await app.inject({ url: `/v1/users/${userId}`, headers: bearer(token) });

    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect(jwksRequests).toBe(1);
  });

  it('rejects an HS256 token even when signed with the public key (algorithm confusion)', async () => {
    const publicPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();

    const response = await app.inject({
      url: `/v1/users/${userId}`,
      headers: bearer(signHs256(claims(TENANT, userId), publicPem)),
    });

    expect(response.statusCode).toBe(401);
  });

  it('rejects a token signed by a key the issuer does not publish', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

    const response = await app.inject({
      url: `/v1/users/${userId}`,
      headers: bearer(signRs256(claims(TENANT, userId), stranger, kid)),
    });

    expect(response.statusCode).toBe(401);
  });
});

describe('when the identity provider cannot give the signing keys', () => {
  const key = rsaSigningKey('current-key');
  const FETCH_TIMEOUT_MS = 300;
  const logs = new CapturedLogs();
  let jwks: JwksServer;
  let app: FastifyInstance;

  /** An app verifying tokens against `jwksUrl`, logging into `logs`. */
  const appFor = async (jwksUrl: string) => {
    const built = await buildApp(
      testConfig(database.url, {
        JWT_JWKS_URL: jwksUrl,
        JWT_JWKS_TIMEOUT_MS: String(FETCH_TIMEOUT_MS),
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: AUDIENCE,
        LOG_LEVEL: 'info',
      }),
      { logStream: logs.stream },
    );
    await built.ready();
    return built;
  };
  const valid = () => claims(TENANT, userId, { iss: ISSUER, aud: AUDIENCE });
  // Each case a token never seen before, so none is answered from the verified-token cache.
  const freshToken = () => signRs256({ ...valid(), jti: `${Math.random()}` }, key.privateKey, key.kid);
  const get = (token: string) => app.inject({ url: `/v1/users/${userId}`, headers: bearer(token) });
  const counted = async (outcome: string) => {
    const text = (await app.inject({ url: '/metrics' })).body;
    const line = new RegExp(`^${AUTH_TOKEN_VERIFICATIONS}\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(text);
    return Number(line?.[1] ?? 0);
  };

  beforeAll(async () => {
    jwks = await JwksServer.start([key]);
    app = await appFor(jwks.url);
  });
  beforeEach(() => {
    jwks.behaviour = 'ok';
    logs.clear();
  });
  afterAll(async () => {
    await app.close();
    await jwks.close();
  });

  it.each<JwksBehaviour>(['error-500', 'hang', 'invalid-json', 'no-keys'])(
    'answers 503 identity_provider_unavailable with Retry-After when the JWKS answers %s, logs why once and counts it',
    async (behaviour) => {
      jwks.behaviour = behaviour;
      const before = await counted('identity_provider_unavailable');
      const token = freshToken();

      const response = await get(token);

      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('1');
      expect(response.json()).toEqual({
        error: { code: 'identity_provider_unavailable', message: expect.any(String) },
      });
      const warnings = logs.ofRequest(response.headers['x-request-id']).filter((line) => line.level === 40);
      expect(warnings).toEqual([
        expect.objectContaining({
          msg: 'could not get the token signing keys from the identity provider',
          jwksUrl: jwks.url,
          cause: expect.any(String),
        }),
      ]);
      expect(JSON.stringify(logs.lines)).not.toContain(token.split('.')[2]);
      expect(await counted('identity_provider_unavailable')).toBe(before + 1);
    },
  );

  it('answers 503 when the JWKS refuses connections, through a real socket', async () => {
    const refused = await appFor(await refusingJwksUrl());
    try {
      const baseUrl = await refused.listen({ host: '127.0.0.1', port: 0 });

      const response = await fetch(`${baseUrl}/v1/users/${userId}`, { headers: bearer(freshToken()) });

      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(await response.json()).toEqual({
        error: { code: 'identity_provider_unavailable', message: expect.any(String) },
      });
      const warning = logs.lines.find((line) => line.level === 40);
      expect(warning?.cause).toMatch(/ECONNREFUSED/);
    } finally {
      await refused.close();
    }
  });

  it('accepts tokens again as soon as the JWKS answers', async () => {
    jwks.behaviour = 'error-500';
    expect((await get(freshToken())).statusCode).toBe(503);

    jwks.behaviour = 'ok';

    expect((await get(freshToken())).statusCode).toBe(200);
  });

  it.each([
    [
      'a kid the key set does not publish',
      'unknown_key',
      () => signRs256(valid(), key.privateKey, 'retired-key'),
    ],
    [
      'a signature by a key it does not publish',
      'invalid',
      () => signRs256(valid(), rsaSigningKey('x').privateKey, key.kid),
    ],
    ['an expired token', 'expired', () => signRs256({ ...valid(), exp: 1 }, key.privateKey, key.kid)],
    [
      'a wrong issuer',
      'invalid',
      () => signRs256({ ...valid(), iss: 'https://evil.test' }, key.privateKey, key.kid),
    ],
    [
      'a wrong audience',
      'invalid',
      () => signRs256({ ...valid(), aud: 'other-api' }, key.privateKey, key.kid),
    ],
  ])('still answers 401 for %s while the JWKS works, counted as %s', async (_case, outcome, token) => {
    const before = await counted(outcome);

    const response = await get(token());

    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    expect(await counted(outcome)).toBe(before + 1);
  });

  it('refuses an unknown kid with 401 at once after an outage, judged by the key set fetched now', async () => {
    jwks.behaviour = 'error-500';
    const retired = () => signRs256({ ...valid(), jti: `${Math.random()}` }, key.privateKey, 'retired-key');
    expect((await get(retired())).statusCode).toBe(503);

    jwks.behaviour = 'ok';

    expect((await get(retired())).statusCode).toBe(401);
  });

  it('counts accepted tokens', async () => {
    const before = await counted('accepted');

    expect((await get(freshToken())).statusCode).toBe(200);

    expect(await counted('accepted')).toBe(before + 1);
  });
});
