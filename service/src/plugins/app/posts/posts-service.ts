import fp from 'fastify-plugin';
import { postKey, postsByAuthorTag } from '../../../cache/cache-keys';
import type { TwoLevelCache } from '../../../cache/two-level-cache';
import type { Queryable } from '../../../db/queryable';
import { appendOutboxEvent, appendOutboxEvents } from '../../../outbox/outbox-writer';
import type { CreatePostBody, Post, UpdatePostBody } from '../../../schemas/posts';
import type { Principal } from '../../external/auth';
import type { Databases } from '../../external/pg-pools';
import type { ReadOptions } from '../read-options';
import { PostsRepository, type PostListRequest } from './posts-repository';

/** Posts as routes see them: single reads through the cache, writes that invalidate it once committed. */
export class PostsService {
  constructor(
    private readonly db: Databases,
    private readonly repository: PostsRepository,
    private readonly cache: TwoLevelCache<Post>,
  ) {}

  /** One post; eventual reads may come from the cache, strong reads always from the writer. */
  async get(tenantId: string, id: string, options: ReadOptions): Promise<Post | undefined> {
    if (options.consistency === 'strong') return this.repository.findById(tenantId, id, options);
    // The load is shared by every concurrent caller, so no single caller's disconnect may cancel it.
    const post = await this.cache.get(
      postKey(tenantId, id),
      async () => (await this.repository.findById(tenantId, id, { consistency: 'eventual' })) ?? null,
      { tags: (found) => [postsByAuthorTag(tenantId, found.author_id)] },
    );
    return post ?? undefined;
  }

  /** One page of posts, always from the database: pages change with every write. */
  list(tenantId: string, request: PostListRequest, options: ReadOptions) {
    return this.repository.list(tenantId, request, options);
  }

  /**
   * Creates a post within `on` (the caller's transaction, which also records `post.created` in the outbox);
   * no cache entry can exist for a new id.
   */
  async create(on: Queryable, principal: Principal, input: CreatePostBody): Promise<Post> {
    const post = await this.repository.create(on, principal, input);
    await appendOutboxEvent(on, {
      tenantId: principal.tenantId,
      type: 'post.created',
      aggregateId: post.id,
      payload: post,
    });
    return post;
  }

  /** Creates every post of a batch and their `post.created` events within `on`: all of them or none. */
  async createMany(on: Queryable, principal: Principal, inputs: readonly CreatePostBody[]): Promise<Post[]> {
    const posts = await this.repository.createMany(on, principal, inputs);
    await appendOutboxEvents(
      on,
      posts.map((post) => ({
        tenantId: principal.tenantId,
        type: 'post.created',
        aggregateId: post.id,
        payload: post,
      })),
    );
    return posts;
  }

  /** Changes a post and records `post.updated` in one transaction, then drops its cached copy. */
  async update(principal: Principal, id: string, patch: UpdatePostBody, signal?: AbortSignal): Promise<Post> {
    const post = await this.db.transaction(signal, async (tx) => {
      const updated = await this.repository.update(tx, principal, id, patch);
      await appendOutboxEvent(tx, {
        tenantId: principal.tenantId,
        type: 'post.updated',
        aggregateId: id,
        payload: updated,
      });
      return updated;
    });
    await this.cache.invalidate(postKey(principal.tenantId, id));
    return post;
  }

  /** Deletes a post and records `post.deleted` in one transaction, then drops its cached copy. */
  async delete(principal: Principal, id: string, signal?: AbortSignal): Promise<void> {
    await this.db.transaction(signal, async (tx) => {
      await this.repository.delete(tx, principal, id);
      await appendOutboxEvent(tx, {
        tenantId: principal.tenantId,
        type: 'post.deleted',
        aggregateId: id,
        payload: { id },
      });
    });
    await this.cache.invalidate(postKey(principal.tenantId, id));
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    posts: PostsService;
  }
}

/** Makes the posts service available to routes. */
export default fp(
  async (app) => {
    app.decorate('posts', new PostsService(app.db, new PostsRepository(app.db), app.caches.post));
  },
  { name: 'posts-service', dependencies: ['pg-pools', 'caches'] },
);
