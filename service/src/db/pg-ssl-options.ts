import { readFileSync } from 'node:fs';
import { rootCertificates, type ConnectionOptions } from 'node:tls';
import { ConfigError, type DatabaseTlsConfig } from '../config';

/**
 * node-postgres' `ssl` setting for a TLS mode, as libpq means them: `disable` plain TCP; `require` encrypted
 * without checking the certificate; `verify-full` encrypted to a server whose certificate chains to a
 * trusted CA and names the host dialled. The CA file is trusted besides Node's public roots: Aurora's
 * endpoints present RDS CA certificates, RDS Proxy's present public (ACM) ones. Read once, at pool creation.
 */
export function pgSslOptions(tls: DatabaseTlsConfig): false | ConnectionOptions {
  if (tls.mode === 'disable') return false;
  if (tls.mode === 'require') return { rejectUnauthorized: false };
  return {
    rejectUnauthorized: true,
    ...(tls.caFile ? { ca: [...rootCertificates, readCaBundle(tls.caFile)] } : {}),
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
