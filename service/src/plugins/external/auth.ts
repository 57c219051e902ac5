import fastifyJwt, { type VerifyOptions } from '@fastify/jwt';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction as HookDone } from 'fastify';
import fp from 'fastify-plugin';
import { Counter } from 'prom-client';
import type { JwtConfig } from '../../config';
import { HttpError } from '../../http-error';
import { JwksSigningKeys, SigningKeysUnavailableError, UnknownSigningKeyError } from './jwks-signing-keys';
import { AUTH_TOKEN_VERIFICATIONS } from './metrics';
import { VerifiedTokenCache } from './verified-token-cache';

/** Who is calling: the tenant every query is scoped to, and the acting user. */
export interface Principal {
  readonly tenantId: string;
  readonly userId: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** An `onRequest` hook that verifies the bearer token and sets `request.principal`. */
    authenticate: (request: FastifyRequest, reply: FastifyReply, done: HookDone) => void;
  }
  interface FastifyRequest {
    principal: Principal;
  }
}

/** Tenant ids as stored in the database (see the users table's CHECK constraint). */
const TENANT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * Verified tokens remembered per process: a client sends the same token on every request, and re-checking
 * its signature was the hot path's largest avoidable cost (docs/benchmarks.md).
 */
const VERIFIED_TOKEN_CACHE_SIZE = 10_000;
/** Bounds how long a token stays accepted after its signing key leaves the JWKS. */
const VERIFIED_TOKEN_CACHE_TTL_MS = 60_000;
/** The next request fetches the key set again, so a client may retry soon, as after a database outage. */
const IDENTITY_PROVIDER_RETRY_AFTER_SECONDS = 1;

/** How a token verification ended: the `outcome` label of {@link AUTH_TOKEN_VERIFICATIONS}. */
export type VerificationOutcome =
  | 'accepted'
  | 'missing'
  | 'expired'
  | 'invalid'
  | 'unknown_key'
  | 'invalid_claims'
  | 'identity_provider_unavailable';

/** Options of the auth plugin. */
export interface AuthOptions {
  /** How tokens are verified. */
  readonly jwt: JwtConfig;
}

