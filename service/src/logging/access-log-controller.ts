import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { PROBE_AND_SCRAPE_PATHS } from '../telemetry/untraced-paths';

/**
 * One access-log line per request, written when its response is sent: method, URL, route, status and time.
 * Fastify's default writes two (one on arrival, one on completion), which doubles the logging cost of a
 * cached read, and its arrival line is written before the request's span exists, so it has no trace id.
 * Probes and scrapes, which arrive every few seconds, are logged only when they fail. Error lines are
 * Fastify's own.
 */
export class AccessLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (error) {
      super.requestCompleted(error, request, reply);
      return;
    }
    if (reply.statusCode < 400 && PROBE_AND_SCRAPE_PATHS.has(request.routeOptions.url ?? '')) return;
    reply.log.info(
      { req: request, route: request.routeOptions.url, res: reply, responseTime: reply.elapsedTime },
      'request completed',
    );
  }
}
