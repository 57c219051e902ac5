import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { loadPlatformConfig } from '../../../infra/config/platform-config';
import { grafanaDashboards, writeGrafanaDashboards } from '../../grafana/write-grafana-dashboards';
import { prometheusRuleFiles } from '../../prometheus/prometheus-rule-files';
import { RUNBOOK_DIR } from '../../links';
import { exportedMetricNames, otherExporterMetricNames } from '../helpers/exported-metric-names';
import { promqlMetricNames } from '../helpers/promql-metric-names';

type AnyPanel = dashboard.Panel | dashboard.RowPanel;

/** Panels of a dashboard, rows excluded. */
function panels(built: dashboard.Dashboard): dashboard.Panel[] {
  return ((built.panels ?? []) as AnyPanel[]).filter((p): p is dashboard.Panel => p.type !== 'row');
}

function exprs(panel: dashboard.Panel): string[] {
  return (panel.targets ?? []).map((target) => (target as { expr?: string }).expr ?? '');
}

describe('grafanaDashboards', () => {
  // GIVEN
  const config = loadPlatformConfig('prod');
  const built = grafanaDashboards(config);

  it('builds the SLO overview, RED, saturation and data-tier dashboards with stable uids', () => {
    expect(built.map((d) => d.uid)).toEqual([
      'api-platform-prod-slo-overview',
      'api-platform-prod-red',
      'api-platform-prod-saturation',
      'api-platform-prod-data-tier',
    ]);
    expect(grafanaDashboards(config).map((d) => d.uid)).toEqual(built.map((d) => d.uid));
    expect(grafanaDashboards(loadPlatformConfig('dev'))[0].uid).toBe('api-platform-dev-slo-overview');
  });

  it('gives every panel a description, a query and an id unique in its dashboard', () => {
    for (const d of built) {
      const ids = (d.panels ?? []).map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const panel of panels(d)) {
        expect({ title: panel.title, description: panel.description?.length ?? 0 }).toEqual({
          title: panel.title,
          description: expect.any(Number),
        });
        expect(panel.description!.length).toBeGreaterThan(20);
        expect(exprs(panel).length).toBeGreaterThan(0);
      }
    }
  });

  it('queries only metrics the service exports, the SLO rules record or a listed other exporter provides', async () => {
    const known = await exportedMetricNames();
    const others = otherExporterMetricNames();
    const recorded = new Set(
      prometheusRuleFiles(config).flatMap((f) =>
        f.groups.flatMap((g) => g.rules.flatMap((r) => ('record' in r ? [r.record] : []))),
      ),
    );
    for (const d of built) {
      for (const panel of panels(d)) {
        for (const expr of exprs(panel)) {
          for (const name of promqlMetricNames(expr)) {
            expect({
              panel: panel.title,
              name,
              known: known.has(name) || recorded.has(name) || others.has(name),
            }).toEqual({
              panel: panel.title,
              name,
              known: true,
            });
          }
        }
      }
    }
  });

  it('links runbooks that exist from the panels of alerted signals', () => {
    const links = built.flatMap((d) => panels(d).flatMap((p) => p.links ?? []));
    expect(links.length).toBeGreaterThanOrEqual(5);
    for (const link of links) {
      const file = link.url!.slice(link.url!.indexOf(RUNBOOK_DIR));
      expect(() => readFileSync(path.resolve(__dirname, '../../..', file))).not.toThrow();
    }
  });

  it('shows each SLO against the objective from the platform configuration', () => {
    const sli = panels(built[0]).find((p) => p.title?.startsWith('SLI over 30d'))!;
    expect(sli.fieldConfig?.defaults?.thresholds?.steps).toContainEqual({
      value: config.slo.availabilityTarget,
      color: 'green',
    });
  });
});

describe('writeGrafanaDashboards', () => {
  it('writes one JSON file per dashboard and environment, named by uid', () => {
    // GIVEN
    const outDir = mkdtempSync(path.join(tmpdir(), 'grafana-'));
    try {
      // WHEN
      const written = writeGrafanaDashboards(outDir);

      // THEN
      expect(written.map((f) => path.relative(outDir, f)).sort()).toEqual(
        ['dev', 'prod'].flatMap((env) =>
          ['data-tier', 'red', 'saturation', 'slo-overview'].map((kind) =>
            path.join(env, `api-platform-${env}-${kind}.json`),
          ),
        ),
      );
      const saturation = JSON.parse(
        readFileSync(
          written.find((f) => f.endsWith('dev-saturation.json'))!,
          'utf8',
        ),
      ) as dashboard.Dashboard;
      expect(saturation.uid).toBe('api-platform-dev-saturation');
      expect(saturation.description).toMatch(/Do not edit/);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
