import { ConfigError, parseConfig, parseRelayConfig } from '../src/config';

const minimal = { DATABASE_URL: 'postgres://db.internal/app', JWT_SECRET: 's'.repeat(32) };

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    const config = parseConfig(minimal);

    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 3000, bodyLimitBytes: 1_048_576 });
    expect(config.database.reader.connectionString).toBe(minimal.DATABASE_URL);
    expect(config.database.writeForwarding).toBe('off');
    expect(config.auth).toEqual({
      kind: 'secret',
      secret: minimal.JWT_SECRET,
      issuer: undefined,
      audience: undefined,
    });
  });

  it('converts numbers and uses the reader URL when given', () => {
    const config = parseConfig({ ...minimal, PORT: '8080', DATABASE_READER_URL: 'postgres://replica/app' });

    expect(config.server.port).toBe(8080);
    expect(config.database.reader.connectionString).toBe('postgres://replica/app');
  });

  it('prefers JWKS over a shared secret when both are set', () => {
    const config = parseConfig({
      ...minimal,
      JWT_JWKS_URL: 'https://issuer.test/jwks.json',
      JWT_ISSUER: 'https://issuer.test',
    });

    expect(config.auth).toMatchObject({
      kind: 'jwks',
      jwksUrl: 'https://issuer.test/jwks.json',
      issuer: 'https://issuer.test',
    });
  });

  it.each([
    [
      { JWT_SECRET: minimal.JWT_SECRET },
      /^Invalid configuration: DATABASE_URL is required \(it is not set\)$/,
    ],
    [{ ...minimal, PORT: 'eighty' }, /^Invalid configuration: PORT expected integer \(got "eighty"\)$/],
    [{ ...minimal, PORT: '70000' }, /PORT/],
    [
      { ...minimal, LOG_LEVEL: 'loud' },
      /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/,
    ],
    [{ ...minimal, DATABASE_URL: 'mysql://db/app' }, /DATABASE_URL/],
    [{ ...minimal, JWT_SECRET: 'short' }, /JWT_SECRET/],
    [
      { ...minimal, DATABASE_WRITE_FORWARDING: 'always' },
      /DATABASE_WRITE_FORWARDING must be one of off, eventual, session, global/,
    ],
    [{ DATABASE_URL: minimal.DATABASE_URL }, /JWT_SECRET or JWT_JWKS_URL must be set/],
  ])('stops with one line naming the bad variable (%j)', (env, message) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(message);
  });

  it('treats an empty value as unset', () => {
    expect(parseConfig({ ...minimal, PORT: '' }).server.port).toBe(3000);
  });
});

describe('parseRelayConfig', () => {
  it('listens on its own port (RELAY_PORT, 3001 by default) and needs no token settings', () => {
    const relay = parseRelayConfig({ DATABASE_URL: minimal.DATABASE_URL });
    const moved = parseRelayConfig({
      DATABASE_URL: minimal.DATABASE_URL,
      HOST: '0.0.0.0',
      RELAY_PORT: '9000',
    });

    expect(relay.server).toEqual({ host: '127.0.0.1', port: 3001 });
    expect(moved.server).toEqual({ host: '0.0.0.0', port: 9000 });
    expect(() => parseRelayConfig({ DATABASE_URL: minimal.DATABASE_URL, RELAY_PORT: 'x' })).toThrow(
      /RELAY_PORT/,
    );
  });
});
