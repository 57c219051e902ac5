import { readFileSync } from 'node:fs';
import { rootCertificates, type ConnectionOptions } from 'node:tls';
import { ConfigError, type DatabaseTlsConfig } from '../config';
import { RDS_CERTIFICATE_AUTHORITIES } from './rds-certificate-authorities';

/**
 * node-postgres' `ssl` setting for a TLS mode, as libpq means them: `disable` plain TCP; `require` encrypted
 * without checking the certificate; `verify-full` encrypted to a server whose certificate chains to a
 * trusted CA and names the host dialled. `verify-full` trusts Node's public roots and the RDS CAs (Aurora's
 * endpoints present RDS CA certificates, RDS Proxy's public ACM ones), and the CA file when one is configured
 * (a private CA of a fork's own). Read once, at pool creation.
 */
export function pgSslOptions(tls: DatabaseTlsConfig): false | ConnectionOptions {
  if (tls.mode === 'disable') return false;
  if (tls.mode === 'require') return { rejectUnauthorized: false };
  return {
    rejectUnauthorized: true,
    // `ca` replaces Node's roots rather than adding to them: they are listed again.
    ca: [
      ...rootCertificates,
      ...RDS_CERTIFICATE_AUTHORITIES,
      ...(tls.caFile ? [readCaBundle(tls.caFile)] : []),
    ],
  };
}

function readCaBundle(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `Invalid configuration: DATABASE_CA_FILE cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}: ${file})`,
    );
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigError(`Invalid configuration: DATABASE_CA_FILE holds no PEM certificate (${file})`);
  }
  return pem;
}
