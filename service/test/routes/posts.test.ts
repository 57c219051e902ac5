import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../helpers/build-test-app';
import { Fixtures } from '../helpers/fixtures';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { bearer, claims, signHs256 } from '../helpers/tokens';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../src/schemas/posts';

const TENANT_A = 'tenant-a';
const TENANT_B = 'tenant-b';

let database: TestDatabase;
let fixtures: Fixtures;
let app: FastifyInstance;
let alice: string;
let bob: string;
let carol: string;
let asAlice: Record<string, string>;
let asBob: Record<string, string>;
let asCarol: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  fixtures = await Fixtures.connect(database.directUrl);
  app = await buildTestApp(database.url);
  alice = await fixtures.user(TENANT_A, 'Alice');
  bob = await fixtures.user(TENANT_A, 'Bob');
  carol = await fixtures.user(TENANT_B, 'Carol');
  asAlice = bearer(signHs256(claims(TENANT_A, alice)));
  asBob = bearer(signHs256(claims(TENANT_A, bob)));
  asCarol = bearer(signHs256(claims(TENANT_B, carol)));
});

afterAll(async () => {
  await app.close();
  await fixtures.close();
  await database.drop();
});

async function createPost(headers: Record<string, string>, title = 'Hello') {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/posts',
    headers,
    payload: { title, body: 'text' },
  });
  expect(response.statusCode).toBe(201);
  return response.json();
}

describe('POST /v1/posts', () => {
  it('creates a post by the caller and returns it with its author and location', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/posts',
      headers: asAlice,
      payload: { title: 'First', body: 'Hello world' },
    });

    expect(response.statusCode).toBe(201);
    const post = response.json();
    expect(post).toMatchObject({
      title: 'First',
      body: 'Hello world',
      author_id: alice,
      author: { id: alice, name: 'Alice' },
    });
    expect(response.headers.location).toBe(`/v1/posts/${post.id}`);
    expect(post.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    const stored = await fixtures.query('SELECT tenant_id, author_id FROM posts WHERE id = $1', [post.id]);
    expect(stored.rows).toEqual([{ tenant_id: TENANT_A, author_id: alice }]);
  });

  it('rejects malformed JSON with 400 invalid_json', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/posts',
      headers: { ...asAlice, 'content-type': 'application/json' },
      payload: '{"title": "x",',
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_json');
  });

  it('rejects unknown fields rather than dropping them', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/posts',
      headers: asAlice,
      payload: { title: 'x', body: 'y', tenant_id: TENANT_B },
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed' });
    expect(response.json().error.message).toMatch(/additional properties/);
  });

  it('rejects a missing title with the failing field named', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/posts',
      headers: asAlice,
      payload: { body: 'y' },
    });

    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/title/);
  });

  it('rejects a body over 1 MiB with 413 before touching the database', async () => {
    const before = await fixtures.query<{ count: string }>('SELECT count(*) FROM posts');
    const response = await app.inject({
      method: 'POST',
      url: '/v1/posts',
      headers: asAlice,
      payload: { title: 'big', body: 'x'.repeat(1024 * 1024) },
    });

    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('payload_too_large');
    const after = await fixtures.query<{ count: string }>('SELECT count(*) FROM posts');
    expect(after.rows[0].count).toBe(before.rows[0].count);
  });

  it('rejects a caller who is not a user of the tenant with 422 unknown_author', async () => {
    const stranger = bearer(signHs256(claims(TENANT_A, carol)));

    const response = await app.inject({
      method: 'POST',
      url: '/v1/posts',
      headers: stranger,
      payload: { title: 't', body: 'b' },
    });

    expect(response.statusCode).toBe(422);
    expect(response.json().error.code).toBe('unknown_author');
  });
});

