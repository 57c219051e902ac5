import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isDatabaseUnavailable } from '../../db/database-breaker';
import { QueryCancelledError } from '../../db/run-query';
import { HttpError } from '../../http-error';

/** Codes for the 4xx errors Fastify raises itself, so clients can switch on a stable string. */
const FRAMEWORK_ERROR_CODES: Readonly<Record<string, string>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_content_length',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
};

/** Renders every error as `{ error: { code, message } }`: 4xx with the reason, 5xx without internals. */
export default fp(
  async (app) => {
    app.setNotFoundHandler((request, reply) => {
      reply
        .code(404)
        .send(errorBody('not_found', `no route for ${request.method} ${request.url.split('?')[0]}`));
    });

    app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      if (error instanceof HttpError) {
        reply.headers(error.headers);
        if (error.statusCode === 401) reply.header('www-authenticate', 'Bearer');
        return reply.code(error.statusCode).send(errorBody(error.code, error.message));
      }
      if (error.validation) {
        return reply.code(400).send({
          error: {
            code: 'validation_failed',
            message: error.message,
            details: error.validation.map((issue) => ({
              location: error.validationContext,
              path: issue.instancePath,
              message: issue.message,
            })),
          },
        });
      }
      if (error instanceof QueryCancelledError) {
        // The client is gone; nobody reads this, but the status keeps the access log honest.
        return reply.code(499).send(errorBody('client_closed_request', error.message));
      }
      if (error.code === 'FST_ERR_HANDLER_TIMEOUT') {
        return reply
          .code(503)
          .header('retry-after', '1')
          .send(errorBody('timeout', 'the request took too long and was cancelled'));
      }
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        return reply
          .code(status)
          .send(errorBody(FRAMEWORK_ERROR_CODES[error.code] ?? 'bad_request', error.message));
      }
      if (isDatabaseUnavailable(error)) {
        request.log.warn({ err: error }, 'database unavailable');
        return reply
          .code(503)
          .header('retry-after', '1')
          .send(errorBody('service_unavailable', 'the database is unavailable, retry shortly'));
      }
      request.log.error({ err: error }, 'unhandled error');
      return reply.code(500).send(errorBody('internal_error', 'internal server error'));
    });
  },
  { name: 'error-handler' },
);

/** The JSON error body every 4xx and 5xx response carries. */
export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}
