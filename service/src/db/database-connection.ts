import type { Signer, SignerConfig } from '@aws-sdk/rds-signer';
import type { ClientConfig } from 'pg';
import type { DatabaseAuthConfig } from '../config';

/** Where and as whom node-postgres connects: the fields of a ClientConfig or PoolConfig. */
export type DatabaseConnection = Pick<
  ClientConfig,
  'connectionString' | 'host' | 'port' | 'user' | 'database' | 'password'
>;

/**
 * node-postgres' connection settings for `connectionString`: the URL as it is, or, with IAM authentication, its
 * host, port, user and database with a `password` function that node-postgres calls for every new connection.
 * It mints a token for that user, host and port from the process's AWS credentials (in a pod, its service
 * account's IAM role). A token is valid for 15 minutes, long enough to connect; an open connection stays open
 * ("IAM database authentication for MariaDB, MySQL, and PostgreSQL", RDS User Guide). No password exists, so
 * none can leak or need rotating. The URL is taken apart because node-postgres lets a connection string's
 * (empty) password override a `password` given beside it.
 */
export function databaseConnection(
  connectionString: string,
  auth: DatabaseAuthConfig,
  credentials?: SignerConfig['credentials'],
): DatabaseConnection {
  if (auth.kind === 'password') return { connectionString };
  const url = new URL(connectionString);
  const host = url.hostname;
  const port = Number(url.port || 5432);
  const user = decodeURIComponent(url.username);
  if (!user) throw new Error(`IAM authentication needs a user in the database URL (${host})`);
  // Loaded on the first connection, not at start-up: the signer and its credential providers take about 75 ms
  // to load, which a process that signs in with a password never needs to pay.
  let signer: Promise<Signer> | undefined;
  const loadSigner = async () => {
    // A require, not import(): the service is CommonJS, and its test runner evaluates modules without ESM support.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Signer: RdsSigner } = require('@aws-sdk/rds-signer') as typeof import('@aws-sdk/rds-signer');
    return new RdsSigner({
      hostname: host,
      port,
      username: user,
      region: auth.region,
      ...(credentials ? { credentials } : {}),
    });
  };
  return {
    host,
    port,
    user,
    database: decodeURIComponent(url.pathname.slice(1)) || undefined,
    password: async () => {
      signer ??= loadSigner();
      return (await signer).getAuthToken();
    },
  };
}
