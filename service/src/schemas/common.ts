import { Type } from '@sinclair/typebox';

/** The body of every 4xx and 5xx response. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable error code.' }),
      message: Type.String({ description: 'Human-readable explanation.' }),
      details: Type.Optional(
        Type.Array(
          Type.Object({
            location: Type.Optional(Type.String()),
            path: Type.String(),
            message: Type.Optional(Type.String()),
          }),
        ),
      ),
    }),
  },
  { $id: 'ErrorResponse', title: 'ErrorResponse' },
);

/**
 * Lower-cases, during validation, a string whose schema says `'x-lowercase': true`, so that one id is one
 * string: one cache key, one comparison. An Ajv keyword with `modifying: true` may rewrite the value it
 * validates through `parentData` (ajv.js.org/keywords.html, "Define keyword with validation function").
 */
export const LOWERCASE_KEYWORD = {
  keyword: 'x-lowercase',
  schemaType: 'boolean',
  modifying: true,
  errors: false,
  validate: (
    lowercase: boolean,
    data: unknown,
    _parentSchema?: unknown,
    context?: { parentData: Record<string | number, unknown>; parentDataProperty: string | number },
  ): boolean => {
    if (lowercase && typeof data === 'string' && context?.parentData) {
      context.parentData[context.parentDataProperty] = data.toLowerCase();
    }
    return true;
  },
} as const;

/**
 * A UUID as PostgreSQL prints one (8-4-4-4-12 hex digits), in any case, answered lower-cased. Not the `uuid`
 * format: Ajv's also accepts a `urn:uuid:` prefix, which PostgreSQL's uuid input refuses with a 22P02 error.
 */
export const Uuid = (options: { description?: string } = {}) =>
  Type.String({
    pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
    'x-lowercase': true,
    ...options,
  });

/** A path with one resource id. */
export const IdParams = Type.Object({ id: Uuid() }, { additionalProperties: false });

/** Read requests may ask to read their own writes from the writer instead of a replica. */
export const ReadHeaders = Type.Object({
  consistency: Type.Optional(
    Type.Union([Type.Literal('strong'), Type.Literal('eventual')], {
      description: '`strong` reads from the writer (read-your-writes); the default reads from a replica.',
    }),
  ),
});

/** POSTs may carry an Idempotency-Key so that a retry replays the first response instead of writing again. */
export const WriteHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      pattern: '^[\\x21-\\x7E]+$',
      description:
        'Unique per intended write (a UUID is a good choice); remembered for 24 hours per user of a tenant.',
    }),
  ),
});

/** Timestamps are RFC 3339 in UTC with microseconds, as PostgreSQL stores them. */
export const Timestamp = Type.String({ format: 'date-time' });

/** The error responses every authenticated route can return. */
export const authenticatedErrors = {
  400: Type.Ref(ErrorResponse, {
    description:
      'A parameter or the body fails its schema (`validation_failed`, also for any string holding U+0000), ' +
      'a cursor this API did not return (`invalid_cursor`), or a value the database refuses (`invalid_input`).',
  }),
  401: Type.Ref(ErrorResponse),
  503: Type.Ref(ErrorResponse),
};
