import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeEnvironmentFiles } from '../write-environment-files';

describe('writeEnvironmentFiles', () => {
  it('writes each environment’s files under its own folder and returns their paths', () => {
    // GIVEN
    const outDir = mkdtempSync(path.join(tmpdir(), 'env-files-'));
    try {
      // WHEN
      const written = writeEnvironmentFiles(path.join(outDir, 'x'), ['dev', 'prod'], (config) => [
        { fileName: 'a.txt', content: config.envName },
      ]);

      // THEN
      expect(written).toEqual([
        path.join(outDir, 'x', 'dev', 'a.txt'),
        path.join(outDir, 'x', 'prod', 'a.txt'),
      ]);
      expect(readFileSync(written[1], 'utf8')).toBe('prod');
      expect(() => writeEnvironmentFiles(outDir, ['staging'], () => [])).toThrow(
        /Unknown environment 'staging'/,
      );
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
