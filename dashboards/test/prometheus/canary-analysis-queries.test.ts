import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { loadPlatformConfig } from '../../../infra/config/platform-config';
import { INSUFFICIENT_TRAFFIC, canaryAnalysisQueries } from '../../prometheus/canary-analysis-queries';
import { apiSlos } from '../../slo/slo-definition';
import { requirePromtool, runPromtool } from '../helpers/promtool';

describe('canaryAnalysisQueries', () => {
  // GIVEN
  const slos = apiSlos(loadPlatformConfig('prod'));
  const queries = canaryAnalysisQueries(slos, { podTemplateHash: 'canary1', minRequests: 100 });

  it('measures every SLO on the canary pods only', () => {
    expect(queries.map((q) => q.name)).toEqual(['availability', 'latency-get', 'latency-post']);
    for (const query of queries) {
      const selectors = query.query.match(/http_request_duration_seconds_\w+\{[^}]*\}/g) ?? [];
      expect(selectors.length).toBeGreaterThan(0);
      for (const selector of selectors) expect(selector).toContain('rollouts_pod_template_hash="canary1"');
    }
  });

  it('allows the lowest paging burn rate by default, and the given one when set', () => {
    expect(queries[0].maxErrorRatio).toBe(0.006);
    expect(queries[0].failureCondition).toBe('result[0] > 0.006');
    expect(canaryAnalysisQueries(slos, { podTemplateHash: 'x', maxBurnRate: 2 })[1].maxErrorRatio).toBe(0.02);
  });

  it('makes too little traffic inconclusive: the value meets neither condition', () => {
    expect(queries[0].successCondition).toBe('result[0] >= 0 && result[0] <= 0.006');
    expect(INSUFFICIENT_TRAFFIC).toBeLessThan(0);
  });

  it('returns -1 below the request minimum and the canary error ratio above it, in Prometheus', async () => {
    // GIVEN: stable pods failing everything, a quiet canary, and a busy canary failing 1% of requests.
    requirePromtool();
    const dir = mkdtempSync(path.join(tmpdir(), 'canary-queries-'));
    const series = (hash: string, status: string, perMinute: number) => ({
      series: `http_request_duration_seconds_count{namespace="api",route="/v1/posts",method="GET",status_class="${status}",rollouts_pod_template_hash="${hash}"}`,
      values: `0+${perMinute}x20`,
    });
    const check = (hash: string) => ({
      expr: `round((${canaryAnalysisQueries(slos, { podTemplateHash: hash, minRequests: 100 })[0].query}) * 1000)`,
      eval_time: '10m',
      exp_samples: [{ labels: '{}', value: hash === 'quiet' ? INSUFFICIENT_TRAFFIC * 1000 : 10 }],
    });
    const tests = {
      rule_files: [],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            series('stable', '5xx', 1000),
            series('quiet', '2xx', 2),
            series('quiet', '5xx', 2),
            series('busy', '2xx', 99),
            series('busy', '5xx', 1),
          ],
          promql_expr_test: [check('quiet'), check('busy')],
        },
      ],
    };
    writeFileSync(path.join(dir, 'canary.test.yaml'), stringify(tests, { lineWidth: 0 }));

    try {
      // WHEN
      const result = await runPromtool(['test', 'rules', 'canary.test.yaml'], dir);

      // THEN
      expect(result.output).not.toMatch(/FAILED/);
      expect(result.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
