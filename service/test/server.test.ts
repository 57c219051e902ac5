import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Fixtures } from './helpers/fixtures';
import { startServerProcess } from './helpers/server-process';
import { createTestDatabase, type TestDatabase } from './helpers/test-database';
import { TEST_JWT_SECRET, bearer, claims, signHs256 } from './helpers/tokens';

let database: TestDatabase;
let fixtures: Fixtures;

beforeAll(async () => {
  database = await createTestDatabase();
  fixtures = await Fixtures.connect(database.directUrl);
});

afterAll(async () => {
  await fixtures.close();
  await database.drop();
});

it('serves requests over a real socket', async () => {
  const author = await fixtures.user('tenant-s');
  const server = await startServerProcess({ DATABASE_URL: database.url, JWT_SECRET: TEST_JWT_SECRET });
  try {
    const response = await fetch(`${server.baseUrl}/v1/posts`, {
      headers: bearer(signHs256(claims('tenant-s', author))),
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: [], next_cursor: null });
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
});

it('accepts writes with a body over a real socket (reading a body is not a disconnect)', async () => {
  const author = await fixtures.user('tenant-s');
  const server = await startServerProcess({ DATABASE_URL: database.url, JWT_SECRET: TEST_JWT_SECRET });
  try {
    const response = await fetch(`${server.baseUrl}/v1/posts`, {
      method: 'POST',
      headers: { ...bearer(signHs256(claims('tenant-s', author))), 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'over a socket', body: 'b' }),
    });

    expect(response.status).toBe(201);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
});

it('cancels the database work of a request whose client disconnects', async () => {
  const author = await fixtures.user('tenant-s');
  const [postId] = await fixtures.posts('tenant-s', author, 1);
  const headers = { ...bearer(signHs256(claims('tenant-s', author))), 'content-type': 'application/json' };
  const server = await startServerProcess({ DATABASE_URL: database.url, JWT_SECRET: TEST_JWT_SECRET });
  const locker = new Client({ connectionString: database.url });
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await locker.query('SELECT id FROM posts WHERE id = $1 FOR UPDATE', [postId]);
    const client = new AbortController();
    const patch = fetch(`${server.baseUrl}/v1/posts/${postId}`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ title: 'abandoned' }),
      signal: client.signal,
    }).catch(() => 'aborted');
    await waitFor(async () => (await lockWaiters()) === 1);

    client.abort();

    expect(await patch).toBe('aborted');
    const abortedAt = Date.now();
    await waitFor(async () => (await lockWaiters()) === 0);
    // Well under the 5 s statement timeout: the query was cancelled, not timed out.
    expect(Date.now() - abortedAt).toBeLessThan(2000);
    await locker.query('COMMIT');
    const { rows } = await fixtures.query('SELECT title FROM posts WHERE id = $1', [postId]);
    expect(rows[0].title).not.toBe('abandoned');
  } finally {
    await locker.end();
    server.child.kill('SIGTERM');
    await server.exited;
  }
});

it('finishes every in-flight request on SIGTERM, then stops listening and exits 0', async () => {
  const author = await fixtures.user('tenant-s');
  const [postId] = await fixtures.posts('tenant-s', author, 1);
  const headers = { ...bearer(signHs256(claims('tenant-s', author))), 'content-type': 'application/json' };
  const server = await startServerProcess({
    DATABASE_URL: database.url,
    JWT_SECRET: TEST_JWT_SECRET,
    SHUTDOWN_TIMEOUT_MS: '15000',
    // On a loaded machine start-up lag could shed one of the PATCHes below; this test is about shutdown.
    LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
  });

  // Hold the row lock so the PATCHes below are in flight, blocked in PostgreSQL, when SIGTERM arrives.
  const locker = new Client({ connectionString: database.url });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('SELECT id FROM posts WHERE id = $1 FOR UPDATE', [postId]);
  const inFlight = Array.from({ length: 5 }, (_, i) =>
    fetch(`${server.baseUrl}/v1/posts/${postId}`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ title: `edit ${i}` }),
    }),
  );
  await waitFor(async () => (await lockWaiters()) === 5).catch(async (error: unknown) => {
    // A failed wait must leave neither the server nor the lock behind.
    server.child.kill('SIGKILL');
    await locker.end();
    throw error;
  });

  server.child.kill('SIGTERM');
  await waitFor(async () => server.logs.some((line) => line.includes('shutting down')));
  await expect(fetch(`${server.baseUrl}/health/live`)).rejects.toThrow();
  await locker.query('COMMIT');
  await locker.end();

  const responses = await Promise.all(inFlight);
  expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
  expect(await server.exited).toBe(0);
});

it('fails no request when SIGTERM arrives under load: readiness fails first, the load balancer stops sending, in-flight work finishes', async () => {
  const author = await fixtures.user('tenant-load');
  const postIds = await fixtures.posts('tenant-load', author, 20);
  const auth = bearer(signHs256(claims('tenant-load', author)));
  const server = await startServerProcess({
    DATABASE_URL: database.url,
    JWT_SECRET: TEST_JWT_SECRET,
    REDIS_KEY_PREFIX: `test:sigterm-${randomUUID()}:`,
    // Long enough for the load balancer below to see readiness fail (it probes every 100 ms).
    SHUTDOWN_DRAIN_DELAY_MS: '1000',
    // This test is about shutdown: neither the limiter nor shedding (jest shares two cores) may refuse.
    RATE_LIMIT_MAX: '1000000',
    LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
  });
  // The load balancer: routes to the pod only while its readiness probe passes.
  let routing = true;
  const probe = setInterval(() => {
    fetch(`${server.baseUrl}/health/ready`).then(
      (response) => (routing &&= response.status === 200),
      () => (routing = false),
    );
  }, 100);
  let succeeded = 0;
  let atSigterm: number;
  const failures: string[] = [];
  const deadline = Date.now() + 20_000;
  const send = (i: number) => {
    if (i % 4 === 0) {
      return fetch(`${server.baseUrl}/v1/posts`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify({ title: `load ${i}`, body: 'b' }),
      });
    }
    if (i % 4 === 1) return fetch(`${server.baseUrl}/v1/posts?limit=5`, { headers: auth });
    return fetch(`${server.baseUrl}/v1/posts/${postIds[i % postIds.length]}`, { headers: auth });
  };
  // 16 clients, each sending its next request as soon as the last one is answered: bounded in time and count.
  const clients = Array.from({ length: 16 }, async (_, client) => {
    for (let i = client; routing && Date.now() < deadline && i < 100_000; i += 16) {
      try {
        const response = await send(i);
        await response.arrayBuffer();
        if (response.ok) succeeded++;
        else failures.push(`HTTP ${response.status}`);
      } catch (error) {
        failures.push(String((error as Error).cause ?? error));
      }
    }
  });
  try {
    await waitFor(async () => succeeded >= 150, 15_000);
    atSigterm = succeeded;
    server.child.kill('SIGTERM');
    await Promise.all(clients);
  } finally {
    clearInterval(probe);
    routing = false;
  }

  expect(failures).toEqual([]);
  expect(succeeded).toBeGreaterThanOrEqual(150);
  expect(await server.exited).toBe(0);
  // Load went on after SIGTERM (during the drain delay), and all of it was served.
  expect(succeeded).toBeGreaterThan(atSigterm);
});

async function lockWaiters(): Promise<number> {
  const { rows } = await fixtures.query<{ waiting: number }>(
    // The test's own sessions never wait on a lock: every waiter in this database is the server's.
    "SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
  );
  return rows[0].waiting;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
