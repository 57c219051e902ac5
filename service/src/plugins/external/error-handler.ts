import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DatabaseError } from 'pg';
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

/**
 * SQLSTATEs by which PostgreSQL refuses a value itself (PostgreSQL docs, Appendix A "PostgreSQL Error Codes",
 * class 22 Data Exception). The schemas should stop such values first; this keeps one that slips through a
 * client error rather than a 500 that pages the on-call and aborts a canary.
 */
const REFUSED_INPUT_SQLSTATES: Readonly<Record<string, string>> = {
  '22P02': 'a value is not valid for its type', // invalid_text_representation
  '22021': 'a string holds a character that cannot be stored', // character_not_in_repertoire
  '22P05': 'a string holds a character that cannot be stored', // untranslatable_character
  '22007': 'a date or time is malformed', // invalid_datetime_format
  '22008': 'a date or time is out of range', // datetime_field_overflow
  '22001': 'a value is too long', // string_data_right_truncation
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
      const refused = error instanceof DatabaseError ? REFUSED_INPUT_SQLSTATES[error.code ?? ''] : undefined;
      if (refused) {
        // A gap in the schemas: worth a look, not a page.
        request.log.warn({ err: error }, 'the database refused a value the schemas accepted');
        return reply.code(400).send(errorBody('invalid_input', `${refused}; the database refused it`));
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

/** Statuses and codes of the errors Fastify answers before a request reaches a route (`frameworkErrors`). */
const ROUTING_ERRORS: Readonly<Record<string, { status: number; code: string }>> = {
  FST_ERR_BAD_URL: { status: 400, code: 'invalid_url' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'uri_too_long' },
};

/**
 * Fastify's `frameworkErrors` option: a URL it cannot decode (FST_ERR_BAD_URL) or a path parameter past
 * `maxParamLength` (FST_ERR_MAX_PARAM_LENGTH) is answered here, since it never reaches the error handler.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const known = ROUTING_ERRORS[error.code];
  if (!known) {
    request.log.error({ err: error }, 'unhandled framework error');
    reply.code(500).send(errorBody('internal_error', 'internal server error'));
    return;
  }
  reply.code(known.status).send(errorBody(known.code, error.message));
}

/** The JSON error body every 4xx and 5xx response carries. */
export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}
