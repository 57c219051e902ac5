import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildOpenApiDocument, renderOpenApiDocument } from './openapi-document';

/** Where the OpenAPI document is committed, so reviewers see API changes in the diff. */
export const OPENAPI_PATH = path.resolve(__dirname, '..', 'docs', 'openapi.json');

/** Writes docs/openapi.json and returns the paths written. */
export async function writeOpenApi(): Promise<string[]> {
  mkdirSync(path.dirname(OPENAPI_PATH), { recursive: true });
  writeFileSync(OPENAPI_PATH, renderOpenApiDocument(await buildOpenApiDocument()));
  return [OPENAPI_PATH];
}

if (require.main === module) {
  writeOpenApi().then((written) => process.stdout.write(`wrote ${written.join(', ')}\n`));
}
