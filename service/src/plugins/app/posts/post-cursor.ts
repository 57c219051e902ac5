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
  if (typeof createdAt !== 'string' || !TIMESTAMP.test(createdAt) || Number.isNaN(Date.parse(createdAt))) {
    throw invalidCursor();
  }
  if (typeof id !== 'string' || !UUID.test(id)) throw invalidCursor();
  return { createdAt, id };
}

function invalidCursor(): HttpError {
  return new HttpError(400, 'invalid_cursor', 'cursor is not one this API returned; start again without it');
}
