// The outbox relay's non-secret environment in a pod, derived from the platform configuration.
import { API_WORKLOAD } from '../../dashboards/slo/api-workload';
import type { PlatformConfig, RegionConfig } from '../../infra/config/platform-config';
import { workloadDatabaseEnvironment } from './database-environment';
import { maxOldSpaceSizeMb } from './workload-sizing';

/**
 * The variables the relay reads from the API's Secret, by the key they are under: the writer URL as the relay's
 * own database role (it publishes to SQS, not Redis).
 */
export const RELAY_SECRET_ENVIRONMENT = { DATABASE_URL: 'RELAY_DATABASE_URL' } as const;

/**
 * Returns the ConfigMap data of the relay in one region: every value a plain string, none of them secret.
 * @param queueUrl URL of the region's event queue, which the relay publishes to
 */
export function relayEnvironment(
  config: PlatformConfig,
  region: RegionConfig,
  queueUrl: string,
): Record<string, string> {
  const { outboxRelay } = config;
  return {
    // The kubelet and Prometheus reach the listener from outside the pod.
    HOST: '0.0.0.0',
    RELAY_PORT: String(outboxRelay.healthPort),
    LOG_LEVEL: 'info',
    DATABASE_STATEMENT_TIMEOUT_MS: String(config.database.statementTimeoutMs),
    // The same verify-full TLS to Aurora as the API, signing in as its own role with IAM tokens.
    ...workloadDatabaseEnvironment(region),
    // A batch holds one connection; the readiness check and the lag gauge need one each besides.
    DATABASE_WRITER_POOL_MAX: '3',
    NODE_OPTIONS: `--max-old-space-size=${maxOldSpaceSizeMb(outboxRelay.resources.memoryLimit)}`,
    // Its spans apart from the API's (exported, like the API's, only once a collector is configured).
    OTEL_SERVICE_NAME: API_WORKLOAD.relayName,
    // The region's queue, signed for its region (AWS_REGION) with the credentials of the relay's IRSA role.
    OUTBOX_SINK: 'sqs',
    OUTBOX_SQS_QUEUE_URL: queueUrl,
  };
}
