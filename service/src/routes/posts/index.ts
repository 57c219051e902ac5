import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { HttpError } from '../../http-error';
import { readOptionsOf } from '../../plugins/external/request-context';
import { decodePostCursor } from '../../plugins/app/posts/post-cursor';
import { parsePostFields } from '../../plugins/app/posts/post-fields';
import {
  ErrorResponse,
  IdParams,
  ReadHeaders,
  WriteHeaders,
  authenticatedErrors,
} from '../../schemas/common';
import {
  CreatePostBody,
  CreatePostsBatchBody,
  ListPostsQuery,
  MAX_BATCH_SIZE,
  Post,
  PostBatchResult,
  PostPage,
  UpdatePostBody,
} from '../../schemas/posts';

const ownPostErrors = { 403: Type.Ref(ErrorResponse), 404: Type.Ref(ErrorResponse), ...authenticatedErrors };

/** `/v1/posts`: posts of the caller's tenant, each with its author embedded. */
const postsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '',
    {
      schema: {
        tags: ['posts'],
        summary: 'List posts, newest first, one page at a time',
        querystring: ListPostsQuery,
        headers: ReadHeaders,
        response: { 200: Type.Ref(PostPage), ...authenticatedErrors },
      },
    },
    async (request) => {
      const { author, cursor, limit, fields } = request.query;
      const page = await app.posts.list(
        request.principal.tenantId,
        {
          authorId: author,
          after: cursor === undefined ? undefined : decodePostCursor(cursor),
          limit,
          fields: parsePostFields(fields),
        },
        readOptionsOf(request),
      );
      return { data: page.items, next_cursor: page.nextCursor };
    },
  );

  app.get(
    '/:id',
    {
      schema: {
        tags: ['posts'],
        summary: 'Get a post with its author',
        params: IdParams,
        headers: ReadHeaders,
        response: { 200: Type.Ref(Post), 404: Type.Ref(ErrorResponse), ...authenticatedErrors },
      },
    },
    async (request) => {
      const post = await app.posts.get(request.principal.tenantId, request.params.id, readOptionsOf(request));
      if (!post) throw new HttpError(404, 'not_found', 'post not found');
      return post;
    },
  );

  app.post(
    '',
    {
      schema: {
        tags: ['posts'],
        summary: 'Create a post authored by the caller',
        headers: WriteHeaders,
        body: CreatePostBody,
        response: { 201: Type.Ref(Post), 422: Type.Ref(ErrorResponse), ...authenticatedErrors },
      },
    },
    async (request, reply) => {
      return app.idempotency.respond(request, reply, async (tx) => {
        const post = await app.posts.create(tx, request.principal, request.body);
        return { statusCode: 201, headers: { location: `/v1/posts/${post.id}` }, body: post };
      });
    },
  );

  app.post(
    // `::` is Fastify's escape for a literal colon: the route is `/v1/posts:batch` (a custom method, AIP-136 style).
    '::batch',
    {
      schema: {
        tags: ['posts'],
        summary: `Create up to ${MAX_BATCH_SIZE} posts in one transaction`,
        headers: WriteHeaders,
        body: CreatePostsBatchBody,
        response: { 201: Type.Ref(PostBatchResult), 422: Type.Ref(ErrorResponse), ...authenticatedErrors },
      },
    },
    async (request, reply) => {
      return app.idempotency.respond(request, reply, async (tx) => {
        const posts = await app.posts.createMany(tx, request.principal, request.body.items);
        return {
          statusCode: 201,
          headers: {},
          body: { results: posts.map((post, index) => ({ index, status: 201, post })) },
        };
      });
    },
  );

  app.patch(
    '/:id',
    {
      schema: {
        tags: ['posts'],
        summary: 'Change your post',
        params: IdParams,
        body: UpdatePostBody,
        response: { 200: Type.Ref(Post), ...ownPostErrors },
      },
    },
    async (request) =>
      app.posts.update(request.principal, request.params.id, request.body, request.cancellation),
  );

  app.delete(
    '/:id',
    {
      schema: {
        tags: ['posts'],
        summary: 'Delete your post',
        params: IdParams,
        response: { 204: Type.Null(), ...ownPostErrors },
      },
    },
    async (request, reply) => {
      await app.posts.delete(request.principal, request.params.id, request.cancellation);
      return reply.code(204).send(null);
    },
  );
};

export default postsRoutes;
