import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../helpers/build-test-app';
import { Fixtures } from '../helpers/fixtures';
import {
  abbreviate,
  inputCountOf,
  operationsOf,
  requestsFor,
  type OpenApiDocument,
} from '../helpers/openapi-requests';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { bearer, claims, signHs256 } from '../helpers/tokens';

// Property: whatever a tenant sends, every documented route answers below 500, and every 4xx carries the
// machine-readable error body. The document is the committed one, which a script test holds equal to the routes.
const DOCUMENT = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../../docs/openapi.json'), 'utf8'),
) as OpenApiDocument;
/** Fixed, so a run is reproducible and a failure names the same counterexample every time. */
const SEED = 20_240_230;
/** Requests per input of a route (path or query parameter, body): bounds the suite to seconds. */
const RUNS_PER_INPUT = 150;
const TENANT = 'tenant-generated';

let database: TestDatabase;
let fixtures: Fixtures;
let app: FastifyInstance;
let asUser: Record<string, string>;
let knownIds: string[];

beforeAll(async () => {
  database = await createTestDatabase();
  fixtures = await Fixtures.connect(database.directUrl);
  // Hundreds of requests from one tenant in seconds: the rate limit is not what is under test here.
  app = await buildTestApp(database.url, { RATE_LIMIT_MAX: '1000000' });
  const userId = await fixtures.user(TENANT, 'Generated');
  knownIds = [userId, ...(await fixtures.posts(TENANT, userId, 2))];
  asUser = bearer(signHs256(claims(TENANT, userId)));
});

afterAll(async () => {
  await app.close();
  await fixtures.close();
  await database.drop();
});

it('covers every operation of the document', () => {
  expect(operationsOf(DOCUMENT).length).toBeGreaterThanOrEqual(9);
});

describe.each(
  operationsOf(DOCUMENT).map((operation) => [`${operation.method} ${operation.path}`, operation]),
)('%s', (_name, operation) => {
  it('answers every generated request below 500, with an error code on every 4xx', async () => {
    const statuses = new Set<number>();

    await fc.assert(
      fc.asyncProperty(requestsFor(DOCUMENT, operation, { ids: knownIds }), async (request) => {
        const response = await app.inject({
          method: request.method as 'GET',
          url: request.url,
          headers: { ...request.headers, ...asUser },
          ...(request.payload === undefined ? {} : { payload: request.payload }),
        });
        statuses.add(response.statusCode);
        const said = `${response.statusCode} ${abbreviate(response.body)}`;
        if (response.statusCode >= 500) throw new Error(`server error: ${said}`);
        if (response.statusCode >= 400 && typeof response.json().error?.code !== 'string') {
          throw new Error(`4xx without an error code: ${said}`);
        }
      }),
      { seed: SEED, numRuns: RUNS_PER_INPUT * inputCountOf(operation) },
    );

    // A generator that only ever produced rejected requests would prove nothing of the handlers behind them.
    expect([...statuses].some((status) => status < 300)).toBe(true);
  });
});
