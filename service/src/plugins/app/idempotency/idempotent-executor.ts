import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Counter } from 'prom-client';
import type { Queryable } from '../../../db/queryable';
import { HttpError } from '../../../http-error';
import type { Databases } from '../../external/pg-pools';
import { requestFingerprint } from './request-fingerprint';

/** The response of a write, as stored for replay. */
export interface WriteResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** The header a client sets on a POST to make retries safe. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Set on a response that was replayed from an earlier request with the same key. */
export const REPLAYED_HEADER = 'idempotent-replayed';
/** How long a key is remembered: a retry later than this executes again. */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;
/** Replays of stored responses, by route. */
export const IDEMPOTENT_REPLAYS = 'idempotency_replays_total';

interface StoredKey {
  request_hash: string;
  status_code: number;
  response_headers: Record<string, string>;
  response_body: unknown;
}

/**
 * Runs POST handlers in a transaction that also records the Idempotency-Key and the response, so the same
 * key and request replay the first response instead of writing twice. A concurrent duplicate blocks on the
 * key's row until the first commits, then replays it.
 *
 * Scope: a key belongs to one user (the token's `sub`) of one tenant, so another user's request never replays
 * someone else's response, whatever key it sends (but for keys stored before that, see storedBeforeUserScope).
 * Fingerprint: method, route pattern, path parameters and body
 * (./request-fingerprint.ts); the same key with another fingerprint is 422, as the key names one intended write.
 */
export class IdempotentExecutor {
  constructor(
    private readonly db: Databases,
    private readonly replays: Counter<'route'>,
  ) {}

  /** Executes `work` once per (tenant, user, key), or replays what the first execution returned. */
  async execute(
    request: FastifyRequest,
    work: (tx: Queryable) => Promise<WriteResponse>,
  ): Promise<WriteResponse> {
    const key = request.headers[IDEMPOTENCY_KEY_HEADER];
    if (typeof key !== 'string') return this.db.transaction(request.cancellation, work);

    const route = request.routeOptions.url ?? request.url;
    const fingerprint = requestFingerprint(request.method, route, request.params, request.body);
    const { tenantId, userId } = request.principal;
    return this.db.transaction(request.cancellation, async (tx) => {
      const earlier = await storedBeforeUserScope(tx, tenantId, key);
      if (earlier) return this.replay(earlier, fingerprint, route);

      // Claims the key, or (for an expired one) takes it over; waits while another transaction holds it.
      const claimed = await tx.query(
        `INSERT INTO user_idempotency_keys (tenant_id, user_id, key, request_hash, status_code)
         VALUES ($1, $2, $3, $4, 0)
         ON CONFLICT (tenant_id, user_id, key) DO UPDATE
           SET request_hash = EXCLUDED.request_hash, status_code = 0, response_body = NULL, created_at = now()
           WHERE user_idempotency_keys.created_at < now() - make_interval(hours => $5)
         RETURNING key`,
        [tenantId, userId, key, fingerprint, IDEMPOTENCY_KEY_TTL_HOURS],
      );
      if (claimed.length === 0) {
        const [stored] = await tx.query<StoredKey>(
          `SELECT request_hash, status_code, response_headers, response_body FROM user_idempotency_keys
           WHERE tenant_id = $1 AND user_id = $2 AND key = $3`,
          [tenantId, userId, key],
        );
        return this.replay(stored, fingerprint, route);
      }

      const response = await work(tx);
      await tx.query(
        `UPDATE user_idempotency_keys SET status_code = $4, response_headers = $5, response_body = $6
         WHERE tenant_id = $1 AND user_id = $2 AND key = $3`,
        [tenantId, userId, key, response.statusCode, response.headers, JSON.stringify(response.body ?? null)],
      );
      return response;
    });
  }

  /** Executes (or replays) `work` and sends its response on `reply`. */
  async respond(
    request: FastifyRequest,
    reply: FastifyReply,
    work: (tx: Queryable) => Promise<WriteResponse>,
  ): Promise<FastifyReply> {
    const response = await this.execute(request, work);
    return reply.code(response.statusCode).headers(response.headers).send(response.body);
  }

  private replay(stored: StoredKey, fingerprint: string, route: string): WriteResponse {
    if (stored.request_hash !== fingerprint) {
      throw new HttpError(
        422,
        'idempotency_key_reused',
        'this Idempotency-Key was already used with a different request; use a new key for a new request',
      );
    }
    this.replays.inc({ route });
    return {
      statusCode: stored.status_code,
      headers: { ...stored.response_headers, [REPLAYED_HEADER]: 'true' },
      body: stored.response_body,
    };
  }
}

/**
 * The response stored for this key by a release from before keys were scoped per user (table idempotency_keys,
 * which has no user), so a retry across that deploy replays instead of writing twice; gone once they expire.
 */
async function storedBeforeUserScope(
  tx: Queryable,
  tenantId: string,
  key: string,
): Promise<StoredKey | undefined> {
  const [stored] = await tx.query<StoredKey>(
    `SELECT request_hash, status_code, response_headers, response_body FROM idempotency_keys
     WHERE tenant_id = $1 AND key = $2 AND created_at >= now() - make_interval(hours => $3)`,
    [tenantId, key, IDEMPOTENCY_KEY_TTL_HOURS],
  );
  return stored;
}

declare module 'fastify' {
  interface FastifyInstance {
    idempotency: IdempotentExecutor;
  }
}

/** Makes the idempotent executor available to POST routes. */
export default fp(
  async (app) => {
    const replays = new Counter({
      name: IDEMPOTENT_REPLAYS,
      help: 'POST requests answered by replaying the stored response of an earlier request with the same Idempotency-Key.',
      labelNames: ['route'] as const,
      registers: [app.metrics],
    });
    app.decorate('idempotency', new IdempotentExecutor(app.db, replays));
  },
  { name: 'idempotency', dependencies: ['pg-pools', 'metrics'] },
);
