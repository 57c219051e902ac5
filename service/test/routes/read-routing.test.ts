import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../helpers/build-test-app';
import { Fixtures } from '../helpers/fixtures';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { bearer, claims, signHs256 } from '../helpers/tokens';

// The "replica" is a second database with the same schema that never receives the writes:
// a read that finds the new row must have gone to the writer.
let writer: TestDatabase;
let replica: TestDatabase;
let writerFixtures: Fixtures;
let replicaFixtures: Fixtures;
let app: FastifyInstance;
let asAuthor: Record<string, string>;

beforeAll(async () => {
  [writer, replica] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  [writerFixtures, replicaFixtures] = await Promise.all([
    Fixtures.connect(writer.url),
    Fixtures.connect(replica.url),
  ]);
  const authorId = await writerFixtures.user('tenant-r', 'Writer');
  await replicaFixtures.query(
    "INSERT INTO users (tenant_id, id, email, name) VALUES ('tenant-r', $1, 'w@example.com', 'Writer')",
    [authorId],
  );
  asAuthor = bearer(signHs256(claims('tenant-r', authorId)));
  app = await buildTestApp(writer.url, { DATABASE_READER_URL: replica.url });
});

afterAll(async () => {
  await app.close();
  await Promise.all([writerFixtures.close(), replicaFixtures.close()]);
  await Promise.all([writer.drop(), replica.drop()]);
});

it('returns a write from the writer and reads from the replica unless Consistency: strong', async () => {
  const created = await app.inject({
    method: 'POST',
    url: '/v1/posts',
    headers: asAuthor,
    payload: { title: 't', body: 'b' },
  });
  const { id } = created.json();

  const eventual = await app.inject({ url: `/v1/posts/${id}`, headers: asAuthor });
  const strong = await app.inject({
    url: `/v1/posts/${id}`,
    headers: { ...asAuthor, consistency: 'strong' },
  });
  const strongList = await app.inject({ url: '/v1/posts', headers: { ...asAuthor, consistency: 'strong' } });
  const eventualList = await app.inject({ url: '/v1/posts', headers: asAuthor });

  expect(created.statusCode).toBe(201);
  expect(eventual.statusCode).toBe(404);
  expect(strong.statusCode).toBe(200);
  expect(strongList.json().data).toHaveLength(1);
  expect(eventualList.json().data).toHaveLength(0);
});

it('rejects an unknown consistency level with 400', async () => {
  const response = await app.inject({
    url: '/v1/posts',
    headers: { ...asAuthor, consistency: 'linearizable' },
  });

  expect(response.statusCode).toBe(400);
});
