import fastifyJwt, { type VerifyOptions } from '@fastify/jwt';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction as HookDone } from 'fastify';
import fp from 'fastify-plugin';
import buildGetJwks from 'get-jwks';
import type { JwtConfig } from '../../config';
import { HttpError } from '../../http-error';
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
      const jwksUrl = new URL(jwt.jwksUrl);
      const jwks = buildGetJwks({ jwksPath: jwksUrl.pathname, max: 20, ttl: 10 * 60 * 1000 });
      await app.register(fastifyJwt, {
        decode: { complete: true },
        secret: (_request: unknown, token: unknown) => {
          const { kid, alg } = (token as { header: { kid?: string; alg: string } }).header;
          return jwks.getPublicKey({ kid, alg, domain: jwksUrl.origin });
        },
        verify,
      });
    }

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
        throw new HttpError(401, 'unauthorized', describeJwtFailure(error));
      }
      request.principal = toPrincipal(claims);
      if (header !== undefined) {
        verified.remember(header, request.principal, typeof claims.exp === 'number' ? claims.exp : undefined);
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
  { name: 'auth' },
);

function toPrincipal(claims: Record<string, unknown>): Principal {
  const { tenant_id: tenantId, sub: userId } = claims;
  if (typeof tenantId !== 'string' || !TENANT_ID_PATTERN.test(tenantId)) {
    throw new HttpError(401, 'unauthorized', 'token has no valid tenant_id claim');
  }
  if (typeof userId !== 'string' || !UUID_PATTERN.test(userId)) {
    throw new HttpError(401, 'unauthorized', 'token has no valid sub claim');
  }
  return { tenantId, userId };
}

function describeJwtFailure(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'FST_JWT_NO_AUTHORIZATION_IN_HEADER') return 'missing bearer token';
  if (code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED') return 'token expired';
  return 'invalid token';
}
