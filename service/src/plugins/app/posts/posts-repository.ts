import { isoTimestamp } from '../../../db/sql';
import type { Queryable } from '../../../db/queryable';
import { HttpError } from '../../../http-error';
import type { CreatePostBody, Post, PostField, PostListItem, UpdatePostBody } from '../../../schemas/posts';
import type { Principal } from '../../external/auth';
import type { Databases } from '../../external/pg-pools';
import type { ReadOptions } from '../read-options';
import { type PostCursor, encodePostCursor } from './post-cursor';

/** A post row as selected, with the author's name from the joined users row. */
interface PostRow {
  id: string;
  author_id: string;
  title: string;
  body: string;
  created_at: string;
  updated_at: string;
  author_name: string;
}

/** Selected for every post; `p` is the post (or the CTE that wrote it), `u` its author, joined once. */
const POST_COLUMNS = [
  'p.id',
  'p.author_id',
  'p.title',
  'p.body',
  `${isoTimestamp('p.created_at')} AS created_at`,
  `${isoTimestamp('p.updated_at')} AS updated_at`,
  'u.name AS author_name',
].join(', ');
/** What each field of `fields=` selects in a list: only the columns asked for are read and sent. */
const LIST_COLUMNS: Readonly<Record<PostField, string>> = {
  id: 'p.id',
  author_id: 'p.author_id',
  title: 'p.title',
  body: 'p.body',
  created_at: `${isoTimestamp('p.created_at')} AS created_at`,
  updated_at: `${isoTimestamp('p.updated_at')} AS updated_at`,
  author: 'u.id AS author__id, u.name AS author__name',
};
const JOIN_AUTHOR = 'JOIN users u ON u.tenant_id = p.tenant_id AND u.id = p.author_id';
const FOREIGN_KEY_VIOLATION = '23503';

/** What a page of the post list is made of. */
export interface PostListRequest {
  readonly authorId?: string;
  readonly after?: PostCursor;
  readonly limit: number;
  readonly fields: ReadonlySet<PostField>;
}

/** Reads and writes posts, always within one tenant; only a post's author may change or delete it. */
export class PostsRepository {
  constructor(private readonly db: Databases) {}

  /** The post with this id in the tenant, author embedded, or `undefined`. */
  async findById(tenantId: string, id: string, options: ReadOptions): Promise<Post | undefined> {
    const rows = await this.db
      .forRead(options)
      .query<PostRow>(
        `SELECT ${POST_COLUMNS} FROM posts p ${JOIN_AUTHOR} WHERE p.tenant_id = $1 AND p.id = $2`,
        [tenantId, id],
      );
    return rows[0] && toPost(rows[0]);
  }

  /** One page, newest first, by keyset on `(created_at, id)`: the cost of a page does not grow with its depth. */
  async list(
    tenantId: string,
    request: PostListRequest,
    options: ReadOptions,
  ): Promise<{ items: PostListItem[]; nextCursor: string | null }> {
    const values: unknown[] = [tenantId];
    const conditions = ['p.tenant_id = $1'];
    if (request.authorId !== undefined) {
      values.push(request.authorId);
      conditions.push(`p.author_id = $${values.length}`);
    }
    if (request.after !== undefined) {
      values.push(request.after.createdAt, request.after.id);
      conditions.push(`(p.created_at, p.id) < ($${values.length - 1}::timestamptz, $${values.length}::uuid)`);
    }
    values.push(request.limit + 1);
    const columns = [...request.fields].map((field) => LIST_COLUMNS[field]);
    const rows = await this.db.forRead(options).query<Record<string, string>>(
      `SELECT ${isoTimestamp('p.created_at')} AS cursor_created_at, ${columns.join(', ')}
       FROM posts p ${request.fields.has('author') ? JOIN_AUTHOR : ''}
       WHERE ${conditions.join(' AND ')}
       ORDER BY p.created_at DESC, p.id DESC
       LIMIT $${values.length}`,
      values,
    );
    const page = rows.slice(0, request.limit);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > request.limit && last
        ? encodePostCursor({ createdAt: last.cursor_created_at, id: last.id })
        : null;
    return { items: page.map((row) => toListItem(row, request.fields)), nextCursor };
  }

