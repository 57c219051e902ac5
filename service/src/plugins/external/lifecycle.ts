import fp from 'fastify-plugin';

/** Process-level state the probes report: once draining, readiness fails so the load balancer stops sending. */
export interface Lifecycle {
  draining: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    lifecycle: Lifecycle;
  }
}

/** Holds the draining flag set by the shutdown sequence in `server.ts`. */
export default fp(
  async (app) => {
    app.decorate('lifecycle', { draining: false });
  },
  { name: 'lifecycle' },
);
