import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../helpers/build-test-app';
import { Fixtures } from '../helpers/fixtures';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { bearer, claims, signHs256 } from '../helpers/tokens';

// Input that passes a lax schema but that PostgreSQL refuses: each must be a 4xx at the edge, never a 500.
const TENANT = 'tenant-edge';

let database: TestDatabase;
let fixtures: Fixtures;
let app: FastifyInstance;
let userId: string;
let postId: string;
let asUser: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  fixtures = await Fixtures.connect(database.directUrl);
  app = await buildTestApp(database.url);
  userId = await fixtures.user(TENANT, 'Edge');
  [postId] = await fixtures.posts(TENANT, userId, 1);
  asUser = bearer(signHs256(claims(TENANT, userId)));
});

afterAll(async () => {
  await app.close();
  await fixtures.close();
  await database.drop();
});

const cursorOf = (content: unknown) => Buffer.from(JSON.stringify(content)).toString('base64url');

describe('ids', () => {
  // Ajv's `uuid` format accepts a `urn:uuid:` prefix (RFC 9562 §4); PostgreSQL's uuid input does not.
  it.each([
    ['GET', '/v1/users/:urn', undefined],
    ['PATCH', '/v1/users/:urn', { name: 'x' }],
    ['GET', '/v1/posts/:urn', undefined],
    ['PATCH', '/v1/posts/:urn', { title: 'x' }],
    ['DELETE', '/v1/posts/:urn', undefined],
    ['GET', '/v1/posts?author=:urn', undefined],
  ] as const)('%s %s with a urn:uuid: id answers 400 validation_failed', async (method, path, payload) => {
    const url = path.replace(
      ':urn',
      `urn:uuid:${method === 'PATCH' && path.includes('users') ? userId : postId}`,
    );

    const response = await app.inject({ method, url, headers: asUser, payload });

    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
  });

  it('reads, changes and serves one cached copy of a post whatever the case of its id', async () => {
    const [id] = await fixtures.posts(TENANT, userId, 1);
    const upper = id.toUpperCase();

    const read = await app.inject({ url: `/v1/posts/${upper}`, headers: asUser });
    await app.inject({ url: `/v1/posts/${id}`, headers: asUser });
    const patch = await app.inject({
      method: 'PATCH',
      url: `/v1/posts/${upper}`,
      headers: asUser,
      payload: { title: 'changed through the upper-case id' },
    });
    const after = await app.inject({ url: `/v1/posts/${id}`, headers: asUser });

    expect([read.statusCode, patch.statusCode]).toEqual([200, 200]);
    expect(read.json().id).toBe(id);
    expect(after.json().title).toBe('changed through the upper-case id');
  });

  it('lets a user change their own user through the upper-case id', async () => {
    const response = await app.inject({
      method: 'PATCH',
      url: `/v1/users/${userId.toUpperCase()}`,
      headers: asUser,
      payload: { name: 'Edge' },
    });

    expect(response.statusCode).toBe(200);
    expect(response.json().id).toBe(userId);
  });

  it('takes a token whose subject is written in upper case as the same user', async () => {
    const asUpperCaseSubject = bearer(signHs256(claims(TENANT, userId.toUpperCase())));

    const response = await app.inject({
      method: 'PATCH',
      url: `/v1/users/${userId}`,
      headers: asUpperCaseSubject,
      payload: { name: 'Edge' },
    });

    expect(response.statusCode).toBe(200);
  });
});

describe('URLs refused before routing', () => {
  it.each([
    ['a malformed percent-encoding', '/v1/posts/%', 400, 'invalid_url'],
    ['a path parameter past the length limit', `/v1/posts/${'x'.repeat(200)}`, 414, 'uri_too_long'],
  ])('answers %s with the service error body', async (_case, url, status, code) => {
    const response = await app.inject({ url, headers: asUser });

    expect(response.statusCode).toBe(status);
    expect(response.json()).toEqual({ error: { code, message: expect.any(String) } });
  });
});

describe('NUL characters', () => {
  // PostgreSQL text cannot hold U+0000 (docs: "Character Types": "the character with code zero cannot be stored").
  it.each([
    ['POST', '/v1/users', { email: 'nul@example.com', name: 'a\u0000b' }],
    ['PATCH', '/v1/users/:self', { name: '\u0000' }],
    ['POST', '/v1/posts', { title: 'nul', body: 'before\u0000after' }],
    ['POST', '/v1/posts', { title: '\u0000', body: '' }],
    [
      'POST',
      '/v1/posts:batch',
      {
        items: [
          { title: 'ok', body: 'ok' },
          { title: 't', body: '\u0000' },
        ],
      },
    ],
    ['PATCH', '/v1/posts/:post', { body: 'x\u0000' }],
  ] as const)('%s %s with a NUL in a string answers 400 validation_failed', async (method, path, payload) => {
    const url = path.replace(':self', userId).replace(':post', postId);

    const response = await app.inject({ method, url, headers: asUser, payload });

    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'validation_failed',
      details: [expect.objectContaining({ location: 'body' })],
    });
  });

  it('answers 400 for a NUL in the query string', async () => {
    const response = await app.inject({ url: '/v1/posts?cursor=%00', headers: asUser });

    expect(response.statusCode).toBe(400);
  });
});

describe('cursors', () => {
  it.each([
    ['30 February', '2024-02-30T00:00:00.000000Z'],
    ['29 February of a common year', '2023-02-29T12:00:00.000000Z'],
    ['31 April', '2024-04-31T00:00:00.000000Z'],
    ['year 0', '0000-01-01T00:00:00.000000Z'],
    ['hour 24', '2024-01-01T24:00:00.000000Z'],
  ])('answers 400 invalid_cursor for a cursor dated %s', async (_case, createdAt) => {
    const response = await app.inject({
      url: `/v1/posts?cursor=${cursorOf([createdAt, postId])}`,
      headers: asUser,
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_cursor');
  });

  it.each([
    ['an object', { createdAt: '2024-01-01T00:00:00.000000Z', id: '00000000-0000-4000-8000-000000000000' }],
    ['a NUL in the id', ['2024-01-01T00:00:00.000000Z', '00000000-0000-4000-8000-00000000000\u0000']],
    ['an upper-case id', ['2024-01-01T00:00:00.000000Z', '00000000-0000-4000-A000-000000000000']],
    ['a number for the date', [1704067200000, '00000000-0000-4000-8000-000000000000']],
  ])('answers 400 invalid_cursor for a cursor holding %s', async (_case, content) => {
    const response = await app.inject({ url: `/v1/posts?cursor=${cursorOf(content)}`, headers: asUser });

    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_cursor');
  });

  it('still follows a cursor the API returned', async () => {
    await fixtures.posts(TENANT, userId, 3);
    const first = (await app.inject({ url: '/v1/posts?limit=1', headers: asUser })).json();

    const second = await app.inject({
      url: `/v1/posts?limit=1&cursor=${first.next_cursor}`,
      headers: asUser,
    });

    expect(second.statusCode).toBe(200);
    expect(second.json().data).toHaveLength(1);
  });
});
