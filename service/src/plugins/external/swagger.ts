import fastifySwagger from '@fastify/swagger';
import fp from 'fastify-plugin';

/** Builds the OpenAPI 3.1 document from the route schemas and serves it at `/docs/json`. */
export default fp(
  async (app) => {
    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Scalable API',
          description:
            'Multi-tenant users and posts. Every call is scoped to the tenant of the bearer token.',
          version: '1.0.0',
        },
        components: {
          securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
        },
        security: [{ bearerAuth: [] }],
      },
      // Shared schemas appear under their own names (Post, User, ...) in components.schemas.
      refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    });
    app.get('/docs/json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'swagger' },
);
