import { HttpError } from '../../../http-error';
import { POST_FIELDS, type PostField } from '../../../schemas/posts';

/** Parses `fields=a,b` into the set of post fields to return; `id` is always included. Unknown names are a 400. */
export function parsePostFields(fields: string | undefined): ReadonlySet<PostField> {
  if (fields === undefined) return new Set(POST_FIELDS);
  const requested = fields.split(',');
  const unknown = requested.filter((name) => !(POST_FIELDS as string[]).includes(name));
  if (unknown.length > 0) {
    throw new HttpError(
      400,
      'invalid_fields',
      `unknown field(s) ${unknown.join(', ')}; choose among ${POST_FIELDS.join(', ')}`,
    );
  }
  return new Set(['id', ...requested] as PostField[]);
}
