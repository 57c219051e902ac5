import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { runQuery } from '../../db/run-query';
import { serveUnderPressure } from '../../plugins/external/load-shedding';
import { LIVENESS_PATH, READINESS_PATH } from '../../probe-paths';

const HealthStatus = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('draining'), Type.Literal('unavailable')]),
  checks: Type.Optional(Type.Record(Type.String(), Type.String())),
});
const READINESS_TIMEOUT_MS = 1000;

/**
 * The pool whose answer readiness needs: the readers, which serve the bulk of the traffic. The writer is
 * reported but does not gate readiness: the target group checks readiness and Route 53 withdraws a region with
 * no ready pod, so a writer failover or a blip of the proxy in front of it would otherwise take every pod of
 * the region out of rotation at once, though cached and uncached reads still work. Writes fail fast meanwhile
 * (the breaker), and the ApiDatabaseCircuitOpen alert speaks for the writer (docs/architecture.md).
 */
const READINESS_POOL = 'reader';

/** Liveness says the process runs; readiness says it can serve (not draining, the readers answer). */
const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    LIVENESS_PATH,
    {
      schema: { hide: true, response: { 200: HealthStatus } },
      config: { rateLimit: false, pressureHandler: serveUnderPressure },
    },
    async () => ({
      status: 'ok' as const,
    }),
  );

  app.get(
    READINESS_PATH,
    {
      schema: { hide: true, response: { 200: HealthStatus, 503: HealthStatus } },
      config: { rateLimit: false, pressureHandler: serveUnderPressure },
    },
    async (_request, reply) => {
      if (app.lifecycle.draining) return reply.code(503).send({ status: 'draining' });
      const checks: Record<string, string> = {};
      await Promise.all(
        app.db.pools().map(async ([name, pool]) => {
          try {
            await runQuery(pool, 'SELECT 1', [], AbortSignal.timeout(READINESS_TIMEOUT_MS));
            checks[name] = 'ok';
          } catch {
            checks[name] = 'unreachable';
          }
        }),
      );
      const ready = checks[READINESS_POOL] === 'ok';
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', checks });
    },
  );
};

export default healthRoutes;