describe('GET /v1/posts/:id', () => {
  it('returns the post with its author embedded', async () => {
    const created = await createPost(asBob, 'By Bob');

    const response = await app.inject({ url: `/v1/posts/${created.id}`, headers: asAlice });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(created);
  });

  it('answers 404 with a JSON error for an unknown id', async () => {
    const response = await app.inject({
      url: '/v1/posts/00000000-0000-4000-8000-000000000000',
      headers: asAlice,
    });

    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'not_found', message: 'post not found' } });
  });

  it('answers 400 for an id that is not a UUID', async () => {
    const response = await app.inject({ url: '/v1/posts/42', headers: asAlice });

    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
  });
});

describe('tenant isolation', () => {
  it('never lets tenant B read, change, delete or list tenant A posts', async () => {
    const post = await createPost(asAlice, 'Tenant A only');

    const read = await app.inject({ url: `/v1/posts/${post.id}`, headers: asCarol });
    const patch = await app.inject({
      method: 'PATCH',
      url: `/v1/posts/${post.id}`,
      headers: asCarol,
      payload: { title: 'pwned' },
    });
    const remove = await app.inject({ method: 'DELETE', url: `/v1/posts/${post.id}`, headers: asCarol });
    const list = await app.inject({ url: `/v1/posts?author=${alice}`, headers: asCarol });

    expect([read.statusCode, patch.statusCode, remove.statusCode]).toEqual([404, 404, 404]);
    expect(list.json().data).toEqual([]);
    const stored = await fixtures.query('SELECT title FROM posts WHERE id = $1', [post.id]);
    expect(stored.rows).toEqual([{ title: 'Tenant A only' }]);
  });

  it('cannot be bypassed with a tenant query parameter', async () => {
    const response = await app.inject({ url: `/v1/posts?tenant_id=${TENANT_A}`, headers: asCarol });

    expect(response.statusCode).toBe(400);
  });
});

describe('PATCH and DELETE /v1/posts/:id', () => {
  it('lets the author change a post and reads the change back from the writer', async () => {
    const post = await createPost(asAlice, 'Draft');

    const response = await app.inject({
      method: 'PATCH',
      url: `/v1/posts/${post.id}`,
      headers: asAlice,
      payload: { title: 'Final' },
    });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: post.id,
      title: 'Final',
      body: post.body,
      author: { name: 'Alice' },
    });
    expect(response.json().updated_at >= post.updated_at).toBe(true);
  });

  it('forbids another user of the same tenant with 403', async () => {
    const post = await createPost(asAlice);

    const patch = await app.inject({
      method: 'PATCH',
      url: `/v1/posts/${post.id}`,
      headers: asBob,
      payload: { title: 'x' },
    });
    const remove = await app.inject({ method: 'DELETE', url: `/v1/posts/${post.id}`, headers: asBob });

    expect([patch.statusCode, remove.statusCode]).toEqual([403, 403]);
    expect(patch.json().error.code).toBe('forbidden');
  });

  it('rejects an empty patch with 400', async () => {
    const post = await createPost(asAlice);

    const response = await app.inject({
      method: 'PATCH',
      url: `/v1/posts/${post.id}`,
      headers: asAlice,
      payload: {},
    });

    expect(response.statusCode).toBe(400);
  });

  it('deletes a post, after which it is gone', async () => {
    const post = await createPost(asAlice);

    const remove = await app.inject({ method: 'DELETE', url: `/v1/posts/${post.id}`, headers: asAlice });
    const read = await app.inject({ url: `/v1/posts/${post.id}`, headers: asAlice });
    const again = await app.inject({ method: 'DELETE', url: `/v1/posts/${post.id}`, headers: asAlice });

    expect(remove.statusCode).toBe(204);
    expect(remove.body).toBe('');
    expect(read.statusCode).toBe(404);
    expect(again.statusCode).toBe(404);
  });
});

