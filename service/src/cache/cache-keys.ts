/**
 * Cache keys, versioned and scoped by tenant: bumping the version abandons every old entry at once after a
 * change of cached shape, and the tenant in every key makes a cross-tenant hit impossible.
 * The braces are a Redis Cluster hash tag: a tenant's keys and tags live on one shard.
 */
const VERSION = 'v1';

export const postKey = (tenantId: string, postId: string) => `${VERSION}:{${tenantId}}:post:${postId}`;
export const userKey = (tenantId: string, userId: string) => `${VERSION}:{${tenantId}}:user:${userId}`;
/** The set of cached post keys that embed this author, dropped when the author changes. */
export const postsByAuthorTag = (tenantId: string, authorId: string) =>
  `${VERSION}:{${tenantId}}:tag:posts-by-author:${authorId}`;
