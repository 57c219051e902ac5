import { LRUCache } from 'lru-cache';

/** Settings of a VerifiedTokenCache. */
export interface VerifiedTokenCacheOptions {
  /** Most tokens remembered; the least recently used go first. */
  readonly maxEntries: number;
  /** Longest a token is remembered, whatever its `exp`: bounds how long a revoked signing key still works. */
  readonly maxAgeMs: number;
}

/**
 * What verifying a bearer token produced, remembered per process by the exact `Authorization` header, so a
 * client sending the same token on every request costs one map lookup instead of a decode, a hash and a
 * signature check. An entry never outlives the token's `exp`; failures are never remembered.
 */
export class VerifiedTokenCache<T extends object> {
  private readonly entries: LRUCache<string, T>;

  constructor(private readonly options: VerifiedTokenCacheOptions) {
    this.entries = new LRUCache<string, T>({ max: options.maxEntries, ttl: options.maxAgeMs });
  }

  /** What `header` verified to, if it was verified less than `maxAgeMs` ago and has not expired since. */
  get(header: string): T | undefined {
    return this.entries.get(header);
  }

  /** Remembers a verified header until `expiresAtSeconds` (the token's `exp`), or `maxAgeMs` if sooner. */
  remember(header: string, verified: T, expiresAtSeconds?: number): void {
    const untilExpiryMs = expiresAtSeconds === undefined ? Infinity : expiresAtSeconds * 1000 - Date.now();
    const ttl = Math.min(this.options.maxAgeMs, untilExpiryMs);
    if (ttl > 0) this.entries.set(header, verified, { ttl });
  }
}