/** Verifies bearer JWTs (HS256 with a shared secret, or RS256/ES256 from a JWKS) and extracts the principal. */
export default fp<AuthOptions>(
  async (app, { jwt }) => {
    // Pinning the algorithms rejects `alg: none` and HS256 tokens signed with a public key.
    const verify: Partial<VerifyOptions> = {
      algorithms: jwt.kind === 'secret' ? ['HS256'] : ['RS256', 'ES256'],
      ...(jwt.issuer ? { allowedIss: jwt.issuer } : {}),
      ...(jwt.audience ? { allowedAud: jwt.audience } : {}),
    };
    if (jwt.kind === 'secret') {
      await app.register(fastifyJwt, { secret: jwt.secret, verify });
    } else {
      const keys = new JwksSigningKeys({ jwksUrl: jwt.jwksUrl, fetchTimeoutMs: jwt.fetchTimeoutMs });
      await app.register(fastifyJwt, {
        decode: { complete: true },
        // @fastify/jwt 10 hands a rejection of this callback to `jwtVerify` as it is (index.js, requestVerify's
        // getSecret step), so the error classes of JwksSigningKeys reach the catch below.
        secret: (_request: unknown, token: unknown) => {
          const { kid, alg } = (token as { header: { kid?: string; alg: string } }).header;
          return keys.publicKey(kid, alg);
        },
        verify,
      });
    }
    const verifications = new Counter({
      name: AUTH_TOKEN_VERIFICATIONS,
      help: 'Bearer token verifications (tokens not already verified) by outcome; identity_provider_unavailable: 503.',
      labelNames: ['outcome'] as const,
      registers: [app.metrics],
    });
    const count = (outcome: VerificationOutcome) => verifications.inc({ outcome });

    const verified = new VerifiedTokenCache<Principal>({
      maxEntries: VERIFIED_TOKEN_CACHE_SIZE,
      maxAgeMs: VERIFIED_TOKEN_CACHE_TTL_MS,
    });
    app.decorateRequest('principal', undefined as unknown as Principal);
    const verifyAndRemember = async (request: FastifyRequest, header: string | undefined): Promise<void> => {
      let claims: Record<string, unknown>;
      try {
        claims = await request.jwtVerify<Record<string, unknown>>();
      } catch (error) {
        // Not the token's fault: a 401 here would count as a good request and hide the outage from the SLO.
        if (error instanceof SigningKeysUnavailableError) {
          count('identity_provider_unavailable');
          request.log.warn(
            { jwksUrl: jwt.kind === 'jwks' ? jwt.jwksUrl : undefined, cause: error.message },
            'could not get the token signing keys from the identity provider',
          );
          throw new HttpError(
            503,
            'identity_provider_unavailable',
            'the identity provider is unavailable, retry shortly',
            { 'retry-after': String(IDENTITY_PROVIDER_RETRY_AFTER_SECONDS) },
          );
        }
        const rejection = describeJwtFailure(error);
        count(rejection.outcome);
        throw new HttpError(401, 'unauthorized', rejection.message);
      }
      try {
        checkLifetime(claims, jwt.maxTokenLifetimeS);
        request.principal = toPrincipal(claims);
      } catch (error) {
        count('invalid_claims');
        throw error;
      }
      count('accepted');
      if (header !== undefined) {
        verified.remember(header, request.principal, claims.exp as number);
      }
    };
    // A callback hook: a token seen before is accepted without a promise, the common case of every request.
    app.decorate('authenticate', (request: FastifyRequest, _reply: FastifyReply, done: HookDone) => {
      const header = request.headers.authorization;
      const known = header === undefined ? undefined : verified.get(header);
      if (known) {
        request.principal = known;
        done();
        return;
      }
      verifyAndRemember(request, header).then(() => done(), done);
    });
  },
  { name: 'auth', dependencies: ['metrics'] },
);

/**
 * Refuses a token that never expires or lives longer than `maxLifetimeS`: a leaked one would stay usable for that
 * long. Counted from the earlier of `iat` and now, so a future `iat` cannot stretch how long the token is accepted.
 */
function checkLifetime(claims: Record<string, unknown>, maxLifetimeS: number): void {
  const { exp, iat } = claims;
  if (typeof exp !== 'number') throw new HttpError(401, 'unauthorized', 'token has no exp claim');
  const now = Math.floor(Date.now() / 1000);
  const issuedAt = typeof iat === 'number' ? Math.min(iat, now) : now;
  if (exp - issuedAt > maxLifetimeS) {
    throw new HttpError(401, 'unauthorized', `token lifetime exceeds ${maxLifetimeS} seconds`);
  }
}

function toPrincipal(claims: Record<string, unknown>): Principal {
  const { tenant_id: tenantId, sub: userId } = claims;
  if (typeof tenantId !== 'string' || !TENANT_ID_PATTERN.test(tenantId)) {
    throw new HttpError(401, 'unauthorized', 'token has no valid tenant_id claim');
  }
  if (typeof userId !== 'string' || !UUID_PATTERN.test(userId)) {
    throw new HttpError(401, 'unauthorized', 'token has no valid sub claim');
  }
  // Lower-cased like the ids of paths (schemas/common.ts `Uuid`), so that "my own user" compares equal.
  return { tenantId, userId: userId.toLowerCase() };
}

/** Why a token was refused (401), for the client and for the metric. */
function describeJwtFailure(error: unknown): { outcome: VerificationOutcome; message: string } {
  if (error instanceof UnknownSigningKeyError) {
    return { outcome: 'unknown_key', message: 'unknown signing key' };
  }
  switch ((error as { code?: string }).code) {
    case 'FST_JWT_NO_AUTHORIZATION_IN_HEADER':
      return { outcome: 'missing', message: 'missing bearer token' };
    case 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED':
      return { outcome: 'expired', message: 'token expired' };
    default:
      return { outcome: 'invalid', message: 'invalid token' };
  }
}
