import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ENVIRONMENT_NAMES, loadPlatformConfig } from '../../infra/config/platform-config';
import { MANAGED_ALARM_NAMES } from '../../infra/lib/managed-alarm';
import { alertNames, prometheusRuleFiles } from '../prometheus/prometheus-rule-files';
import { API_WORKLOAD } from '../slo/api-workload';
import { CLUSTER_ADDONS } from '../../k8s/lib/cluster-addons';
import { RUNBOOK_DIR, dashboardPanelUrl, runbookUrl } from '../links';
import { exportedMetricNames, otherExporterMetricNames } from './helpers/exported-metric-names';
import { promqlMetricNames } from './helpers/promql-metric-names';

const ROOT = path.resolve(__dirname, '../..');
const RUNBOOKS = path.join(ROOT, RUNBOOK_DIR);
const SECTIONS = ['## Meaning', '## Impact', '## Diagnosis', '## Mitigation', '## Verify', '## Escalation'];
/** Incident runbooks: procedures that are not tied to one alert. */
const INCIDENTS = path.join(ROOT, 'runbooks/incidents');
const INCIDENT_SECTIONS = ['## When to use', '## Steps', '## Verify', '## Roll back'];
const incidents = readdirSync(INCIDENTS).filter((file) => file.endsWith('.md'));
/** Every runbook file, alert and incident, for the checks that apply to both. */
const everyRunbook = [
  ...readdirSync(RUNBOOKS).map((file) => path.join(RUNBOOKS, file)),
  ...incidents.map((file) => path.join(INCIDENTS, file)),
];

/** Every Prometheus alert any environment generates. */
const prometheusAlerts = [
  ...new Set(ENVIRONMENT_NAMES.flatMap((env) => alertNames(prometheusRuleFiles(loadPlatformConfig(env))))),
];
/**
 * Every alert and CloudWatch alarm that links a runbook. infra/test/lib/platform.test.ts checks that each alarm
 * of the synthesized stacks is one of MANAGED_ALARM_NAMES and links its runbook.
 */
const generated = [...prometheusAlerts, ...MANAGED_ALARM_NAMES];

describe('runbookUrl and dashboardPanelUrl', () => {
  it('point at the runbook named like the alert and at one panel', () => {
    expect(runbookUrl('ApiSliMetricsAbsent')).toMatch(/\/runbooks\/alerts\/ApiSliMetricsAbsent\.md$/);
    expect(dashboardPanelUrl('uid-1', 3)).toMatch(/\/d\/uid-1\?viewPanel=3$/);
  });
});

describe('alert runbooks', () => {
  it.each(generated)('%s has a runbook with every section', (alert) => {
    const file = path.join(RUNBOOKS, `${alert}.md`);
    expect(existsSync(file)).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe(`# ${alert}`);
    for (const section of SECTIONS) expect(text).toContain(`\n${section}\n`);
    // In this order, and the mitigation says how to undo itself.
    const positions = SECTIONS.map((section) => text.indexOf(`\n${section}\n`));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const mitigation = text.slice(positions[3], positions[4]);
    expect(mitigation).toContain('\n### Undo\n');
  });

  it('names Prometheus alerts and CloudWatch alarms apart, so one runbook never serves both', () => {
    expect(
      prometheusAlerts.filter((alert) => (MANAGED_ALARM_NAMES as readonly string[]).includes(alert)),
    ).toEqual([]);
  });

  it('has no runbook for an alert or alarm that is not generated', () => {
    const runbooks = readdirSync(RUNBOOKS).map((file) => file.replace(/\.md$/, ''));
    expect(runbooks.sort()).toEqual([...generated].sort());
  });

  it('names only metrics the service exports (or the SLO recordings, or a listed other exporter) in its PromQL', async () => {
    // Alert and incident runbooks alike.
    const known = await exportedMetricNames();
    const others = otherExporterMetricNames();
    const recorded = new Set(
      prometheusRuleFiles(loadPlatformConfig('prod')).flatMap((f) =>
        f.groups.flatMap((g) => g.rules.flatMap((r) => ('record' in r ? [r.record] : []))),
      ),
    );
    for (const file of everyRunbook) {
      const text = readFileSync(file, 'utf8');
      const blocks = [...text.matchAll(/```promql\n([\s\S]*?)```/g)].map((m) => m[1]);
      const inline = [...text.matchAll(/`((?:sum|max|rate|histogram_quantile)\([^`]*)`/g)].map((m) => m[1]);
      for (const expr of [...blocks, ...inline]) {
        for (const name of promqlMetricNames(expr)) {
          expect({ file, name, known: known.has(name) || recorded.has(name) || others.has(name) }).toEqual({
            file,
            name,
            known: true,
          });
        }
      }
    }
  });

  it('links only to files that exist and to sections that exist', () => {
    for (const file of everyRunbook) {
      const text = readFileSync(file, 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^https?:/.test(target)) continue;
        const [linked, anchor] = target.split('#');
        const resolved = linked ? path.resolve(path.dirname(file), linked) : file;
        expect({ file, target, exists: existsSync(resolved) }).toEqual({ file, target, exists: true });
        if (anchor) {
          const headings = [...readFileSync(resolved, 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) =>
            m[1]
              .toLowerCase()
              .replace(/[^a-z0-9 -]/g, '')
              .replace(/ /g, '-'),
          );
          expect({ file, target, anchor: headings.includes(anchor) }).toEqual({ file, target, anchor: true });
        }
      }
    }
  });

  it("never counts a metric of another exporter as one of the service's", async () => {
    const known = await exportedMetricNames();
    for (const name of otherExporterMetricNames())
      expect({ name, service: known.has(name) }).toEqual({ name, service: false });
  });

  it('uses the namespace, rollout, relay Deployment and labels this repository deploys in its commands', () => {
    for (const file of everyRunbook) {
      const text = readFileSync(file, 'utf8');
      // The API's namespace, or the monitoring add-ons' (Prometheus, Alertmanager, Grafana).
      const namespaces = new RegExp(` -n (${API_WORKLOAD.namespace}|${CLUSTER_ADDONS.monitoringNamespace}) `);
      for (const command of text.match(/kubectl [^\n`]*/g) ?? []) {
        expect(command).toMatch(namespaces);
      }
      // The API is an Argo Rollout, not a Deployment; the relay is the one Deployment the chart creates.
      for (const [, name] of text.matchAll(/(?:deployment|deploy)\/([a-z0-9-]+)/g)) {
        expect(name).toBe(API_WORKLOAD.relayName);
      }
    }
  });
});

describe('incident runbooks', () => {
  it('exist, and the runbooks index links each of them', () => {
    const index = readFileSync(path.join(ROOT, 'runbooks/README.md'), 'utf8');
    expect(incidents.length).toBeGreaterThan(0);
    for (const file of incidents) expect(index).toContain(`(incidents/${file})`);
  });

  it.each(incidents)('%s has a title and every section', (file) => {
    const text = readFileSync(path.join(INCIDENTS, file), 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# \S/);
    for (const section of INCIDENT_SECTIONS) expect(text).toContain(`\n${section}\n`);
  });
});
