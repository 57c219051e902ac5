import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GENERATED_HEADER, writePrometheusRules } from '../../prometheus/write-prometheus-rules';
import { requirePromtool, runPromtool } from '../helpers/promtool';

describe('writePrometheusRules', () => {
  let outDir: string;
  beforeAll(() => {
    outDir = mkdtempSync(path.join(tmpdir(), 'prometheus-rules-'));
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('writes one directory per environment, each file starting with the do-not-edit line', () => {
    // WHEN
    const written = writePrometheusRules(outDir);

    // THEN
    expect(written.map((file) => path.relative(outDir, file)).sort()).toEqual(
      ['dev', 'prod'].flatMap((env) =>
        ['api-service.yaml', 'slo-availability.yaml', 'slo-latency-get.yaml', 'slo-latency-post.yaml'].map(
          (f) => path.join(env, f),
        ),
      ),
    );
    for (const file of written) {
      expect(readFileSync(file, 'utf8').split('\n')[0]).toBe(GENERATED_HEADER);
    }
    expect(GENERATED_HEADER).toMatch(/Do not edit/);
  });

  it('writes files that `promtool check rules` accepts', async () => {
    // GIVEN
    requirePromtool();
    const written = writePrometheusRules(outDir);

    // WHEN
    const result = await runPromtool(['check', 'rules', ...written], outDir);

    // THEN
    expect(result.output).not.toMatch(/FAILED/);
    expect(result.code).toBe(0);
    expect(result.output.match(/SUCCESS: \d+ rules found/g)).toHaveLength(written.length);
  });
});
