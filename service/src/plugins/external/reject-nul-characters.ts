import type { FastifyRequest, FastifySchemaValidationError, HookHandlerDoneFunction } from 'fastify';
import fp from 'fastify-plugin';

/** Where a request carries strings, named as Fastify names them in a validation error. */
type InputPart = 'params' | 'querystring' | 'body';

/** A 400 `validation_failed`, rendered by the error handler like the schema's own validation errors. */
class NulCharacterError extends Error {
  readonly statusCode = 400;
  readonly code = 'FST_ERR_VALIDATION';
  readonly validation: FastifySchemaValidationError[];

  constructor(
    readonly validationContext: InputPart,
    path: string,
  ) {
    super(`${validationContext}${path} must not contain the character U+0000`);
    this.validation = [
      {
        keyword: 'x-no-nul',
        instancePath: path,
        schemaPath: '',
        params: {},
        message: 'must not contain the character U+0000',
      },
    ];
  }
}

/**
 * Refuses U+0000 in every string (and object key) of the path parameters, query and body with a 400, on every
 * route: PostgreSQL's text types cannot store it ("the character with code zero cannot be stored", PostgreSQL
 * docs, 8.3 Character Types), and the database would answer 22021, a 500 for valid-looking input.
 */
export default fp(
  async (app) => {
    // A callback hook: nothing to wait on, and an async hook costs a promise per request.
    app.addHook(
      'preValidation',
      (request: FastifyRequest, _reply: unknown, done: HookHandlerDoneFunction) => {
        const parts: [InputPart, unknown][] = [
          ['params', request.params],
          ['querystring', request.query],
          ['body', request.body],
        ];
        for (const [part, value] of parts) {
          const path = pathToNul(value);
          if (path !== undefined) {
            done(new NulCharacterError(part, path));
            return;
          }
        }
        done();
      },
    );
  },
  { name: 'reject-nul-characters' },
);

/** The JSON pointer of the first string or key holding U+0000, or `undefined` if there is none. */
function pathToNul(value: unknown): string | undefined {
  const trail = trailToNul(value);
  return trail?.map((key) => `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/**
 * The keys leading to the first string or key holding U+0000, or `undefined`: built only when one is found, so a
 * clean request (every request but a bad one) allocates no path strings.
 */
function trailToNul(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? [] : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (key.includes('\u0000')) return [key];
    const below = trailToNul((value as Record<string, unknown>)[key]);
    if (below !== undefined) return [key, ...below];
  }
  return undefined;
}
