import { readFileSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { buildArchitectureDiagram, renderArchitectureDiagram } from '../architecture-diagram';
import { ARCHITECTURE_DOC_PATH, committedDiagramBlock, diagramBlock } from '../write-architecture-diagram';

describe('architecture diagram', () => {
  test('docs/architecture.md holds the diagram of the current app (run `npm run diagram` after changing a stack)', () => {
    // GIVEN
    const committed = committedDiagramBlock(readFileSync(ARCHITECTURE_DOC_PATH, 'utf8'));
    // WHEN
    const generated = diagramBlock(buildArchitectureDiagram());
    // THEN
    expect(committed).toBe(generated);
  }, 120_000);

  test('draws each stack with its constructs and the deployment order', () => {
    // GIVEN
    const app = new App();
    const first = new Stack(app, 'First', { env: { account: '111111111111', region: 'eu-west-1' } });
    const second = new Stack(app, 'Second', { env: { account: '111111111111', region: 'us-east-1' } });
    class Thing extends Construct {}
    new Thing(first, 'Database');
    second.addStackDependency(first);
    // WHEN
    const diagram = renderArchitectureDiagram(app);
    // THEN
    expect(diagram).toContain('subgraph First["First (eu-west-1)"]');
    expect(diagram).toContain('First_Database["Database<br/><small>Thing</small>"]');
    expect(diagram).toContain('Second -. deploys after .-> First');
  });
});
