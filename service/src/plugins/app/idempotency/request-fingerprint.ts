import { createHash } from 'node:crypto';

/**
 * A hash of what a request asks for (method, route pattern, path parameters, body), independent of JSON key
 * order and spacing, so a retry of the same request matches and a reuse of the key for another body, route or
 * resource (`/users/1/posts` vs `/users/2/posts`) does not.
 */
export function requestFingerprint(method: string, route: string, params: unknown, body: unknown): string {
  // Without parameters the text is the one hashed before they were included, so keys already stored for
  // parameterless routes still match their retries across the deploy that added them.
  const hasParams = params !== null && typeof params === 'object' && Object.keys(params).length > 0;
  const target = hasParams ? `${method} ${route} ${canonicalJson(params)}` : `${method} ${route}`;
  return createHash('sha256')
    .update(`${target}\n${canonicalJson(body)}`)
    .digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
