import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { allRegions, ENVIRONMENT_NAMES, loadPlatformConfig } from '../../infra/config/platform-config';
import { imageUri } from '../lib/workload-sizing';
import {
  DIFFERENCES_FROM_DEPLOYED,
  GENERATED_HEADER,
  renderApiManifest,
  writeKubernetesManifests,
} from '../synth';

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

/** A URL with a literal `user:password@`; a template like `{{ .dbPassword }}` is resolved in the cluster. */
const LITERAL_CREDENTIAL_URL = /(postgres(ql)?|rediss?):\/\/[^{\s"']*:[^{\s"'@]+@/;

describe('renderApiManifest', () => {
  const cases = ENVIRONMENT_NAMES.flatMap((envName) => {
    const config = loadPlatformConfig(envName);
    return allRegions(config).map((region) => [`${envName}/${region.region}`, config, region] as const);
  });

  test.each(cases)('%s carries no Secret and no credential in its YAML', (_name, config, region) => {
    // WHEN
    const text = renderApiManifest(config, region);
    const kinds = parseAllDocuments(text).map((d) => d.toJS().kind);
    // THEN
    expect(kinds).not.toContain('Secret');
    expect(kinds).toContain('ExternalSecret');
    expect(text).not.toMatch(LITERAL_CREDENTIAL_URL);
    expect(text).not.toMatch(/^\s*(password|stringData|JWT_SECRET):/im);
  });

  test.each(cases)(
    '%s says at its top what cdk deploy applies differently, and each difference is true of the file',
    (_name, config, region) => {
      // WHEN
      const text = renderApiManifest(config, region);
      const objects = parseAllDocuments(text).map((d) => d.toJS());
      // THEN
      const header = text.split('\n').slice(1, DIFFERENCES_FROM_DEPLOYED.length + 2);
      expect(header).toEqual([
        '# What `cdk deploy` applies differs from this file:',
        ...DIFFERENCES_FROM_DEPLOYED.map((difference) => `# - ${difference}`),
      ]);
      const kinds = objects.map((object) => object.kind);
      expect(kinds).not.toContain('TargetGroupBinding');
      expect(kinds).not.toContain('SecurityGroupPolicy');
      expect(text).not.toContain('eks.amazonaws.com/role-arn');
      expect(text).toContain(`${config.platformName}-${config.envName}.internal`);
      expect(text).toContain(imageUri(config.account, region.region, config.workload));
    },
  );

  test('the credential check catches a literal password in a URL', () => {
    // GIVEN
    const leaked = 'DATABASE_URL: postgresql://app:hunter2@writer:5432/postgres';
    // THEN
    expect(leaked).toMatch(LITERAL_CREDENTIAL_URL);
    expect('postgresql://{{ .dbUsername }}:{{ .dbPassword }}@writer:5432/x').not.toMatch(
      LITERAL_CREDENTIAL_URL,
    );
  });
});
