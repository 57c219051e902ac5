import type { FastifyPluginAsync } from 'fastify';
import postsRoutes from './posts';
import usersRoutes from './users';

/** Version 1 of the API: every route needs a valid bearer token, checked before the body is read. */
const v1Routes: FastifyPluginAsync = async (app) => {
  app.addHook('onRequest', app.authenticate);
  await app.register(usersRoutes, { prefix: '/users' });
  await app.register(postsRoutes, { prefix: '/posts' });
};

export default v1Routes;
