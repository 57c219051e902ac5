import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const DOC = readFileSync(path.join(ROOT, 'docs', 'aws-assumptions.md'), 'utf8');

/** The `### ` entries of the register, each with its text. */
const entries = DOC.split(/^### /m)
  .slice(1)
  .map((section) => ({ title: section.split('\n')[0], body: section }));

describe('docs/aws-assumptions.md', () => {
  test('has entries', () => {
    expect(entries.length).toBeGreaterThanOrEqual(10);
  });

  test.each(entries.map((entry) => [entry.title, entry.body]))(
    '"%s" says what relies on it, its source and how to check it',
    (_title, body) => {
      expect(body).toMatch(/^- \*\*Relies on\*\*: /m);
      expect(body).toMatch(/^- \*\*Source\*\*: /m);
      expect(body).toMatch(/^- \*\*Check\*\*/m);
      // A check is a command a person runs: the AWS CLI, psql or kubectl.
      expect(body).toMatch(/\b(aws|psql|kubectl) /);
    },
  );

  test('names only files that exist, so a rename cannot leave an entry pointing nowhere', () => {
    const named = [
      ...DOC.matchAll(/`((?:infra|k8s|service|dashboards|scripts|docs|runbooks)\/[\w./-]+\.(?:ts|md|js))`/g),
    ].map((match) => match[1]);
    expect(named.length).toBeGreaterThan(10);
    for (const file of named)
      expect(existsSync(path.join(ROOT, file)) ? file : `missing: ${file}`).toBe(file);
  });
});