describe('GET /v1/posts pagination', () => {
  const TENANT = 'tenant-pages';
  let author: string;
  let asAuthor: Record<string, string>;
  let newestFirst: string[];

  beforeAll(async () => {
    author = await fixtures.user(TENANT, 'Paginated');
    asAuthor = bearer(signHs256(claims(TENANT, author)));
    newestFirst = (await fixtures.posts(TENANT, author, 2 * MAX_PAGE_SIZE + 7)).reverse();
  });

  async function list(query: string, headers = asAuthor) {
    return app.inject({ url: `/v1/posts${query}`, headers });
  }

  it('returns an empty page with no cursor for a tenant without posts', async () => {
    const empty = bearer(signHs256(claims('tenant-empty', author)));

    const response = await list('', empty);

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ data: [], next_cursor: null });
  });

  it(`returns ${DEFAULT_PAGE_SIZE} posts, newest first, by default`, async () => {
    const page = (await list('')).json();

    expect(page.data.map((post: { id: string }) => post.id)).toEqual(newestFirst.slice(0, DEFAULT_PAGE_SIZE));
    expect(page.next_cursor).toEqual(expect.any(String));
  });

  it('walks every post exactly once by following the cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: { id: string }[]; next_cursor: string | null } = (
        await list(`?limit=${MAX_PAGE_SIZE}${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      seen.push(...page.data.map((post) => post.id));
      cursor = page.next_cursor;
    } while (cursor);

    expect(seen).toEqual(newestFirst);
  });

  it('gives no cursor when the last page is exactly full', async () => {
    const first = (await list(`?limit=${MAX_PAGE_SIZE}`)).json();
    const second = (await list(`?limit=${MAX_PAGE_SIZE}&cursor=${first.next_cursor}`)).json();
    const last = (await list(`?limit=7&cursor=${second.next_cursor}`)).json();

    expect(last.data).toHaveLength(7);
    expect(last.next_cursor).toBeNull();
  });

  it(`accepts limit=${MAX_PAGE_SIZE} and rejects limit=${MAX_PAGE_SIZE + 1} and limit=0`, async () => {
    const max = await list(`?limit=${MAX_PAGE_SIZE}`);
    const over = await list(`?limit=${MAX_PAGE_SIZE + 1}`);
    const zero = await list('?limit=0');

    expect(max.json().data).toHaveLength(MAX_PAGE_SIZE);
    expect([over.statusCode, zero.statusCode]).toEqual([400, 400]);
    expect(over.json().error.code).toBe('validation_failed');
  });

  it('rejects a tampered or foreign cursor with 400 invalid_cursor', async () => {
    const { next_cursor: cursor } = (await list('?limit=1')).json();
    const tampered = `${cursor.slice(0, -2)}xx`;
    const foreign = Buffer.from(JSON.stringify(['yesterday', 'not-a-uuid'])).toString('base64url');

    for (const bad of [tampered, foreign, 'not base64 at all!']) {
      const response = await list(`?cursor=${encodeURIComponent(bad)}`);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toMatch(/invalid_cursor|validation_failed/);
    }
    expect((await list(`?cursor=${foreign}`)).json().error.code).toBe('invalid_cursor');
  });

  it('filters by author', async () => {
    const other = await fixtures.user(TENANT, 'Other');
    const [otherPost] = await fixtures.posts(TENANT, other, 1);

    const page = (await list(`?author=${other}`)).json();

    expect(page.data.map((post: { id: string }) => post.id)).toEqual([otherPost]);
  });

  it('returns only the requested fields, id always included', async () => {
    const page = (await list(`?author=${author}&limit=2&fields=title,author`)).json();

    expect(Object.keys(page.data[0]).sort()).toEqual(['author', 'id', 'title']);
    expect(page.data[0].author).toEqual({ id: author, name: 'Paginated' });
  });

  it('rejects unknown fields and unknown parameters with 400', async () => {
    const badField = await list('?fields=title,password');
    const badParam = await list('?page=2');

    expect(badField.statusCode).toBe(400);
    expect(badField.json().error.code).toBe('invalid_fields');
    expect(badParam.statusCode).toBe(400);
  });

  it('embeds authors with one query per page, whatever the page size', async () => {
    let acquired = 0;
    const count = () => acquired++;
    app.db.reader.on('acquire', count);
    try {
      await list(`?limit=${MAX_PAGE_SIZE}`);
    } finally {
      app.db.reader.off('acquire', count);
    }

    expect(acquired).toBe(1);
  });
});
