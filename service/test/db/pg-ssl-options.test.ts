import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rootCertificates } from 'node:tls';
import { ENVIRONMENT_NAMES, loadPlatformConfig } from '../../../infra/config/platform-config';
import { ConfigError, parseConfig } from '../../src/config';
import { createPool } from '../../src/db/create-pool';
import { migrateUp } from '../../src/db/migrate';
import { pgSslOptions } from '../../src/db/pg-ssl-options';
import { RDS_CERTIFICATE_AUTHORITIES } from '../../src/db/rds-certificate-authorities';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import {
  makeTestCertificates,
  startTlsPostgresProxy,
  type TestCertificates,
  type TlsPostgresProxy,
} from '../helpers/tls-postgres-proxy';
import { throughProxy } from '../helpers/tcp-proxy';

let database: TestDatabase;
let rightHost: TestCertificates;
let wrongHost: TestCertificates;
let proxy: TlsPostgresProxy;
let wrongHostProxy: TlsPostgresProxy;

beforeAll(async () => {
  database = await createTestDatabase();
  rightHost = makeTestCertificates('IP:127.0.0.1');
  wrongHost = makeTestCertificates('DNS:some-other-database.example');
  const { hostname, port } = new URL(database.url);
  proxy = await startTlsPostgresProxy(hostname, Number(port), rightHost);
  wrongHostProxy = await startTlsPostgresProxy(hostname, Number(port), wrongHost);
});

afterAll(async () => {
  await proxy.close();
  await wrongHostProxy.close();
  rightHost.remove();
  wrongHost.remove();
  await database.drop();
});

/** Runs `SELECT 1` through a pool made as the service makes its pools. */
async function selectOne(url: string, env: Record<string, string>): Promise<number> {
  const { database: settings } = parseConfig({ DATABASE_URL: url, JWT_SECRET: 's'.repeat(32), ...env });
  const pool = createPool(settings.writer, { ...settings, connectTimeoutMs: 2000 });
  try {
    const { rows } = await pool.query<{ one: number }>('SELECT 1 AS one');
    return rows[0].one;
  } finally {
    await pool.end();
  }
}

describe('pgSslOptions', () => {
  it('maps each mode to the node-postgres ssl setting libpq would use', () => {
    expect(pgSslOptions({ mode: 'disable' })).toBe(false);
    expect(pgSslOptions({ mode: 'require' })).toEqual({ rejectUnauthorized: false });
    // Node's public roots (RDS Proxy presents ACM certificates) and the RDS CAs (Aurora's endpoints), with no file.
    expect(pgSslOptions({ mode: 'verify-full' })).toEqual({
      rejectUnauthorized: true,
      ca: [...rootCertificates, ...RDS_CERTIFICATE_AUTHORITIES],
    });
    // A configured CA file is trusted besides them.
    const options = pgSslOptions({ mode: 'verify-full', caFile: rightHost.caFile });
    expect(options).toMatchObject({ rejectUnauthorized: true });
    const ca = (options as { ca: string[] }).ca;
    expect(ca.slice(0, -1)).toEqual([...rootCertificates, ...RDS_CERTIFICATE_AUTHORITIES]);
    expect(ca.at(-1)).toContain('-----BEGIN CERTIFICATE-----');
  });

  // New Aurora instances get the CA rds-ca-rsa2048-g1 unless told otherwise, one root per region ("Using SSL/TLS
  // to encrypt a connection to a DB cluster", Aurora User Guide); RDS Proxy's ACM certificates chain to Amazon
  // Root CA 1. Every region a platform config names must be covered, or verify-full fails there.
  it.each(ENVIRONMENT_NAMES)(
    'trusts the default RDS root CA of every %s region, and the RDS Proxy root',
    (envName) => {
      const config = loadPlatformConfig(envName);
      const subjects = RDS_CERTIFICATE_AUTHORITIES.map((pem) => new X509Certificate(pem).subject);
      for (const { region } of [config.primaryRegion, ...config.secondaryRegions]) {
        expect(subjects).toContainEqual(
          expect.stringContaining(`CN=Amazon RDS ${region} Root CA RSA2048 G1`),
        );
      }
      expect(subjects).toContainEqual(expect.stringContaining('CN=Amazon Root CA 1'));
    },
  );

  it('stops with a line naming DATABASE_CA_FILE when the file is missing or holds no certificate', () => {
    const notPem = path.join(tmpdir(), `not-a-certificate-${process.pid}.txt`);
    writeFileSync(notPem, 'hello');

    expect(() => pgSslOptions({ mode: 'verify-full', caFile: '/nonexistent/ca.pem' })).toThrow(ConfigError);
    expect(() => pgSslOptions({ mode: 'verify-full', caFile: '/nonexistent/ca.pem' })).toThrow(
      /DATABASE_CA_FILE cannot be read \(ENOENT/,
    );
    expect(() => pgSslOptions({ mode: 'verify-full', caFile: notPem })).toThrow(/holds no PEM certificate/);
  });
});

describe('PostgreSQL over TLS (a TLS-only front, as Aurora with rds.force_ssl)', () => {
  it('connects with verify-full to a server whose certificate chains to the CA file and names the host', async () => {
    const env = { DATABASE_SSL_MODE: 'verify-full', DATABASE_CA_FILE: rightHost.caFile };

    expect(await selectOne(throughProxy(database.url, proxy), env)).toBe(1);
  });

  it('refuses, with verify-full, a certificate issued for another host', async () => {
    const env = { DATABASE_SSL_MODE: 'verify-full', DATABASE_CA_FILE: wrongHost.caFile };

    await expect(selectOne(throughProxy(database.url, wrongHostProxy), env)).rejects.toThrow(
      /does not match certificate's altnames/,
    );
  });

  it('refuses, with verify-full, a certificate from a CA it was not given', async () => {
    const env = { DATABASE_SSL_MODE: 'verify-full', DATABASE_CA_FILE: wrongHost.caFile };

    await expect(selectOne(throughProxy(database.url, proxy), env)).rejects.toThrow(
      /self[- ]signed|unable to verify/i,
    );
  });

  it('encrypts but does not verify with require', async () => {
    expect(
      await selectOne(throughProxy(database.url, wrongHostProxy), { DATABASE_SSL_MODE: 'require' }),
    ).toBe(1);
  });

  it('cannot reach a TLS-only server without TLS (disable)', async () => {
    await expect(
      selectOne(throughProxy(database.url, proxy), { DATABASE_SSL_MODE: 'disable' }),
    ).rejects.toThrow();
  });

  it('gives a clear error, in the service and in the migration job, when verify-full meets a server without TLS', async () => {
    const env = { DATABASE_SSL_MODE: 'verify-full', DATABASE_CA_FILE: rightHost.caFile };
    const silent = { info: () => {}, warn: () => {}, error: () => {} };

    await expect(selectOne(database.url, env)).rejects.toThrow(/does not support SSL/);
    await expect(
      migrateUp(database.directUrl, silent, undefined, { mode: 'verify-full', caFile: rightHost.caFile }),
    ).rejects.toThrow(/does not support SSL/);
  });

  it('migrates over TLS with verify-full', async () => {
    const silent = { info: () => {}, warn: () => {}, error: () => {} };

    await expect(
      // As the migration Job does: as the master user, not the API's role.
      migrateUp(throughProxy(database.directUrl, proxy), silent, undefined, {
        mode: 'verify-full',
        caFile: rightHost.caFile,
      }),
    ).resolves.toEqual([]);
  });
});
