import { createHmac, sign, type KeyObject } from 'node:crypto';

/** The HS256 secret the test apps are configured with. */
export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-characters';

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Claims with a one-hour expiry unless overridden. */
export function claims(
  tenantId: string,
  userId: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { tenant_id: tenantId, sub: userId, iat: now, exp: now + 3600, ...extra };
}

/** Signs claims as an HS256 JWT, written out by hand so tests do not trust the library under test. */
export function signHs256(payload: Record<string, unknown>, secret = TEST_JWT_SECRET): string {
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** An unsigned token (`alg: none`), which must always be rejected. */
export function unsignedToken(payload: Record<string, unknown>): string {
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(payload)}.`;
}

/** Signs claims with an RSA private key as RS256, naming the key id a JWKS publishes. */
export function signRs256(payload: Record<string, unknown>, privateKey: KeyObject, kid: string): string {
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT', kid })}.${encode(payload)}`;
  return `${unsigned}.${sign('sha256', Buffer.from(unsigned), privateKey).toString('base64url')}`;
}

/** The Authorization header for a token. */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
