import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ENVIRONMENT_NAMES, loadPlatformConfig } from '../../infra/config/platform-config';
import { platformStacks } from '../../scripts/verify/platform-stacks';
import { API_WORKLOAD } from '../slo/api-workload';
import {
  RunbookCommandRules,
  runbookCommandProblems,
  runbookCommands,
  shellCommands,
} from './helpers/runbook-commands';

const ROOT = path.resolve(__dirname, '../..');
/** Every runbook, alert and incident, and the index pages. */
const RUNBOOKS = ['runbooks', 'runbooks/alerts', 'runbooks/incidents'].flatMap((dir) =>
  readdirSync(path.join(ROOT, dir))
    .filter((file) => file.endsWith('.md'))
    .map((file) => path.join(dir, file)),
);

// The stack ids come from the same function `npm run verify` uses, which platform-stacks.test.ts holds to the
// stacks the CDK app defines; the regions from the configuration. Nothing here is retyped.
const stacks = ENVIRONMENT_NAMES.flatMap((env) =>
  platformStacks(loadPlatformConfig(env)).map((stack) => ({ env, ...stack })),
);
const RULES: RunbookCommandRules = {
  stackIds: Object.fromEntries(
    ENVIRONMENT_NAMES.map((env) => [env, stacks.filter((s) => s.env === env).map((s) => s.id)]),
  ),
  regions: [...new Set(stacks.map((stack) => stack.region))],
  clusterRegions: [...new Set(stacks.filter((s) => s.kind === 'regional').map((s) => s.region))],
  scalableDeployment: API_WORKLOAD.relayName,
};

/** A runbook made of one shell block. */
const shellBlock = (script: string) =>
  `# Sample\n\n## Diagnosis\n\n1. Run:\n\n   \`\`\`shell\n${script
    .split('\n')
    .map((line) => `   ${line}`)
    .join('\n')}\n   \`\`\`\n`;

describe('shellCommands', () => {
  it('joins line continuations, splits pipes and lists, and reads command substitutions', () => {
    // GIVEN
    const script = [
      'tg=$(aws resourcegroupstaggingapi get-resources --region eu-west-1 \\',
      "  --query 'ResourceTagMappingList[0] | [0]' --output text)",
      'kubectl --context eu-west-1 -n api logs deploy/api-relay | grep -i "x|y" && echo done # a comment',
      'for node in a b; do',
      '  aws cloudwatch list-metrics --region "$REGION" --dimensions Name=CacheClusterId,Value=$node',
      'done',
    ].join('\n');
    // WHEN
    const commands = shellCommands(script);
    // THEN
    expect(commands).toEqual([
      [
        'aws',
        'resourcegroupstaggingapi',
        'get-resources',
        '--region',
        'eu-west-1',
        '--query',
        'ResourceTagMappingList[0] | [0]',
        '--output',
        'text',
      ],
      ['kubectl', '--context', 'eu-west-1', '-n', 'api', 'logs', 'deploy/api-relay'],
      ['grep', '-i', 'x|y'],
      ['echo', 'done'],
      [
        'aws',
        'cloudwatch',
        'list-metrics',
        '--region',
        '$REGION',
        '--dimensions',
        'Name=CacheClusterId,Value=$node',
      ],
    ]);
  });

  it('keeps a quoted string that spans lines in one word', () => {
    expect(
      shellCommands("aws logs start-query --query-string 'fields a\n  | filter b' --region us-east-1"),
    ).toEqual([
      ['aws', 'logs', 'start-query', '--query-string', 'fields a\n  | filter b', '--region', 'us-east-1'],
    ]);
  });
});

describe('runbookCommands', () => {
  it('reads indented shell blocks and inline commands, not PromQL or prose', () => {
    // GIVEN
    const markdown = [
      shellBlock('kubectl --context eu-west-1 -n api get pods'),
      '```promql\nsum(rate(http_requests_total[5m]))\n```',
      'Then `kubectl -n api delete pod <pod>`; `aws` alone, `aws --region` or `describe analysisrun` are prose.',
    ].join('\n');
    // WHEN
    const commands = runbookCommands(markdown);
    // THEN
    expect(commands).toEqual([
      { words: ['kubectl', '--context', 'eu-west-1', '-n', 'api', 'get', 'pods'], fenced: true },
      { words: ['kubectl', '-n', 'api', 'delete', 'pod', '<pod>'], fenced: false },
    ]);
  });
});

