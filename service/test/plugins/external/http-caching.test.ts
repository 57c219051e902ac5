import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { COMPRESSION_THRESHOLD_BYTES } from '../../../src/plugins/external/http-caching';
import { buildTestApp } from '../../helpers/build-test-app';
import { Fixtures } from '../../helpers/fixtures';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-database';
import { bearer, claims, signHs256 } from '../../helpers/tokens';

const TENANT = 'tenant-http';

let database: TestDatabase;
let fixtures: Fixtures;
let app: FastifyInstance;
let asAuthor: Record<string, string>;
let postId: string;
let authorId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  fixtures = await Fixtures.connect(database.directUrl);
  app = await buildTestApp(database.url);
  authorId = await fixtures.user(TENANT);
  asAuthor = bearer(signHs256(claims(TENANT, authorId)));
  [postId] = await fixtures.posts(TENANT, authorId, 60);
});

afterAll(async () => {
  await app.close();
  await fixtures.close();
  await database.drop();
});

describe('ETag and conditional requests', () => {
  it('answers If-None-Match with the current ETag by 304 and no body', async () => {
    const first = await app.inject({ url: `/v1/posts/${postId}`, headers: asAuthor });
    const etag = first.headers.etag as string;

    const revalidated = await app.inject({
      url: `/v1/posts/${postId}`,
      headers: { ...asAuthor, 'if-none-match': etag },
    });

    expect(etag).toMatch(/^"[^"]+"$/);
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.body).toBe('');
  });

  it('gives a new ETag, and a full 200, once the post changes', async () => {
    const before = await app.inject({ url: `/v1/posts/${postId}`, headers: asAuthor });
    await app.inject({
      method: 'PATCH',
      url: `/v1/posts/${postId}`,
      headers: asAuthor,
      payload: { title: 'Edited' },
    });

    const after = await app.inject({
      url: `/v1/posts/${postId}`,
      headers: { ...asAuthor, 'if-none-match': before.headers.etag },
    });

    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });

  it('puts an ETag on list pages too', async () => {
    const page = await app.inject({ url: '/v1/posts?limit=5', headers: asAuthor });
    const again = await app.inject({
      url: '/v1/posts?limit=5',
      headers: { ...asAuthor, 'if-none-match': page.headers.etag },
    });

    expect(again.statusCode).toBe(304);
  });
});

describe('Cache-Control', () => {
  it('marks authenticated reads private and revalidated, varying by Authorization', async () => {
    const response = await app.inject({ url: `/v1/posts/${postId}`, headers: asAuthor });

    expect(response.headers['cache-control']).toBe('private, no-cache');
    expect(String(response.headers.vary)).toMatch(/Authorization/);
  });

  it('forbids storing writes and errors', async () => {
    const write = await app.inject({
      method: 'POST',
      url: '/v1/posts',
      headers: asAuthor,
      payload: { title: 't', body: 'b' },
    });
    const error = await app.inject({ url: `/v1/posts/${postId}` });

    expect(write.headers['cache-control']).toBe('no-store');
    expect(error.headers['cache-control']).toBe('no-store');
  });
});

describe('compression', () => {
  it('compresses a large page with Brotli when offered, else gzip, and the body decodes to the same JSON', async () => {
    const identity = await app.inject({ url: '/v1/posts?limit=50', headers: asAuthor });
    const br = await app.inject({
      url: '/v1/posts?limit=50',
      headers: { ...asAuthor, 'accept-encoding': 'gzip, br' },
    });
    const gzip = await app.inject({
      url: '/v1/posts?limit=50',
      headers: { ...asAuthor, 'accept-encoding': 'gzip' },
    });

    expect(identity.body.length).toBeGreaterThan(COMPRESSION_THRESHOLD_BYTES);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(br.headers['content-encoding']).toBe('br');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString())).toEqual(identity.json());
    expect(JSON.parse(gunzipSync(gzip.rawPayload).toString())).toEqual(identity.json());
    expect(br.rawPayload.length).toBeLessThan(identity.body.length / 2);
  });

  it('sends bodies under 1 KiB uncompressed', async () => {
    const response = await app.inject({
      url: `/v1/users/${authorId}`,
      headers: { ...asAuthor, 'accept-encoding': 'br, gzip' },
    });

    expect(response.body.length).toBeLessThan(COMPRESSION_THRESHOLD_BYTES);
    expect(response.headers['content-encoding']).toBeUndefined();
  });
});
