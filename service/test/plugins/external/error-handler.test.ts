import Fastify, { type FastifyInstance } from 'fastify';
import { Client } from 'pg';
import errorHandler from '../../../src/plugins/external/error-handler';
import { createTestDatabase, type TestDatabase } from '../../helpers/test-database';

// Each statement makes a real PostgreSQL refuse a value, as a value that slipped past the schemas would.
const REFUSALS: [string, string, string, unknown[]][] = [
  ['22P02', 'a urn:uuid: id', 'SELECT $1::uuid', ['urn:uuid:00000000-0000-4000-8000-000000000000']],
  ['22021', 'a NUL in a string', 'SELECT $1::text', ['a\u0000b']],
  ['22P05', 'a character the target encoding lacks', "SELECT convert_to($1, 'LATIN1')", ['€']],
  ['22007', 'a malformed timestamp', 'SELECT $1::timestamptz', ['2024-02-x']],
  ['22008', '30 February', 'SELECT $1::timestamptz', ['2024-02-30T00:00:00Z']],
  ['22001', 'a string longer than its column', 'INSERT INTO short_text VALUES ($1)', ['four']],
];

let database: TestDatabase;
let client: Client;
let app: FastifyInstance;

beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
  client = new Client({ connectionString: database.directUrl });
  await client.connect();
  await client.query('CREATE TABLE short_text (value varchar(3))');
  app = Fastify({ logger: false });
  await app.register(errorHandler);
  app.post<{ Body: { text: string; values: unknown[] } }>('/query', async (request) => {
    await client.query(request.body.text, request.body.values);
    return { ok: true };
  });
  app.get('/crash', async () => {
    throw new Error('a bug');
  });
});

afterAll(async () => {
  await app.close();
  await client.end();
  await database.drop();
});

it.each(REFUSALS)(
  'answers SQLSTATE %s (%s) with 400 invalid_input',
  async (sqlstate, _case, text, values) => {
    await expect(client.query(text, values)).rejects.toMatchObject({ code: sqlstate });

    const response = await app.inject({ method: 'POST', url: '/query', payload: { text, values } });

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: { code: 'invalid_input', message: expect.stringMatching(/the database refused it$/) },
    });
  },
);

it('still answers another database error, and any other error, with a 500 that hides the cause', async () => {
  const missingTable = await app.inject({
    method: 'POST',
    url: '/query',
    payload: { text: 'SELECT * FROM no_such_table', values: [] },
  });
  const bug = await app.inject({ url: '/crash' });

  for (const response of [missingTable, bug]) {
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: { code: 'internal_error', message: 'internal server error' } });
  }
});
