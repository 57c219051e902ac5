import { constants as zlib } from 'node:zlib';
import fastifyCompress from '@fastify/compress';
import fastifyEtag from '@fastify/etag';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** Bodies smaller than this are sent as they are: compressing them costs more CPU than it saves bytes. */
export const COMPRESSION_THRESHOLD_BYTES = 1024;

/**
 * Conditional requests and compression for every response: a strong ETag (so `If-None-Match` gets a 304
 * with no body), `Cache-Control` that keeps authenticated data out of shared caches, and Brotli or gzip
 * above 1 KiB.
 */
export default fp(
  async (app) => {
    // Registered before compression, so the ETag is computed on the identity body.
    await app.register(fastifyEtag);
    await app.register(fastifyCompress, {
      threshold: COMPRESSION_THRESHOLD_BYTES,
      encodings: ['br', 'gzip'],
      // Quality 4 gets most of Brotli's gain at a fraction of the CPU of the default 11.
      brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
    });

    app.addHook('onSend', (request, reply, payload, done) => {
      if (!reply.hasHeader('cache-control')) setCacheControl(request, reply);
      done(null, payload);
    });
  },
  { name: 'http-caching' },
);

/** `private, no-cache` with `Vary: Authorization` on successful authenticated reads, `no-store` on the rest. */
function setCacheControl(request: FastifyRequest, reply: FastifyReply): void {
  const cacheable = (request.method === 'GET' || request.method === 'HEAD') && reply.statusCode < 300;
  if (cacheable && request.headers.authorization) {
    // Per-user data: browsers may keep it but must revalidate (a cheap 304), shared caches never store it.
    reply.header('cache-control', 'private, no-cache');
    reply.header('vary', 'Authorization');
  } else {
    reply.header('cache-control', 'no-store');
  }
}
