import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ENVIRONMENT_NAMES } from '../infra/config/platform-config';
import { writeGrafanaDashboards } from '../dashboards/grafana/write-grafana-dashboards';
import { writePrometheusRules } from '../dashboards/prometheus/write-prometheus-rules';
import { writeKubernetesManifests } from '../k8s/synth';
import { writeArchitectureDiagram } from './write-architecture-diagram';
import { writeOpenApi } from './write-openapi';

/** One thing `npm run synth` produces; each part of the repository adds its step here. */
interface SynthStep {
  readonly name: string;
  run(): Promise<string>;
}

const ROOT = path.resolve(__dirname, '..');

const steps: SynthStep[] = [
  {
    name: 'OpenAPI document',
    async run() {
      return (await writeOpenApi()).map((file) => path.relative(ROOT, file)).join(', ');
    },
  },
  {
    name: 'Architecture diagram',
    async run() {
      return path.relative(ROOT, writeArchitectureDiagram());
    },
  },
  {
    name: 'Kubernetes manifests',
    async run() {
      return writeToDist('k8s', writeKubernetesManifests);
    },
  },
  {
    name: 'Prometheus rules',
    async run() {
      return writeToDist('prometheus', writePrometheusRules);
    },
  },
  {
    name: 'Grafana dashboards',
    async run() {
      return writeToDist('grafana', writeGrafanaDashboards);
    },
  },
  ...ENVIRONMENT_NAMES.map((env): SynthStep => ({
    name: `CloudFormation (${env})`,
    async run() {
      const output = path.join('cdk.out', env);
      // No credentials and no lookups: the app must synthesize offline from the committed configuration.
      const result = spawnSync('npx', ['cdk', 'synth', '--quiet', '-c', `env=${env}`, '--output', output], {
        cwd: ROOT,
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      if (result.status !== 0) throw new Error(`cdk synth for ${env} failed (exit ${result.status})`);
      const templates = readdirSync(path.join(ROOT, output)).filter((file) =>
        file.endsWith('.template.json'),
      );
      return `${output}/: ${templates.length} stack templates (${templates.join(', ')})`;
    },
  })),
];

/** Runs a generator that writes under `dist/<folder>` and describes what it wrote, for the summary. */
function writeToDist(folder: string, write: (outDir: string) => readonly string[]): string {
  const written = write(path.join(ROOT, 'dist', folder));
  return `dist/${folder}/: ${written.length} files`;
}

async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, 'cdk.json')))
    throw new Error('cdk.json is missing: run from a full checkout');
  const summary: string[] = [];
  for (const step of steps) {
    const started = Date.now();
    summary.push(`  ${step.name}: ${await step.run()} [${((Date.now() - started) / 1000).toFixed(1)} s]`);
  }
  process.stdout.write(`\nSynthesized everything a deploy needs, offline:\n${summary.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`synth failed: ${(error as Error).message}\n`);
  process.exit(1);
});
