import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import type { ServiceConfig } from './config';
import { AccessLogController } from './logging/access-log-controller';
import caches from './plugins/app/caches';
import idempotency from './plugins/app/idempotency/idempotent-executor';
import outboxMetrics from './plugins/app/outbox-metrics';
import postsService from './plugins/app/posts/posts-service';
import usersService from './plugins/app/users/users-service';
import auth from './plugins/external/auth';
import errorHandler, { frameworkErrors } from './plugins/external/error-handler';
import httpCaching from './plugins/external/http-caching';
import lifecycle from './plugins/external/lifecycle';
import loadShedding from './plugins/external/load-shedding';
import metrics from './plugins/external/metrics';
import pgPools from './plugins/external/pg-pools';
import rateLimit from './plugins/external/rate-limit';
import requestContext from './plugins/external/request-context';
import redis from './plugins/external/redis';
import rejectNulCharacters from './plugins/external/reject-nul-characters';
import swagger from './plugins/external/swagger';
import tracing from './plugins/external/tracing';
import healthRoutes from './routes/health';
import v1Routes from './routes/v1';
import { ErrorResponse, LOWERCASE_KEYWORD } from './schemas/common';
import { sharedSerializerFactory } from './schemas/shared-serializer-factory';
import { logTraceFields } from './telemetry/log-trace-fields';
import { Post, PostBatchResult, PostPage } from './schemas/posts';
import { User } from './schemas/users';

/** A request id a client may choose (`X-Request-Id`); any other is replaced by one of ours. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Overrides for what `buildApp` gives Fastify. */
export interface AppOverrides {
  /**
   * Where log lines go, such as a test's capture.
   * @default - standard output
   */
  readonly logStream?: DestinationStream;
}

/** Creates the service with every plugin and route registered, ready to `listen` or `inject`. */
export async function buildApp(
  config: ServiceConfig,
  overrides: AppOverrides = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization'],
      // Every line written inside a request carries its trace id, to go from a log line to its trace.
      mixin: logTraceFields,
      ...(overrides.logStream ? { stream: overrides.logStream } : {}),
    },
    logController: new AccessLogController(),
    bodyLimit: config.server.bodyLimitBytes,
    // `request.ip` (the per-IP rate limit, the access log) is the address the outermost trusted proxy saw.
    // Hop 0 is the socket's peer, hop 1 the last address in X-Forwarded-For, and so on.
    trustProxy:
      config.server.trustProxyHops > 0
        ? (_address: string, hop: number) => hop < config.server.trustProxyHops
        : false,
    // Past this, Fastify answers 503; the request-context plugin cancels the request's queries at the same time.
    handlerTimeout: config.server.requestTimeoutMs,
    // Fastify would take any `X-Request-Id` as it is: a client's id is kept only if it is short and plain,
    // so none can forge log lines or bloat them.
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
    },
    // A malformed or overlong URL is refused before routing, outside the error handler: same body all the same.
    frameworkErrors,
    schemaController: { compilersFactory: { buildSerializer: sharedSerializerFactory() } },
    ajv: {
      // Unknown fields are a client error, not something to drop silently.
      customOptions: {
        removeAdditional: false,
        coerceTypes: 'array',
        useDefaults: true,
        keywords: [LOWERCASE_KEYWORD],
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // A JSON API: any other body is answered 415 instead of being validated as a string.
  app.removeContentTypeParser('text/plain');

  // Hooks that do not wait on anything take a callback: an async hook costs a promise per request.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    // While draining, close each keep-alive connection after its response, so shutdown need not wait for it.
    if (app.lifecycle.draining) reply.header('connection', 'close');
    done(null, payload);
  });

  for (const schema of [ErrorResponse, User, Post, PostPage, PostBatchResult]) app.addSchema(schema);

  // First, so that every route and hook registered after it is traced.
  await app.register(tracing, { tracing: config.tracing });
  await app.register(lifecycle);
  await app.register(errorHandler);
  await app.register(rejectNulCharacters);
  await app.register(swagger);
  await app.register(httpCaching);
  await app.register(pgPools, { database: config.database });
  await app.register(redis, { redis: config.redis });
  await app.register(metrics);
  await app.register(loadShedding, { maxEventLoopDelayMs: config.loadShedMaxEventLoopDelayMs });
  await app.register(requestContext, { requestTimeoutMs: config.server.requestTimeoutMs });
  await app.register(auth, { jwt: config.auth });
  await app.register(rateLimit, { rateLimit: config.rateLimit });
  await app.register(caches, { cache: config.cache });
  await app.register(idempotency);
  await app.register(outboxMetrics);
  await app.register(usersService);
  await app.register(postsService);

  await app.register(healthRoutes);
  await app.register(v1Routes, { prefix: '/v1' });
  return app;
}
