import { Client } from 'pg';
import { databaseConnection } from '../../src/db/database-connection';
import { migrateUp } from '../../src/db/migrate';
import {
  startPasswordCapturingServer,
  type PasswordCapturingServer,
} from '../helpers/password-capturing-server';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-real-secret' };
const IAM = { kind: 'iam', region: 'eu-west-1' } as const;

let server: PasswordCapturingServer;

beforeAll(async () => {
  server = await startPasswordCapturingServer();
});

afterAll(async () => {
  await server.close();
});

it('keeps the URL as it is with password authentication', () => {
  const url = 'postgres://api_service:secret@db.internal:5432/app';

  expect(databaseConnection(url, { kind: 'password' })).toEqual({ connectionString: url });
});

// The token is a SigV4-presigned `connect` action for the user on that host and port, signed for the rds-db
// service in the database's region and valid for 15 minutes ("Connecting to your DB cluster using IAM
// authentication", Aurora User Guide); the SDK's Signer makes it locally, without a call to AWS.
it('mints an IAM token for the URL user, host and port on every new connection', async () => {
  const connection = databaseConnection(
    'postgres://api_service@db.proxy.eu-west-1.rds.amazonaws.com:5432/app',
    IAM,
    CREDENTIALS,
  );
  const token = await (connection.password as () => Promise<string>)();

  expect(connection).toMatchObject({
    host: 'db.proxy.eu-west-1.rds.amazonaws.com',
    port: 5432,
    user: 'api_service',
    database: 'app',
  });
  expect(token).toMatch(
    /^db\.proxy\.eu-west-1\.rds\.amazonaws\.com:5432\/\?Action=connect&DBUser=api_service&/,
  );
  expect(token).toMatch(/X-Amz-Credential=AKIDEXAMPLE%2F\d{8}%2Feu-west-1%2Frds-db%2Faws4_request/);
  expect(token).toContain('X-Amz-Expires=900');
});

it("sends the token as the password node-postgres signs in with, not the URL's empty one", async () => {
  const connection = databaseConnection(
    `postgres://api_service@127.0.0.1:${server.port}/app`,
    IAM,
    CREDENTIALS,
  );
  const client = new Client({ ...connection, ssl: false });

  await expect(client.connect()).rejects.toThrow(/captured/);
  const login = server.logins.at(-1);
  expect(login?.user).toBe('api_service');
  expect(login?.password).toMatch(
    new RegExp(`^127\\.0\\.0\\.1:${server.port}/\\?Action=connect&DBUser=api_service&`),
  );
});

it('signs the migration runner in the same way, so migrate.js can use IAM authentication too', async () => {
  const silent = { info: () => {}, warn: () => {}, error: () => {} };
  const previous = { ...process.env };
  // The runner takes no credentials argument: the SDK's default chain reads them from the environment here.
  process.env.AWS_ACCESS_KEY_ID = CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = CREDENTIALS.secretAccessKey;
  try {
    await expect(
      migrateUp(`postgres://outbox_relay@127.0.0.1:${server.port}/app`, silent, undefined, undefined, IAM),
    ).rejects.toThrow(/captured/);
  } finally {
    process.env = previous;
  }
  const login = server.logins.at(-1);
  expect(login?.user).toBe('outbox_relay');
  expect(login?.password).toMatch(/Action=connect&DBUser=outbox_relay&/);
});

it('refuses a URL without a user: a token is minted for one', () => {
  expect(() => databaseConnection('postgres://db.internal:5432/app', IAM, CREDENTIALS)).toThrow(
    /needs a user/,
  );
});
