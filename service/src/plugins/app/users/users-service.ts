import fp from 'fastify-plugin';
import { postsByAuthorTag, userKey } from '../../../cache/cache-keys';
import type { Queryable } from '../../../db/queryable';
import type { Databases } from '../../external/pg-pools';
import type { Caches } from '../caches';
import type { CreateUserBody, UpdateUserBody, User } from '../../../schemas/users';
import type { ReadOptions } from '../read-options';
import { UsersRepository } from './users-repository';

/** Users as routes see them: single reads through the cache, changes that invalidate every copy of the user. */
export class UsersService {
  constructor(
    private readonly db: Databases,
    private readonly repository: UsersRepository,
    private readonly caches: Caches,
  ) {}

  /** One user; eventual reads may come from the cache, strong reads always from the writer. */
  async get(tenantId: string, id: string, options: ReadOptions): Promise<User | undefined> {
    if (options.consistency === 'strong') return this.repository.findById(tenantId, id, options);
    const user = await this.caches.user.get(
      userKey(tenantId, id),
      async () => (await this.repository.findById(tenantId, id, { consistency: 'eventual' })) ?? null,
    );
    return user ?? undefined;
  }

  /** Creates a user within `on` (the caller's transaction). */
  create(on: Queryable, tenantId: string, input: CreateUserBody): Promise<User> {
    return this.repository.create(on, tenantId, input);
  }

  /** Changes a user, then drops the cached user and every cached post that embeds it. */
  async update(
    tenantId: string,
    id: string,
    patch: UpdateUserBody,
    signal?: AbortSignal,
  ): Promise<User | undefined> {
    const user = await this.repository.update(this.db.forWrite(signal), tenantId, id, patch);
    if (user) {
      await Promise.all([
        this.caches.user.invalidate(userKey(tenantId, id)),
        this.caches.post.invalidateTag(postsByAuthorTag(tenantId, id)),
      ]);
    }
    return user;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    users: UsersService;
  }
}

/** Makes the users service available to routes. */
export default fp(
  async (app) => {
    app.decorate('users', new UsersService(app.db, new UsersRepository(app.db), app.caches));
  },
  { name: 'users-service', dependencies: ['pg-pools', 'caches'] },
);
