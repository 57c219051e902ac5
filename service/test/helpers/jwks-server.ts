import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the JWKS endpoint answers: as an identity provider that works, or in one of the ways one fails. */
export type JwksBehaviour = 'ok' | 'error-500' | 'hang' | 'invalid-json' | 'no-keys';

/** A signing key the server can publish, with its private half to sign tokens. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** A new RSA key pair named `kid`. */
export function rsaSigningKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

/** A JWKS endpoint on 127.0.0.1 that a test can make fail, counting the requests it gets. */
export class JwksServer {
  /** What the next request gets. */
  behaviour: JwksBehaviour = 'ok';
  /** The keys published while `behaviour` is `ok`. */
  published: SigningKey[];
  requests = 0;
  private readonly server: Server;

  private constructor(
    keys: SigningKey[],
    readonly url: string,
    server: Server,
  ) {
    this.published = keys;
    this.server = server;
  }

  /** Starts a server publishing `keys` at `/pool-1/.well-known/jwks.json`. */
  static async start(keys: SigningKey[]): Promise<JwksServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const jwks = new JwksServer(keys, `http://127.0.0.1:${port}/pool-1/.well-known/jwks.json`, server);
    server.on('request', (_request, response) => {
      jwks.requests++;
      if (jwks.behaviour === 'hang') return;
      response.setHeader('content-type', 'application/json');
      if (jwks.behaviour === 'error-500') {
        response.statusCode = 500;
        response.end(JSON.stringify({ message: 'internal error' }));
      } else if (jwks.behaviour === 'invalid-json') {
        response.end('{"keys": [');
      } else if (jwks.behaviour === 'no-keys') {
        response.end(JSON.stringify({ keys: [] }));
      } else {
        const keys = jwks.published.map(({ kid, publicKey }) => ({
          ...publicKey.export({ format: 'jwk' }),
          kid,
          alg: 'RS256',
          use: 'sig',
        }));
        response.end(JSON.stringify({ keys }));
      }
    });
    return jwks;
  }

  /** Stops the server, cutting any request left hanging. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** A JWKS URL on 127.0.0.1 where nothing listens: connections are refused. */
export async function refusingJwksUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/.well-known/jwks.json`;
}
