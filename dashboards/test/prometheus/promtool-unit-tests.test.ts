import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { loadPlatformConfig } from '../../../infra/config/platform-config';
import { alertNames, prometheusRuleFiles } from '../../prometheus/prometheus-rule-files';
import {
  alertConditionTests,
  annotationTests,
  withoutAnnotations,
} from '../../prometheus/promtool-unit-tests';
import { renderRuleFile } from '../../prometheus/write-prometheus-rules';
import { requirePromtool, runPromtool } from '../helpers/promtool';

describe('promtool unit tests generated from the SLO definitions', () => {
  // GIVEN
  const config = loadPlatformConfig('prod');
  const files = prometheusRuleFiles(config);
  const conditionFiles = alertConditionTests(config, (ruleFile) => `conditions/${ruleFile}`);
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'promtool-tests-'));
    mkdirSync(path.join(dir, 'conditions'));
    for (const file of files) writeFileSync(path.join(dir, file.fileName), renderRuleFile(file));
    for (const file of withoutAnnotations(files)) {
      writeFileSync(path.join(dir, 'conditions', file.fileName), renderRuleFile(file));
    }
    for (const file of conditionFiles.flatMap((test) => test.ruleFiles ?? [])) {
      writeFileSync(path.join(dir, 'conditions', file.fileName), renderRuleFile(file));
    }
    for (const test of [...conditionFiles, annotationTests(files, (ruleFile) => ruleFile)]) {
      writeFileSync(path.join(dir, test.fileName), stringify(test.file, { lineWidth: 0 }));
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('drives every alert into firing at least once and keeps it silent at least once', () => {
    const checks = conditionFiles.flatMap((f) => f.file.tests.flatMap((t) => t.alert_rule_test ?? []));
    for (const name of alertNames(files)) {
      const mine = checks.filter((check) => check.alertname === name);
      expect(mine.some((check) => check.exp_alerts.length > 0)).toBe(true);
      expect(mine.some((check) => check.exp_alerts.length === 0)).toBe(true);
    }
  });

  it('covers a fast burn, a slow burn, an under-budget and a low-traffic scenario for every SLO', () => {
    const names = conditionFiles.flatMap((f) => f.file.tests.map((t) => t.name));
    for (const slo of ['api-availability', 'api-latency-get', 'api-latency-post']) {
      for (const scenario of ['fast burn', 'slow burn', 'under budget', 'low traffic']) {
        expect(names.some((name) => name.startsWith(`${slo}: ${scenario}`))).toBe(true);
      }
    }
  });

  it('passes `promtool test rules` on the generated rules', async () => {
    requirePromtool();

    // WHEN: one promtool per file, side by side, since each file simulates hours of traffic.
    const results = await Promise.all(
      [...conditionFiles.map((f) => f.fileName), 'annotations.test.yaml'].map((file) =>
        runPromtool(['test', 'rules', file], dir),
      ),
    );

    // THEN
    for (const result of results) {
      expect(result.output).not.toMatch(/FAILED/);
      expect(result.code).toBe(0);
    }
  }, 120_000);
});
