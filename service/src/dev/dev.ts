import { buildApp } from '../app';
import { ConfigError, isDatabaseConfigured, loadConfig } from '../config';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded-postgres';
import { Client } from 'pg';
import { applySessionDefaults } from '../db/apply-session-defaults';
import { migrateUp } from '../db/migrate';
import { databaseSessionDefaults } from '../db/session-defaults';
import { startTracing } from '../telemetry/tracing';
import { DEMO_TENANTS, seedDemoData } from './demo-data';
import { freePort } from './free-port';

/** Used only when JWT_SECRET is not set, so `npm run dev` works with no set-up. Never deploy it. */
const LOCAL_JWT_SECRET = 'local-development-only-secret-do-not-deploy';

/**
 * Runs the service locally: against DATABASE_URL when set, else against an embedded PostgreSQL
 * started here; migrates, seeds two demo tenants and prints a ready-to-paste curl for each. Traced as the
 * server is (trace ids in the logs, `traceparent` on responses), exporting only to OTEL_EXPORTER_OTLP_ENDPOINT.
 */
async function main(): Promise<void> {
  let embedded: EmbeddedDatabase | undefined;
  const overrides: Record<string, string> = {};
  if (!isDatabaseConfigured()) {
    process.stdout.write('DATABASE_URL is not set: starting an embedded PostgreSQL...\n');
    // A port of its own, so several checkouts can run side by side.
    embedded = await startEmbeddedPostgres(await freePort());
    overrides.DATABASE_URL = embedded.adminUrl;
  }
  const config = loadConfig({ defaults: { JWT_SECRET: LOCAL_JWT_SECRET }, overrides });
  await migrateUp(config.database.writer.connectionString, {
    info: () => {},
    warn: console.warn,
    error: console.error,
  });
  if (embedded) {
    // What Aurora's cluster parameter group does in AWS: the server, not the pools, sets the session defaults.
    const client = new Client({ connectionString: config.database.writer.connectionString });
    await client.connect();
    await applySessionDefaults(client, databaseSessionDefaults(config.database.statementTimeoutMs));
    await client.end();
  }

  // As server.ts does, before the app: the same spans locally as in production, so trace ids show up here too.
  const tracing = startTracing({ tracing: config.tracing });
  const app = await buildApp(config);
  await seedDemoData(app.db.writer);
  const stop = async () => {
    app.lifecycle.draining = true;
    await app.close();
    // After the app, so the spans of the last requests reach a local collector too.
    await tracing.shutdown();
    await embedded?.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  const address = await app.listen({ host: config.server.host, port: config.server.port });
  process.stdout.write(`\nService ready at ${address} (OpenAPI at ${address}/docs/json)\n`);
  if (config.auth.kind === 'secret') {
    for (const tenant of DEMO_TENANTS) {
      const token = app.jwt.sign({ tenant_id: tenant.tenantId, sub: tenant.userId }, { expiresIn: '12h' });
      process.stdout.write(
        `\n# ${tenant.userName}: list the posts of tenant "${tenant.tenantId}"\n` +
          `curl -s '${address}/v1/posts?limit=2' -H 'Authorization: Bearer ${token}'\n`,
      );
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : (error as Error).stack}\n`);
  process.exit(1);
});
