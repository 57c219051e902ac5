import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { HttpError } from '../../http-error';
import { readOptionsOf } from '../../plugins/external/request-context';
import {
  ErrorResponse,
  IdParams,
  ReadHeaders,
  WriteHeaders,
  authenticatedErrors,
} from '../../schemas/common';
import { CreateUserBody, UpdateUserBody, User } from '../../schemas/users';

/** `/v1/users`: users of the caller's tenant. */
const usersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Get a user of your tenant',
        params: IdParams,
        headers: ReadHeaders,
        response: { 200: Type.Ref(User), 404: Type.Ref(ErrorResponse), ...authenticatedErrors },
      },
    },
    async (request) => {
      const user = await app.users.get(request.principal.tenantId, request.params.id, readOptionsOf(request));
      if (!user) throw new HttpError(404, 'not_found', 'user not found');
      return user;
    },
  );

  app.post(
    '',
    {
      schema: {
        tags: ['users'],
        summary: 'Create a user in your tenant',
        headers: WriteHeaders,
        body: CreateUserBody,
        response: { 201: Type.Ref(User), 409: Type.Ref(ErrorResponse), ...authenticatedErrors },
      },
    },
    async (request, reply) => {
      return app.idempotency.respond(request, reply, async (tx) => {
        const user = await app.users.create(tx, request.principal.tenantId, request.body);
        return { statusCode: 201, headers: { location: `/v1/users/${user.id}` }, body: user };
      });
    },
  );

  app.patch(
    '/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Change your own user',
        params: IdParams,
        body: UpdateUserBody,
        response: {
          200: Type.Ref(User),
          403: Type.Ref(ErrorResponse),
          404: Type.Ref(ErrorResponse),
          409: Type.Ref(ErrorResponse),
          ...authenticatedErrors,
        },
      },
    },
    async (request) => {
      const { tenantId, userId } = request.principal;
      if (request.params.id !== userId)
        throw new HttpError(403, 'forbidden', 'you can only change your own user');
      const user = await app.users.update(tenantId, request.params.id, request.body, request.cancellation);
      if (!user) throw new HttpError(404, 'not_found', 'user not found');
      return user;
    },
  );
};

export default usersRoutes;
