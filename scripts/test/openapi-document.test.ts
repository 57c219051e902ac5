import { readFileSync } from 'node:fs';
import { buildOpenApiDocument, renderOpenApiDocument } from '../openapi-document';
import { OPENAPI_PATH } from '../write-openapi';

it('docs/openapi.json matches the routes (run `npm run openapi` after changing a schema)', async () => {
  const committed = readFileSync(OPENAPI_PATH, 'utf8');

  expect(committed).toBe(renderOpenApiDocument(await buildOpenApiDocument()));
});
