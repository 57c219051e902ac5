import { HttpError } from '../../../http-error';

/** The position after which the next page starts: the last row's sort key. */
export interface PostCursor {
  readonly createdAt: string;
  readonly id: string;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Encodes a cursor as an opaque URL-safe string. */
export function encodePostCursor(cursor: PostCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

/** Decodes a cursor from a client; anything it did not get from us is a 400 `invalid_cursor`. */
export function decodePostCursor(encoded: string): PostCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalidCursor();
  const [createdAt, id] = parsed as unknown[];
  if (typeof createdAt !== 'string' || !isRealTimestamp(createdAt)) throw invalidCursor();
  if (typeof id !== 'string' || !UUID.test(id)) throw invalidCursor();
  return { createdAt, id };
}

/**
 * Whether the timestamp names an instant PostgreSQL accepts: `Date.parse` takes 30 February or hour 24 and
 * rolls them over, where PostgreSQL refuses them (22008), so the date must print back as it was written.
 * Year 0 does not exist in PostgreSQL, whose calendar goes from 1 BC to 1 AD (PostgreSQL docs, B.6 History of
 * Units); it would be `0001-01-01 BC`.
 */
function isRealTimestamp(createdAt: string): boolean {
  if (!TIMESTAMP.test(createdAt) || createdAt.startsWith('0000')) return false;
  const parsed = new Date(createdAt);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 19) === createdAt.slice(0, 19);
}

function invalidCursor(): HttpError {
  return new HttpError(400, 'invalid_cursor', 'cursor is not one this API returned; start again without it');
}
