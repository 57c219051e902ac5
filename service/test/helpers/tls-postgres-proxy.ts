import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TLSSocket } from 'node:tls';

/** A certificate authority and a server certificate it signed, made for one test run. */
export interface TestCertificates {
  /** PEM of the CA, as a file path (what DATABASE_CA_FILE names). */
  readonly caFile: string;
  readonly key: string;
  readonly cert: string;
  remove(): void;
}

/** Makes a CA and a server certificate signed by it for `subjectAltName` (`IP:127.0.0.1`), with openssl. */
export function makeTestCertificates(subjectAltName: string): TestCertificates {
  const dir = mkdtempSync(path.join(tmpdir(), 'pg-tls-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  writeFileSync(file('server.ext'), `subjectAltName=${subjectAltName}\n`);
  const newKey = ['-newkey', 'rsa:2048', '-nodes'];
  openssl([
    'req',
    '-x509',
    ...newKey,
    '-days',
    '1',
    '-subj',
    '/CN=test-ca',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
  ]);
  openssl([
    'req',
    ...newKey,
    '-subj',
    '/CN=database',
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
  ]);
  openssl([
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    file('server.ext'),
    '-out',
    file('server.pem'),
  ]);
  return {
    caFile: file('ca.pem'),
    key: readFileSync(file('server.key'), 'utf8'),
    cert: readFileSync(file('server.pem'), 'utf8'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A PostgreSQL front that speaks TLS (as Aurora with `rds.force_ssl` does) to a plain local server. */
export interface TlsPostgresProxy {
  readonly port: number;
  close(): Promise<void>;
}

/** PostgreSQL's SSLRequest message: length 8, then the code 80877103. */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/**
 * Answers a client's SSLRequest with "S", terminates TLS with `certificates`, and forwards the decrypted
 * protocol to `targetHost:targetPort`. A client that does not ask for TLS is refused, as with force_ssl.
 */
export async function startTlsPostgresProxy(
  targetHost: string,
  targetPort: number,
  certificates: Pick<TestCertificates, 'key' | 'cert'>,
): Promise<TlsPostgresProxy> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    client.once('readable', () => {
      const first = client.read(8) as Buffer | null;
      if (!first || !first.equals(SSL_REQUEST)) {
        client.destroy();
        return;
      }
      client.write('S');
      const secure = new TLSSocket(client, {
        isServer: true,
        key: certificates.key,
        cert: certificates.cert,
      });
      secure.on('error', () => client.destroy());
      const upstream = connect(targetPort, targetHost);
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
      secure.pipe(upstream).pipe(secure);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
