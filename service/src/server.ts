import closeWithGrace from 'close-with-grace';
import { buildApp } from './app';
import { loadConfig, type ServiceConfig } from './config';
import { runEntryPoint } from './entry-point';
import { startTracing } from './telemetry/tracing';

/** Starts the service: parse configuration, start tracing, listen, and on SIGTERM/SIGINT drain, finish in-flight requests and exit. */
async function main(config: ServiceConfig): Promise<void> {
  // Before the app, so the HTTP, pg and Redis modules are instrumented before their first call.
  const tracing = startTracing({ tracing: config.tracing });
  const app = await buildApp(config);

  closeWithGrace({ delay: config.server.shutdownTimeoutMs }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an unexpected error');
    else app.log.info({ signal }, 'shutting down');
    // Fail readiness first, so the load balancer stops routing here before the listener closes.
    app.lifecycle.draining = true;
    await new Promise((resolve) => setTimeout(resolve, config.server.shutdownDrainDelayMs));
    await app.close();
    // After the app, so the spans of the last requests are exported too.
    await tracing.shutdown();
  });

  await app.listen({ host: config.server.host, port: config.server.port });
}

// Only as the entry point: the image build loads this file without starting it, to fill the compile cache.
if (require.main === module) runEntryPoint(() => loadConfig(), main, 'failed to start');
