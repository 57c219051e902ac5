import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { allRegions, loadPlatformConfig } from '../../infra/config/platform-config';
import { GENERATED_HEADER, writeKubernetesManifests } from '../synth';

describe('writeKubernetesManifests', () => {
  test('writes one YAML file per environment and region, marked as generated', () => {
    // GIVEN
    const outDir = mkdtempSync(path.join(tmpdir(), 'k8s-synth-'));
    try {
      // WHEN
      const written = writeKubernetesManifests(outDir, ['dev']);
      // THEN
      const dev = loadPlatformConfig('dev');
      expect(written).toEqual(allRegions(dev).map((r) => path.join(outDir, 'dev', r.region, 'api.yaml')));
      for (const file of written) {
        const text = readFileSync(file, 'utf8');
        expect(text.split('\n')[0]).toBe(GENERATED_HEADER);
        const documents = parseAllDocuments(text);
        expect(documents.every((d) => d.errors.length === 0)).toBe(true);
        expect(documents.map((d) => d.toJS().kind)).toContain('Rollout');
      }
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
