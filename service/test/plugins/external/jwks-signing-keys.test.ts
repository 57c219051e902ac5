import buildGetJwks from 'get-jwks';
import {
  JwksSigningKeys,
  SigningKeysUnavailableError,
  UnknownSigningKeyError,
} from '../../../src/plugins/external/jwks-signing-keys';
import { JwksServer, refusingJwksUrl, rsaSigningKey, type JwksBehaviour } from '../../helpers/jwks-server';

const key = rsaSigningKey('key-1');
let jwks: JwksServer;

beforeAll(async () => {
  jwks = await JwksServer.start([key]);
});
beforeEach(() => {
  jwks.behaviour = 'ok';
  jwks.published = [key];
});
afterAll(() => jwks.close());

describe('get-jwks 11, as JwksSigningKeys relies on it', () => {
  const getJwk = (url: string, kid: string) => {
    const { origin, pathname } = new URL(url);
    return buildGetJwks({ jwksPath: pathname }).getJwk({ kid, alg: 'RS256', domain: origin });
  };

  it('names a kid absent from a key set it fetched JWK_NOT_FOUND, the only code that is the token’s fault', async () => {
    await expect(getJwk(jwks.url, 'not-published')).rejects.toMatchObject({ code: 'JWK_NOT_FOUND' });
  });

  it.each<[JwksBehaviour, string, string | undefined]>([
    ['error-500', 'GetJwksError', 'JWKS_REQUEST_FAILED'],
    ['no-keys', 'GetJwksError', 'NO_JWKS'],
    ['invalid-json', 'SyntaxError', undefined],
  ])('reports a JWKS answering %s as a %s coded %s', async (behaviour, name, code) => {
    jwks.behaviour = behaviour;

    const error = (await getJwk(jwks.url, key.kid).catch((caught: unknown) => caught)) as Error;

    expect([error.name, (error as { code?: string }).code]).toEqual([name, code]);
  });

  it('passes on fetch’s own error, uncoded, when the connection is refused', async () => {
    const error = (await getJwk(await refusingJwksUrl(), key.kid).catch(
      (caught: unknown) => caught,
    )) as Error;

    expect([error.name, error.message, (error as { code?: string }).code]).toEqual([
      'TypeError',
      'fetch failed',
      undefined,
    ]);
    expect(error.cause).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('answers a key’s next failure with its previous one, kept in its stale cache', async () => {
    const { origin, pathname } = new URL(jwks.url);
    const client = buildGetJwks({ jwksPath: pathname });
    const signature = { kid: 'not-published', alg: 'RS256', domain: origin };
    jwks.behaviour = 'error-500';
    await expect(client.getJwk(signature)).rejects.toMatchObject({ code: 'JWKS_REQUEST_FAILED' });

    jwks.behaviour = 'ok';

    await expect(client.getJwk(signature)).rejects.toMatchObject({ code: 'JWKS_REQUEST_FAILED' });
  });

  it('does not give up on a JWKS that never answers after its 5 s fetch timeout (Node’s fetch has none)', async () => {
    jwks.behaviour = 'hang';
    let settled = false;
    void getJwk(jwks.url, key.kid).then(
      () => (settled = true),
      () => (settled = true),
    );

    await new Promise((resolve) => setTimeout(resolve, 5500));

    expect(settled).toBe(false);
  });
});

describe('JwksSigningKeys', () => {
  const keysAt = (jwksUrl: string, fetchTimeoutMs = 2000) => new JwksSigningKeys({ jwksUrl, fetchTimeoutMs });

  it('gives the PEM of a published key', async () => {
    const pem = await keysAt(jwks.url).publicKey(key.kid, 'RS256');

    expect(pem).toBe(key.publicKey.export({ format: 'pem', type: 'spki' }).toString());
  });

  it('refuses a kid the key set does not hold as the token’s fault', async () => {
    await expect(keysAt(jwks.url).publicKey('not-published', 'RS256')).rejects.toBeInstanceOf(
      UnknownSigningKeyError,
    );
  });

  it.each<[JwksBehaviour, RegExp]>([
    ['error-500', /JWKS request failed \(HTTP 500\)/],
    ['no-keys', /No JWKS found/],
    ['invalid-json', /JSON/],
    ['hang', /no key set within 300 ms/],
  ])('reports a JWKS answering %s as unavailable, saying why', async (behaviour, why) => {
    jwks.behaviour = behaviour;

    const error = await keysAt(jwks.url, 300)
      .publicKey(key.kid, 'RS256')
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SigningKeysUnavailableError);
    expect((error as Error).message).toMatch(why);
  });

  it('reports a refused connection as unavailable, with the network error', async () => {
    const error = await keysAt(await refusingJwksUrl())
      .publicKey(key.kid, 'RS256')
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SigningKeysUnavailableError);
    expect((error as Error).message).toMatch(/fetch failed: .*ECONNREFUSED/);
  });

  it('fetches again on the next call after a JWKS that hung past the timeout', async () => {
    const keys = keysAt(jwks.url, 300);
    jwks.behaviour = 'hang';
    await expect(keys.publicKey(key.kid, 'RS256')).rejects.toBeInstanceOf(SigningKeysUnavailableError);

    jwks.behaviour = 'ok';

    await expect(keys.publicKey(key.kid, 'RS256')).resolves.toMatch(/BEGIN PUBLIC KEY/);
  });

  it('judges a kid by the key set fetched now, not by an earlier outage', async () => {
    const keys = keysAt(jwks.url);
    jwks.behaviour = 'error-500';
    await expect(keys.publicKey('not-published', 'RS256')).rejects.toBeInstanceOf(
      SigningKeysUnavailableError,
    );

    jwks.behaviour = 'ok';

    await expect(keys.publicKey('not-published', 'RS256')).rejects.toBeInstanceOf(UnknownSigningKeyError);
  });

  it('judges a key set by the fetch made now, not by an earlier unknown kid', async () => {
    const keys = keysAt(jwks.url);
    await expect(keys.publicKey('not-published', 'RS256')).rejects.toBeInstanceOf(UnknownSigningKeyError);

    jwks.behaviour = 'error-500';

    await expect(keys.publicKey('not-published', 'RS256')).rejects.toBeInstanceOf(
      SigningKeysUnavailableError,
    );
  });
});
