// The service's non-secret environment in a pod, derived from the platform configuration.
import type { PlatformConfig, RegionConfig } from '../../infra/config/platform-config';
import { workloadDatabaseEnvironment } from './database-environment';
import { maxOldSpaceSizeMb } from './workload-sizing';

/**
 * Proxies between a client and the pods that append to X-Forwarded-For: CloudFront appends the viewer's address
 * ("Request and response behavior for custom origins", CloudFront Developer Guide), then the load balancer
 * appends CloudFront's (its `append` mode, set in infra/lib/regional-ingress.ts). The ALB admits CloudFront only.
 */
export const EDGE_PROXY_HOPS = 2;

/** Names of the variables that carry credentials: they come from the ExternalSecret, never from here. */
export const SECRET_ENVIRONMENT_KEYS = [
  'DATABASE_URL',
  'DATABASE_READER_URL',
  'RELAY_DATABASE_URL',
  'REDIS_URL',
] as const;

/**
 * Returns the ConfigMap data of the API in one region: every value a plain string, none of them secret. Which
 * region writes is Aurora's state, not the pods' configuration: only the region's own name differs.
 */
export function apiEnvironment(config: PlatformConfig, region: RegionConfig): Record<string, string> {
  const { workload } = config;
  return {
    PORT: String(workload.containerPort),
    // The default 127.0.0.1 is unreachable from the kubelet and the load balancer.
    HOST: '0.0.0.0',
    TRUST_PROXY_HOPS: String(EDGE_PROXY_HOPS),
    LOG_LEVEL: 'info',
    // The server sets statement_timeout (the cluster parameter group); the pools give up one second after it.
    DATABASE_STATEMENT_TIMEOUT_MS: String(config.database.statementTimeoutMs),
    // Aurora refuses plain connections (rds.force_ssl); verify-full also checks it is our cluster. The API signs
    // in as its own role with IAM tokens for its region.
    ...workloadDatabaseEnvironment(region),
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
