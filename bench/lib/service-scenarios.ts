import { randomUUID } from 'node:crypto';
import type { Request } from 'autocannon';
import { FirstReadCounter } from './first-read-counter';
import { ZipfSampler, seededRandom } from './zipf-sampler';

/** The requests of one throughput scenario against the service. */
export interface ServiceScenario {
  readonly name: string;
  readonly description: string;
  readonly requests: Request[];
  /** Tracks first reads of an id, for scenarios whose cache hit ratio has a ceiling in a short window. */
  readonly firstReads?: FirstReadCounter;
}

/** get-hot: one post, again and again, so every read is a memory-cache hit after the warm-up. */
export function getHot(postId: string): ServiceScenario {
  return {
    name: 'get-hot',
    description: `GET /v1/posts/:id, one id, warm cache, with a bearer token`,
    requests: [{ method: 'GET', path: `/v1/posts/${postId}` }],
  };
}

/** get-zipf: ids drawn with a Zipf distribution over `postIds` (rank 1 the most read). */
export function getZipf(postIds: readonly string[], exponent: number, seed: number): ServiceScenario {
  const sampler = new ZipfSampler({ n: postIds.length, exponent, random: seededRandom(seed) });
  const firstReads = new FirstReadCounter();
  return {
    name: 'get-zipf',
    description: `GET /v1/posts/:id, Zipf (s=${exponent}) over ${postIds.length} ids`,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => {
          const id = postIds[sampler.next() - 1];
          firstReads.record(id);
          return { ...request, path: `/v1/posts/${id}` };
        },
      },
    ],
    firstReads,
  };
}

interface CursorContext {
  cursor?: string | null;
}

/** list: pages of 50, each connection following `next_cursor` and starting over at the end. */
export function listPages(): ServiceScenario {
  return {
    name: 'list',
    description: 'GET /v1/posts?limit=50, each connection walking next_cursor',
    requests: [
      {
        method: 'GET',
        setupRequest: (request, context) => {
          const { cursor } = context as CursorContext;
          const query = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
          return { ...request, path: `/v1/posts?limit=50${query}` };
        },
        onResponse: (status, body, context) => {
          (context as CursorContext).cursor =
            status === 200 ? (JSON.parse(body) as { next_cursor: string | null }).next_cursor : null;
        },
      },
    ],
  };
}

/** post: creates posts, each request with a new Idempotency-Key (so each one writes). */
export function createPosts(): ServiceScenario {
  const body = JSON.stringify({ title: 'Bench post', body: 'Written by the benchmark. '.repeat(10) });
  return {
    name: 'post',
    description: 'POST /v1/posts, a unique Idempotency-Key per request',
    requests: [
      {
        method: 'POST',
        path: '/v1/posts',
        setupRequest: (request) => ({
          ...request,
          body,
          headers: {
            ...request.headers,
            'content-type': 'application/json',
            'idempotency-key': randomUUID(),
          },
        }),
      },
    ],
  };
}
