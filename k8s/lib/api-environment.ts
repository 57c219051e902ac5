// The service's non-secret environment in a pod, derived from the platform configuration.
import type { PlatformConfig, RegionConfig } from '../../infra/config/platform-config';
import { databaseTlsEnvironment } from './database-ca-bundle';
import { maxOldSpaceSizeMb } from './workload-sizing';

/** Names of the variables that carry credentials: they come from the ExternalSecret, never from here. */
export const SECRET_ENVIRONMENT_KEYS = ['DATABASE_URL', 'DATABASE_READER_URL', 'REDIS_URL'] as const;

/** Returns the ConfigMap data of the API in one region: every value a plain string, none of them secret. */
export function apiEnvironment(config: PlatformConfig, region: RegionConfig): Record<string, string> {
  const { workload } = config;
  return {
    PORT: String(workload.containerPort),
    // The default 127.0.0.1 is unreachable from the kubelet and the load balancer.
    HOST: '0.0.0.0',
    LOG_LEVEL: 'info',
    DATABASE_WRITE_FORWARDING: writeForwardingMode(config, region),
    // Aurora refuses plain connections (rds.force_ssl); verify-full also checks it is our cluster.
    ...databaseTlsEnvironment(),
    JWT_JWKS_URL: workload.auth.jwksUrl,
    JWT_ISSUER: workload.auth.issuer,
    // Tokens are minted for the name clients call.
    JWT_AUDIENCE: config.domain.apiDomainName,
    BODY_LIMIT_BYTES: String(config.edge.maxRequestBodyBytes),
    REQUEST_TIMEOUT_MS: String(workload.requestTimeoutMs),
    SHUTDOWN_DRAIN_DELAY_MS: String(workload.shutdownDrainDelayMs),
    SHUTDOWN_TIMEOUT_MS: String(workload.shutdownTimeoutMs),
    NODE_OPTIONS: `--max-old-space-size=${maxOldSpaceSizeMb(workload.resources.memoryLimit)}`,
  };
}

/** Secondary regions write through the local Aurora cluster; `session` keeps read-your-writes per connection. */
export function writeForwardingMode(config: PlatformConfig, region: RegionConfig): 'off' | 'session' {
  return region.region === config.primaryRegion.region ? 'off' : 'session';
}
