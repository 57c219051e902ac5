import { Type, type Static } from '@sinclair/typebox';
import { Timestamp, Uuid } from './common';

/** Pagination bounds: a page holds `DEFAULT_PAGE_SIZE` posts unless the client asks for up to `MAX_PAGE_SIZE`. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** The author embedded in a post. */
export const Author = Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() });

const postProperties = {
  id: Type.String({ format: 'uuid' }),
  author_id: Type.String({ format: 'uuid' }),
  title: Type.String(),
  body: Type.String(),
  created_at: Timestamp,
  updated_at: Timestamp,
  author: Author,
};

/** A post with its author embedded. */
export const Post = Type.Object(postProperties, { $id: 'Post', title: 'Post' });
export type Post = Static<typeof Post>;

/** A post in a list: only the fields the client asked for (`fields=`), `id` always. */
export const PostListItem = Type.Partial(Type.Object(postProperties), { title: 'PostListItem' });
export type PostListItem = Static<typeof PostListItem>;

/** One page of posts and the cursor of the next page (`null` on the last page). */
export const PostPage = Type.Object(
  { data: Type.Array(PostListItem), next_cursor: Type.Union([Type.String(), Type.Null()]) },
  { $id: 'PostPage', title: 'PostPage' },
);
export type PostPage = Static<typeof PostPage>;

/** The query of `GET /v1/posts`. */
export const ListPostsQuery = Type.Object(
  {
    author: Type.Optional(Uuid({ description: 'Only posts by this user.' })),
    cursor: Type.Optional(
      Type.String({ maxLength: 200, description: 'The `next_cursor` of the previous page.' }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE }),
    fields: Type.Optional(
      Type.String({
        pattern: '^[a-z_]+(,[a-z_]+)*$',
        description: `Comma-separated fields to return, among ${Object.keys(postProperties).join(', ')}.`,
      }),
    ),
  },
  { additionalProperties: false },
);
export type ListPostsQuery = Static<typeof ListPostsQuery>;

/** The field names a client may ask for in `fields=`. */
export const POST_FIELDS = Object.keys(postProperties) as (keyof typeof postProperties)[];
export type PostField = (typeof POST_FIELDS)[number];

/** The body of `POST /v1/posts`; the author is the caller. */
export const CreatePostBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 300 }),
    body: Type.String({ maxLength: 100_000 }),
  },
  { additionalProperties: false },
);
export type CreatePostBody = Static<typeof CreatePostBody>;

/** The body of `PATCH /v1/posts/:id`: at least one field. */
export const UpdatePostBody = Type.Partial(CreatePostBody, { additionalProperties: false, minProperties: 1 });
export type UpdatePostBody = Static<typeof UpdatePostBody>;

/** Most posts one batch may create: bounds the transaction's size and lock time. */
export const MAX_BATCH_SIZE = 100;

/** The body of `POST /v1/posts:batch`. */
export const CreatePostsBatchBody = Type.Object(
  { items: Type.Array(CreatePostBody, { minItems: 1, maxItems: MAX_BATCH_SIZE }) },
  { additionalProperties: false },
);
export type CreatePostsBatchBody = Static<typeof CreatePostsBatchBody>;

/** One result per item, in the order of the request. */
export const PostBatchResult = Type.Object(
  {
    results: Type.Array(Type.Object({ index: Type.Integer(), status: Type.Integer(), post: Type.Ref(Post) })),
  },
  { $id: 'PostBatchResult', title: 'PostBatchResult' },
);
export type PostBatchResult = Static<typeof PostBatchResult>;
