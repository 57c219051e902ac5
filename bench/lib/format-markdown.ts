import * as prettier from 'prettier';

/** Formats a document with prettier and the repository's settings, as `npm run format` would. */
export async function formatWithPrettier(text: string, file: string): Promise<string> {
  const settings = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...settings, filepath: file });
}