  /** Creates a post authored by the caller, who must be a user of the tenant (else 422 `unknown_author`). */
  async create(on: Queryable, principal: Principal, input: CreatePostBody): Promise<Post> {
    try {
      const rows = await on.query<PostRow>(
        `WITH p AS (
           INSERT INTO posts (tenant_id, author_id, title, body) VALUES ($1, $2, $3, $4) RETURNING *
         )
         SELECT ${POST_COLUMNS} FROM p ${JOIN_AUTHOR}`,
        [principal.tenantId, principal.userId, input.title, input.body],
      );
      return toPost(rows[0]);
    } catch (error) {
      throw asUnknownAuthor(error);
    }
  }

  /** Creates many posts by the caller with one statement (one round trip), returned in input order. */
  async createMany(on: Queryable, principal: Principal, inputs: readonly CreatePostBody[]): Promise<Post[]> {
    try {
      const rows = await on.query<PostRow>(
        // Ids are drawn in a materialized CTE so each inserted row can be matched back to its input position.
        `WITH input AS MATERIALIZED (
           SELECT gen_random_uuid() AS id, item.title, item.body, item.position
           FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS item(title, body, position)
         ),
         p AS (
           INSERT INTO posts (tenant_id, id, author_id, title, body)
           SELECT $1, input.id, $2, input.title, input.body FROM input
           RETURNING *
         )
         SELECT ${POST_COLUMNS} FROM p JOIN input ON input.id = p.id ${JOIN_AUTHOR} ORDER BY input.position`,
        [
          principal.tenantId,
          principal.userId,
          inputs.map((input) => input.title),
          inputs.map((input) => input.body),
        ],
      );
      return rows.map(toPost);
    } catch (error) {
      throw asUnknownAuthor(error);
    }
  }

  /** Changes the given fields of the caller's post and returns it as written. */
  async update(on: Queryable, principal: Principal, id: string, patch: UpdatePostBody): Promise<Post> {
    const rows = await on.query<PostRow>(
      `WITH p AS (
         UPDATE posts SET title = COALESCE($4, title), body = COALESCE($5, body), updated_at = now()
         WHERE tenant_id = $1 AND id = $2 AND author_id = $3
         RETURNING *
       )
       SELECT ${POST_COLUMNS} FROM p ${JOIN_AUTHOR}`,
      [principal.tenantId, id, principal.userId, patch.title ?? null, patch.body ?? null],
    );
    if (rows[0]) return toPost(rows[0]);
    throw await whyNotWritable(on, principal, id);
  }

  /** Deletes the caller's post. */
  async delete(on: Queryable, principal: Principal, id: string): Promise<void> {
    const rows = await on.query<{ id: string }>(
      'DELETE FROM posts WHERE tenant_id = $1 AND id = $2 AND author_id = $3 RETURNING id',
      [principal.tenantId, id, principal.userId],
    );
    if (rows.length === 0) throw await whyNotWritable(on, principal, id);
  }
}
/** Tells a missing post (404) from someone else's post (403), after a write matched no row. */
async function whyNotWritable(on: Queryable, principal: Principal, id: string): Promise<HttpError> {
  const rows = await on.query<{ id: string }>('SELECT id FROM posts WHERE tenant_id = $1 AND id = $2', [
    principal.tenantId,
    id,
  ]);
  return rows.length === 0
    ? new HttpError(404, 'not_found', 'post not found')
    : new HttpError(403, 'forbidden', 'only the author can change this post');
}

/** The author is the caller: a foreign-key failure means the token's subject is no user of its tenant. */
function asUnknownAuthor(error: unknown): unknown {
  return (error as { code?: string }).code === FOREIGN_KEY_VIOLATION
    ? new HttpError(422, 'unknown_author', 'the token subject is not a user of this tenant')
    : error;
}

function toPost(row: PostRow): Post {
  return {
    id: row.id,
    author_id: row.author_id,
    title: row.title,
    body: row.body,
    created_at: row.created_at,
    updated_at: row.updated_at,
    author: { id: row.author_id, name: row.author_name },
  };
}

function toListItem(row: Record<string, string>, fields: ReadonlySet<PostField>): PostListItem {
  const item: Record<string, unknown> = {};
  for (const field of fields) {
    item[field] = field === 'author' ? { id: row.author__id, name: row.author__name } : row[field];
  }
  return item as PostListItem;
}
