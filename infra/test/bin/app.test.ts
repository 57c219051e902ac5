import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.join(__dirname, '..', '..', '..');
const CDK_JSON = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8'));

interface Manifest {
  readonly artifacts: Record<string, { readonly type: string; readonly environment?: string }>;
  readonly missing?: unknown[];
}

/** Runs the entry point the way the CDK CLI does, with an environment holding nothing but what the CLI passes. */
async function runApp(context: Record<string, unknown>): Promise<Manifest> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-test-'));
  try {
    await promisify(execFile)(process.execPath, [require.resolve('tsx/cli'), 'infra/bin/app.ts'], {
      cwd: ROOT,
      // No AWS_* variables: synth must not need credentials.
      env: { CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ ...CDK_JSON.context, ...context }) },
    });
    return JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function stackEnvironments(manifest: Manifest): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(manifest.artifacts)
      .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
      .map(([id, artifact]) => [id, artifact.environment]),
  );
}

describe('infra/bin/app.ts', () => {
  // prod goes through the same code in-process in lib/platform.test.ts, and `npm run synth` runs both.
  test('synthesizes dev when no environment is given, offline, with explicit stack environments', async () => {
    // GIVEN / WHEN
    const manifest = await runApp({});
    // THEN
    expect(stackEnvironments(manifest)).toEqual({
      PlatformDevEuWest1: 'aws://111111111111/eu-west-1',
      PlatformDevUsEast1: 'aws://111111111111/us-east-1',
      PlatformDevEdge: 'aws://111111111111/us-east-1',
    });
    expect(manifest.missing).toBeUndefined();
  }, 90_000);

  test('reads the environment from -c env and names an unknown one in its error', async () => {
    // THEN
    await expect(runApp({ env: 'staging' })).rejects.toThrow(/Unknown environment 'staging'/);
  });
});
