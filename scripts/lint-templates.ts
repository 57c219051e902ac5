// `npm run lint:templates`: AWS's CloudFormation linter over every template `npm run synth` wrote to cdk.out/.
// Fails on any error that is not known schema lag (scripts/cfn-lint-findings.ts); warnings are counted.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ENVIRONMENT_NAMES } from '../infra/config/platform-config';
import { KNOWN_SCHEMA_LAG, unexplainedErrors, type CfnLintFinding } from './cfn-lint-findings';

const ROOT = path.resolve(__dirname, '..');

function templates(): string[] {
  return ENVIRONMENT_NAMES.flatMap((env) => {
    const folder = path.join(ROOT, 'cdk.out', env);
    if (!existsSync(folder))
      throw new Error(`${path.relative(ROOT, folder)} is missing: run npm run synth first`);
    return readdirSync(folder)
      .filter((file) => file.endsWith('.template.json'))
      .map((file) => path.join(folder, file));
  });
}

function main(): void {
  const files = templates();
  const run = spawnSync('cfn-lint', ['--format', 'json', ...files], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (run.error) {
    throw new Error(
      `cfn-lint is not on the PATH (${run.error.message}); it is AWS's linter: pip install cfn-lint`,
    );
  }
  // cfn-lint's exit code is a bit mask of the levels found (2 error, 4 warning, 8 informational); 1 is a crash.
  if (run.status === 1 || !run.stdout.trim().startsWith('[')) {
    throw new Error(`cfn-lint failed (exit ${run.status}):\n${run.stderr}`);
  }
  const findings = JSON.parse(run.stdout) as CfnLintFinding[];
  const parsed = new Map<string, Record<string, { Type: string }>>();
  const resourceTypesOf = (filename: string) => {
    const absolute = path.resolve(ROOT, filename);
    if (!parsed.has(absolute)) {
      parsed.set(absolute, JSON.parse(readFileSync(absolute, 'utf8')).Resources ?? {});
    }
    return (logicalId: string) => parsed.get(absolute)?.[logicalId]?.Type;
  };
  const errors = unexplainedErrors(findings, resourceTypesOf);
  const counts = (level: CfnLintFinding['Level']) => findings.filter((f) => f.Level === level).length;
  process.stdout.write(
    `cfn-lint: ${files.length} templates, ${counts('Error')} errors (${counts('Error') - errors.length} known schema lag: ` +
      `${KNOWN_SCHEMA_LAG.map((lag) => `${lag.rule} ${lag.property} on ${lag.resourceType}`).join(', ')}), ` +
      `${counts('Warning')} warnings\n`,
  );
  for (const error of errors) {
    process.stdout.write(
      `${path.relative(ROOT, path.resolve(ROOT, error.Filename))}:${error.Location.Start.LineNumber}: ${error.Rule.Id} ${error.Message} (${error.Location.Path.join('/')})\n`,
    );
  }
  if (errors.length > 0) {
    process.stderr.write(`cfn-lint: ${errors.length} errors CloudFormation would most likely refuse\n`);
    process.exit(1);
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`lint:templates failed: ${(error as Error).message}\n`);
  process.exit(1);
}
