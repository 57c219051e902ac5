import type { FastifyInstance } from 'fastify';
import { LIVENESS_PATH, READINESS_PATH } from '../../src/probe-paths';
import { buildTestApp } from '../helpers/build-test-app';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

let database: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await buildTestApp(database.url);
});

afterAll(async () => {
  await app.close();
  await database.drop();
});

describe('probes', () => {
  it('reports live and ready when both database endpoints answer', async () => {
    const live = await app.inject({ url: LIVENESS_PATH });
    const ready = await app.inject({ url: READINESS_PATH });

    expect(live.statusCode).toBe(200);
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', checks: { writer: 'ok', reader: 'ok' } });
  });

  it('fails readiness but not liveness while draining', async () => {
    app.lifecycle.draining = true;
    try {
      expect((await app.inject({ url: READINESS_PATH })).statusCode).toBe(503);
      expect((await app.inject({ url: LIVENESS_PATH })).statusCode).toBe(200);
    } finally {
      app.lifecycle.draining = false;
    }
  });

  it('fails readiness, and answers API calls with 503, when the database is unreachable', async () => {
    // Nothing listens on port 1: connections are refused at once.
    const unreachable = await buildTestApp('postgres://postgres@127.0.0.1:1/none', {
      DATABASE_CONNECT_TIMEOUT_MS: '500',
    });
    try {
      const ready = await unreachable.inject({ url: READINESS_PATH });
      const live = await unreachable.inject({ url: LIVENESS_PATH });

      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({
        status: 'unavailable',
        checks: { writer: 'unreachable', reader: 'unreachable' },
      });
      expect(live.statusCode).toBe(200);
    } finally {
      await unreachable.close();
    }
  });

  it('stays ready while only the writer is unreachable, reporting it: reads still work', async () => {
    // A writer failover or a proxy blip must not withdraw every pod of the region (the target group checks this
    // route, and Route 53 withdraws a region with no healthy target).
    const writerDown = await buildTestApp('postgres://postgres@127.0.0.1:1/none', {
      DATABASE_READER_URL: database.url,
      DATABASE_CONNECT_TIMEOUT_MS: '500',
    });
    try {
      const ready = await writerDown.inject({ url: READINESS_PATH });

      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ok', checks: { writer: 'unreachable', reader: 'ok' } });
    } finally {
      await writerDown.close();
    }
  });
});

describe('GET /metrics', () => {
  it('exposes the request histogram by route template and status class, and pool gauges', async () => {
    await app.inject({ url: '/v1/posts/00000000-0000-4000-8000-000000000000' });

    const response = await app.inject({ url: '/metrics' });

    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/v1\/posts\/:id",status_class="4xx"\} 1/,
    );
    expect(response.body).toMatch(/http_request_duration_seconds_bucket\{le="0.2",/);
    expect(response.body).toMatch(/db_pool_connections\{pool="writer",state="total"\}/);
    expect(response.body).toMatch(/nodejs_eventloop_lag_p99_seconds/);
  });
});

describe('errors', () => {
  it('answers unknown routes with 404 and the JSON error body', async () => {
    const response = await app.inject({ url: '/v2/nothing?x=1' });

    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { code: 'not_found', message: 'no route for GET /v2/nothing' },
    });
  });

  it('echoes the request id, or makes one', async () => {
    const given = await app.inject({ url: LIVENESS_PATH, headers: { 'x-request-id': 'abc-123' } });
    const made = await app.inject({ url: LIVENESS_PATH });

    expect(given.headers['x-request-id']).toBe('abc-123');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('GET /docs/json', () => {
  it('serves an OpenAPI 3.1 document of every v1 route with bearer auth', async () => {
    const document = (await app.inject({ url: '/docs/json' })).json();

    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual([
      '/v1/posts',
      '/v1/posts/{id}',
      '/v1/posts:batch',
      '/v1/users',
      '/v1/users/{id}',
    ]);
    expect(Object.keys(document.paths['/v1/posts/{id}']).sort()).toEqual(['delete', 'get', 'patch']);
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.components.schemas).toHaveProperty('Post');
  });
});
