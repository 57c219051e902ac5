// Turns the CDK app's construct tree into a Mermaid flowchart: one box per stack with its top-level
// constructs, the traffic path from CloudFront to each region, and the deployment order.
import * as fs from 'node:fs';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { EnvironmentName, loadPlatformConfig } from '../infra/config/platform-config';
import { ApiDistribution } from '../infra/lib/api-distribution';
import { definePlatform } from '../infra/lib/platform';
import { RegionalIngress } from '../infra/lib/regional-ingress';

/** The environment the committed diagram shows: prod, whose three regions show how the design repeats. */
export const DIAGRAM_ENVIRONMENT: EnvironmentName = 'prod';

/** Construct classes that carry no architecture of their own: imports, providers of custom resources, mappings. */
const HIDDEN_CLASS = /^(Import|CfnMapping|CfnCondition|CfnParameter|CfnOutput)$|Provider$/;

/** Class name without the digits jsii appends to some of aws-cdk-lib's class names. */
function className(construct: IConstruct): string {
  return construct.constructor.name.replace(/\d+$/, '');
}

/** Mermaid node id of a construct: its path with only letters and digits. */
function nodeId(construct: IConstruct): string {
  return construct.node.path.replace(/[^A-Za-z0-9]/g, '_');
}

/** Top-level constructs of a stack worth a box: named classes, not imports or custom resource providers. */
function architectureConstructs(stack: Stack): IConstruct[] {
  return stack.node.children.filter((child) => {
    const name = className(child);
    return name !== '' && name !== 'Construct' && !HIDDEN_CLASS.test(name) && child.node.id !== 'CDKMetadata';
  });
}

/** The Mermaid flowchart of the given app's stacks, in the order the app defines them. */
export function renderArchitectureDiagram(app: App): string {
  const stacks = app.node.children.filter((child): child is Stack => Stack.isStack(child));
  const lines = ['flowchart LR', '  Clients(["API clients"])'];
  for (const stack of stacks) {
    lines.push(`  subgraph ${nodeId(stack)}["${stack.stackName} (${stack.region})"]`);
    for (const construct of architectureConstructs(stack)) {
      lines.push(
        `    ${nodeId(construct)}["${construct.node.id}<br/><small>${className(construct)}</small>"]`,
      );
    }
    lines.push('  end');
  }
  const all = stacks.flatMap((stack) => stack.node.findAll());
  const distributions = all.filter((c): c is ApiDistribution => c instanceof ApiDistribution);
  const ingresses = all.filter((c): c is RegionalIngress => c instanceof RegionalIngress);
  for (const distribution of distributions) {
    lines.push(`  Clients -->|HTTPS| ${nodeId(distribution)}`);
    for (const ingress of ingresses) {
      const names = ingress.domainNames.filter((name) => distribution.originDomainNames.includes(name));
      if (names.length > 0) {
        lines.push(`  ${nodeId(distribution)} -->|"${names.join('<br/>')}"| ${nodeId(ingress)}`);
      }
    }
  }
  for (const stack of stacks) {
    for (const dependency of stack.dependencies) {
      lines.push(`  ${nodeId(stack)} -. deploys after .-> ${nodeId(dependency)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Builds the platform of the diagram's environment in memory (no synth) and renders it. */
export function buildArchitectureDiagram(): string {
  const cdkJson = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'cdk.json'), 'utf8'));
  const app = new App({ context: { ...cdkJson.context, env: DIAGRAM_ENVIRONMENT } });
  definePlatform(app, loadPlatformConfig(DIAGRAM_ENVIRONMENT));
  return renderArchitectureDiagram(app);
}
