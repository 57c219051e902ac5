import { createPublicKey, type JsonWebKey } from 'node:crypto';
import buildGetJwks, { type GetJwks, type JWK } from 'get-jwks';

/** How long a fetched key set is used before it is fetched again. */
const KEY_SET_TTL_MS = 10 * 60 * 1000;
/** Keys remembered (per `kid` and `alg`); an identity provider publishes two or three at a time. */
const MAX_KEYS = 20;
/**
 * What get-jwks 11 (src/error.js) names a `kid` absent from a key set it fetched and parsed: the token's fault.
 * Every other failure of `getJwk` is the key set's: a `GetJwksError` with `JWKS_REQUEST_FAILED` (non-2xx) or
 * `NO_JWKS` (no `keys`), or whatever `fetch` or `response.json()` threw, uncoded (src/get-jwks.js, retrieveJwk).
 */
const KEY_NOT_FOUND = 'JWK_NOT_FOUND';

/** Options of {@link JwksSigningKeys}. */
export interface JwksSigningKeysOptions {
  /** The issuer's JWKS URL. */
  readonly jwksUrl: string;
  /** Bound on getting a key, fetch included; past it the key set counts as unavailable. */
  readonly fetchTimeoutMs: number;
}

/** The issuer's signing keys could not be obtained (fetch failed, timed out, or the key set is unusable). */
export class SigningKeysUnavailableError extends Error {
  override readonly name = 'SigningKeysUnavailableError';
}

/** Thrown when the token names a key that the issuer's freshly fetched, valid key set does not hold. */
export class UnknownSigningKeyError extends Error {
  override readonly name = 'UnknownSigningKeyError';
}

/**
 * The public keys of an OIDC issuer, fetched from its JWKS URL by get-jwks and cached, telling apart a token
 * that names an unknown key ({@link UnknownSigningKeyError}) from a key set that could not be obtained
 * ({@link SigningKeysUnavailableError}).
 */
export class JwksSigningKeys {
  private readonly jwks: GetJwks;
  private readonly domain: string;

  constructor(private readonly options: JwksSigningKeysOptions) {
    const url = new URL(options.jwksUrl);
    // get-jwks fetches `domain + jwksPath` and keys its cache by the domain with a trailing slash.
    this.domain = `${url.origin}/`;
    this.jwks = buildGetJwks({ jwksPath: url.pathname, max: MAX_KEYS, ttl: KEY_SET_TTL_MS });
  }

  /** The PEM public key for a token's `kid` and `alg`. */
  async publicKey(kid: string | undefined, alg: string): Promise<string> {
    const cacheKey = this.jwks.generateCacheKey(alg, kid as string, this.domain);
    // Concurrent callers of one key share one fetch: this promise is the one get-jwks caches.
    const pending = this.jwks.getJwk({ kid: kid as string, alg, domain: this.domain });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no key set within ${this.options.fetchTimeoutMs} ms`)),
        this.options.fetchTimeoutMs,
      );
    });
    let jwk: JWK;
    try {
      jwk = await Promise.race([pending, deadline]);
    } catch (error) {
      // get-jwks passes `timeout: 5000` to fetch, which Node's fetch ignores (RequestInit has no such member; a
      // test shows it): a JWKS that never answers would hold this cache entry for minutes. Drop it, to refetch.
      if (this.jwks.cache.get(cacheKey) === (pending as unknown)) this.jwks.cache.delete(cacheKey);
      // get-jwks moves a failed lookup into its stale cache and answers the next failure of that key with it
      // (src/get-jwks.js, getJwk's catch, through the cache's dispose): drop it, so each fetch is judged alone.
      this.jwks.staleCache.delete(cacheKey);
      if ((error as { code?: unknown }).code === KEY_NOT_FOUND) {
        throw new UnknownSigningKeyError(`the key set has no key ${JSON.stringify(kid)} for ${alg}`);
      }
      throw new SigningKeysUnavailableError(describeFailure(error), { cause: error });
    } finally {
      clearTimeout(timer);
    }
    try {
      return createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' })
        .export({ type: 'spki', format: 'pem' })
        .toString();
    } catch (error) {
      throw new SigningKeysUnavailableError(
        `unusable key ${JSON.stringify(kid)}: ${describeFailure(error)}`,
        {
          cause: error,
        },
      );
    }
  }
}

/** One line saying why the key set could not be had: the status, or the network error's own cause. */
function describeFailure(error: unknown): string {
  const { message, cause, response } = error as {
    message?: string;
    cause?: { message?: string };
    response?: { status?: number };
  };
  if (response?.status !== undefined) return `${message} (HTTP ${response.status})`;
  if (cause?.message) return `${message}: ${cause.message}`;
  return String(message ?? error);
}
