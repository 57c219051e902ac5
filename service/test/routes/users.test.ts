import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../helpers/build-test-app';
import { Fixtures } from '../helpers/fixtures';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { bearer, claims, signHs256 } from '../helpers/tokens';

let database: TestDatabase;
let fixtures: Fixtures;
let app: FastifyInstance;
let asTenantA: Record<string, string>;
let asTenantB: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  fixtures = await Fixtures.connect(database.directUrl);
  app = await buildTestApp(database.url);
  asTenantA = bearer(signHs256(claims('tenant-a', await fixtures.user('tenant-a'))));
  asTenantB = bearer(signHs256(claims('tenant-b', await fixtures.user('tenant-b'))));
});

afterAll(async () => {
  await app.close();
  await fixtures.close();
  await database.drop();
});

const create = (headers: Record<string, string>, payload: object) =>
  app.inject({ method: 'POST', url: '/v1/users', headers, payload });

describe('POST /v1/users', () => {
  it('creates a user in the caller tenant', async () => {
    const response = await create(asTenantA, { email: 'grace@example.com', name: 'Grace' });

    expect(response.statusCode).toBe(201);
    const user = response.json();
    expect(user).toMatchObject({ email: 'grace@example.com', name: 'Grace' });
    expect(response.headers.location).toBe(`/v1/users/${user.id}`);
    const stored = await fixtures.query('SELECT tenant_id FROM users WHERE id = $1', [user.id]);
    expect(stored.rows).toEqual([{ tenant_id: 'tenant-a' }]);
  });

  it('answers 409 email_taken for the same e-mail in the same tenant, whatever its case', async () => {
    await create(asTenantA, { email: 'linus@example.com', name: 'Linus' });

    const response = await create(asTenantA, { email: 'LINUS@example.com', name: 'Linus again' });

    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('email_taken');
  });

  it('allows the same e-mail in another tenant', async () => {
    await create(asTenantA, { email: 'margaret@example.com', name: 'Margaret' });

    const response = await create(asTenantB, { email: 'margaret@example.com', name: 'Margaret' });

    expect(response.statusCode).toBe(201);
  });

  it.each([
    ['an invalid e-mail', { email: 'not-an-email', name: 'X' }],
    ['an empty name', { email: 'x@example.com', name: '' }],
    ['an unknown field', { email: 'y@example.com', name: 'Y', role: 'admin' }],
  ])('rejects %s with 400 validation_failed', async (_case, payload) => {
    const response = await create(asTenantA, payload);

    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
  });

  it('rejects a body that is not JSON with 415', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: { ...asTenantA, 'content-type': 'text/plain' },
      payload: 'email=x',
    });

    expect(response.statusCode).toBe(415);
    expect(response.json().error.code).toBe('unsupported_media_type');
  });
});

describe('GET /v1/users/:id', () => {
  it('returns a user of the caller tenant and hides it from other tenants', async () => {
    const user = (await create(asTenantA, { email: 'ken@example.com', name: 'Ken' })).json();

    const own = await app.inject({ url: `/v1/users/${user.id}`, headers: asTenantA });
    const other = await app.inject({ url: `/v1/users/${user.id}`, headers: asTenantB });

    expect(own.statusCode).toBe(200);
    expect(own.json()).toEqual(user);
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('not_found');
  });
});
