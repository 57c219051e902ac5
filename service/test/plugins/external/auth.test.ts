import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/build-test-app';
import { Fixtures } from '../../helpers/fixtures';
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
    ['no tenant_id claim', bearer(signHs256({ sub: userId, iss: ISSUER, aud: AUDIENCE, exp: 9999999999 }))],
    [
      'a malformed tenant_id',
      bearer(signHs256(claims("a'; drop table users; --", userId, { iss: ISSUER, aud: AUDIENCE }))),
    ],
    ['no sub claim', bearer(signHs256({ tenant_id: TENANT, iss: ISSUER, aud: AUDIENCE, exp: 9999999999 }))],
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
