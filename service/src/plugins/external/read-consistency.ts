import fp from 'fastify-plugin';

/** How fresh a read must be: `strong` reads from the writer, `eventual` from the readers. */
export type ReadConsistency = 'strong' | 'eventual';

declare module 'fastify' {
  interface FastifyRequest {
    /** `strong` when the client sent `Consistency: strong`, else `eventual`. */
    consistency: ReadConsistency;
  }
}

/** Reads the client's `Consistency` header once, so repositories can pick the writer or a replica. */
export default fp(
  async (app) => {
    app.decorateRequest('consistency', 'eventual');
    app.addHook('onRequest', async (request) => {
      request.consistency = request.headers['consistency'] === 'strong' ? 'strong' : 'eventual';
    });
  },
  { name: 'read-consistency' },
);
