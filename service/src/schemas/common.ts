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

/** A path with one resource id. */
export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

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
  400: Type.Ref(ErrorResponse),
  401: Type.Ref(ErrorResponse),
  503: Type.Ref(ErrorResponse),
};