describe('runbookCommandProblems', () => {
  const problems = (markdown: string) => runbookCommandProblems(markdown, RULES);

  it('accepts commands that name their region, context, environment and stack', () => {
    expect(
      problems(
        shellBlock(
          [
            'aws rds describe-db-clusters --region eu-west-1 \\',
            '  --db-cluster-identifier api-platform-prod-eu-west-1',
            'kubectl --context eu-west-1 -n api get pods',
            'kubectl argo rollouts --context "$ctx" -n api undo api',
            'kubectl --context <region> -n api scale deploy/api-relay --replicas=2',
            'kubectl --context eu-west-1 -n api patch hpa api -p \'{"spec":{"minReplicas":6}}\'',
            'npx cdk deploy PlatformProdEdge --exclusively -c env=prod',
            'npx cdk deploy --all -c env=dev',
            // Setting up the CLI calls no regional service.
            'aws configure sso --profile api-platform-prod',
            'aws sso login --profile api-platform-prod',
          ].join('\n'),
        ),
      ),
    ).toEqual([]);
  });

  it('fails an aws command without --region, even when --region only follows a line continuation', () => {
    // A continuation that is not a continuation (a space after the backslash) ends the command early.
    const broken = 'aws rds describe-db-clusters \\ \n  --region eu-west-1';
    expect(problems(shellBlock(broken))).toEqual([
      'aws command without --region: aws rds describe-db-clusters  ',
    ]);
    expect(problems(shellBlock('aws rds describe-db-clusters \\\n  --region eu-west-1'))).toEqual([]);
  });

  it('fails a region or context the platform does not have', () => {
    expect(problems(shellBlock('aws rds describe-db-clusters --region eu-west-9'))).toEqual([
      expect.stringMatching(/^--region eu-west-9 is not a region of the platform/),
    ]);
    expect(problems(shellBlock('kubectl --context prod -n api get pods'))).toEqual([
      expect.stringMatching(/^--context prod is not a cluster of the platform/),
    ]);
  });

  it('fails a kubectl command without --context, in a block, inline or inside $( )', () => {
    expect(problems(shellBlock('kubectl -n api get pods'))).toEqual([
      'kubectl command without --context <region>: kubectl -n api get pods',
    ]);
    expect(problems('Delete it (`kubectl -n api delete pod <pod>`).')).toEqual([
      'kubectl command without --context <region>: kubectl -n api delete pod <pod>',
    ]);
    expect(
      problems(
        shellBlock(
          'aws sqs get-queue-attributes --region eu-west-1 --queue-url "$(kubectl -n api get configmap api-relay-config)"',
        ),
      ),
    ).toEqual(['kubectl command without --context <region>: kubectl -n api get configmap api-relay-config']);
  });

  it('accepts kubectl without --context when the runbook sets the context first, in a fenced block', () => {
    const setAtTop =
      shellBlock('kubectl config use-context eu-west-1') + shellBlock('kubectl -n api get pods');
    expect(problems(setAtTop)).toEqual([]);
    const setTooLate =
      shellBlock('kubectl -n api get pods') + shellBlock('kubectl config use-context eu-west-1');
    expect(problems(setTooLate)).toHaveLength(1);
    expect(
      problems('Set it: `kubectl config use-context eu-west-1`.\n' + shellBlock('kubectl -n api get pods')),
    ).toHaveLength(1);
  });

  it('fails kubectl scale of the API, whatever the spelling, and allows it for the relay Deployment only', () => {
    for (const command of [
      'kubectl --context eu-west-1 -n api scale rollout api --replicas=6',
      'kubectl --context eu-west-1 -n api scale rollouts.argoproj.io/api --replicas=6',
      'kubectl --context eu-west-1 scale -n api deploy/api --replicas=6',
    ]) {
      expect(problems(shellBlock(command))).toEqual([expect.stringMatching(/^kubectl scale of the API/)]);
    }
    expect(problems('`kubectl --context eu-west-1 -n api scale rollout api --replicas=<more>`')).toHaveLength(
      1,
    );
    expect(
      problems(shellBlock('kubectl --context eu-west-1 -n api scale deployment api-relay --replicas=0')),
    ).toEqual([]);
  });

  it('fails a cdk command without -c env=, with an unknown environment, or naming a stack the app does not create', () => {
    expect(problems(shellBlock('npx cdk deploy PlatformProdEdge'))).toEqual([
      'cdk command without -c env=<name>: npx cdk deploy PlatformProdEdge',
    ]);
    expect(problems(shellBlock('npx cdk deploy PlatformProdEdge -c env=staging'))).toEqual([
      expect.stringMatching(/^-c env=staging is not an environment/),
    ]);
    // The CloudFormation stack name is not what the cdk CLI selects stacks by.
    expect(problems('`npx cdk deploy api-platform-prod-eu-west-1 -c env=prod`')).toEqual([
      expect.stringMatching(
        /^cdk names stack 'api-platform-prod-eu-west-1', which the app does not create in prod/,
      ),
    ]);
    // dev has no ap-southeast-2 region.
    expect(problems(shellBlock('npx cdk diff PlatformDevApSoutheast2 -c env=dev'))).toHaveLength(1);
    expect(problems(shellBlock('npx cdk deploy -c env=prod'))).toEqual([
      'cdk deploy names no stack and no --all: npx cdk deploy -c env=prod',
    ]);
  });

  it('fails a fenced block in a language it does not read', () => {
    expect(problems('```\naws rds describe-db-clusters\n```\n')).toEqual([
      "a fenced block must be `shell`, `promql` or `text`, not '(none)'",
    ]);
  });

  it('reads a diagram in a `text` block, and fails a command hidden in one', () => {
    expect(problems('```text\nfault ──► Alertmanager ──► SNS\n```\n')).toEqual([]);
    expect(problems('```text\n  kubectl -n api get pods\n```\n')).toEqual([
      'a command belongs in a `shell` block, not a `text` one: kubectl -n api get pods',
    ]);
  });
});

describe.each(RUNBOOKS)('%s', (file) => {
  it('has commands that run as written: region, context, environment and stack named, no scale of the API', () => {
    expect(runbookCommandProblems(readFileSync(path.join(ROOT, file), 'utf8'), RULES)).toEqual([]);
  });
});
