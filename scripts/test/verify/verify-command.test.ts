import { ElasticLoadBalancingV2ServiceException } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CloudFormationServiceException } from '@aws-sdk/client-cloudformation';
import {
  DEFAULT_ENVIRONMENT,
  globalClusterIdentifier,
  loadPlatformConfig,
  PlatformConfig,
  regionalClusterIdentifier,
} from '../../../infra/config/platform-config';
import { READINESS_PATH } from '../../../service/src/probe-paths';
import { platformStacks } from '../../verify/platform-stacks';
import { RESOURCE_TYPES } from '../../verify/stack-resources';
import { verifyCommand } from '../../verify/verify-command';
import {
  accessDenied,
  answeringFetch,
  AwsRecording,
  failingFetch,
  healthyRecording,
  observation,
  recordedClients,
} from './helpers/recorded-aws';

interface Run {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
  readonly failures: string[];
}

/** Runs the command as `npm run verify -- <argv>` would, against the recording and the given fetch. */
async function run(
  argv: string[],
  recording: AwsRecording,
  fetchFn: typeof fetch = answeringFetch(200, '{"status":"ok"}'),
): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await verifyCommand(
    argv,
    { clients: recordedClients(recording), fetch: fetchFn },
    { out: (line) => out.push(line), err: (line) => err.push(line) },
  );
  return { code, out, err, failures: out.filter((line) => line.startsWith('FAIL')) };
}

/** The stack resource of one type in a stack of the recording. */
function physicalId(recording: AwsRecording, stackName: string, type: string): string {
  const resource = recording.stacks.get(stackName)?.resources.find((r) => r.ResourceType === type);
  if (resource?.PhysicalResourceId === undefined) throw new Error(`no ${type} in ${stackName}`);
  return resource.PhysicalResourceId;
}

/** The regional stack name of a region, as the platform names it. */
function stackNameOf(config: PlatformConfig, region: string): string {
  const stack = platformStacks(config).find((s) => s.kind === 'regional' && s.region === region);
  if (stack === undefined) throw new Error(`no stack in ${region}`);
  return stack.stackName;
}

const dev = loadPlatformConfig('dev');
const prod = loadPlatformConfig('prod');
const devSecondary = dev.secondaryRegions[0].region;
const readinessUrl = (config: PlatformConfig) => `https://${config.domain.apiDomainName}${READINESS_PATH}`;

describe('npm run verify against a healthy environment', () => {
  test.each([dev, prod])('$envName: one ok line per check, a summary, exit 0', async (config) => {
    // GIVEN
    const recording = healthyRecording(config);
    const urls: string[] = [];
    // WHEN
    const result = await run(['-c', `env=${config.envName}`], recording, answeringFetch(200, '', urls));
    // THEN
    expect(result.failures).toEqual([]);
    expect(result.code).toBe(0);
    const stacks = platformStacks(config);
    expect(result.out).toEqual(
      expect.arrayContaining([
        ...stacks.map(
          (stack) => `ok   ${stack.region} stack ${stack.stackName} (${stack.id}) UPDATE_COMPLETE`,
        ),
        `ok   ${config.primaryRegion.region} aurora cluster ${regionalClusterIdentifier(config, config.primaryRegion)} writer`,
        ...config.secondaryRegions.map(
          (region) =>
            `ok   ${region.region} aurora cluster ${regionalClusterIdentifier(config, region)} reader, global write forwarding enabled`,
        ),
        `ok   global cloudfront GET ${readinessUrl(config)} 200`,
      ]),
    );
    // A stack, the global cluster, a cluster, a target group and a health check per region, readiness, alarms and
    // alert subscriptions per stack.
    const regions = stacks.length - 1;
    const checks = stacks.length + 1 + regions * 3 + 1 + stacks.length * 2;
    expect(result.out).toHaveLength(checks + 1);
    expect(result.out.at(-1)).toBe(`${config.envName}: ${checks} checks, all passed`);
    expect(urls).toEqual([readinessUrl(config)]);
    expect(result.err).toEqual([]);
  });

  test('reads every page of a stack with more than 100 resources', async () => {
    // GIVEN
    const recording = healthyRecording(dev);
    // WHEN
    await run([], recording);
    // THEN
    const listings = recording.calls.filter(
      (call) =>
        call.command === 'ListStackResources' && call.input.StackName === stackNameOf(dev, devSecondary),
    );
    expect(listings.map((call) => call.input.NextToken)).toEqual([undefined, '100']);
  });

  test('without arguments it verifies the default environment', async () => {
    // GIVEN
    const recording = healthyRecording(loadPlatformConfig(DEFAULT_ENVIRONMENT));
    // WHEN
    const result = await run([], recording);
    // THEN
    expect(result.code).toBe(0);
    expect(result.out.at(-1)).toMatch(new RegExp(`^${DEFAULT_ENVIRONMENT}: `));
  });

  test('says none when the stacks hold no Route 53 health check', async () => {
    // GIVEN
    const recording = healthyRecording(dev);
    for (const stack of recording.stacks.values()) {
      stack.resources.splice(
        0,
        stack.resources.length,
        ...stack.resources.filter((r) => r.ResourceType !== RESOURCE_TYPES.healthCheck),
      );
    }
    // WHEN
    const result = await run(['--env', 'dev'], recording);
    // THEN
    expect(result.code).toBe(0);
    expect(result.out).toContain('ok   global route 53 health checks none');
  });
});

describe('npm run verify prints a FAIL line and exits 1', () => {
  /** Runs against the healthy recording of `config` changed by `breakIt`; expects exactly the given FAIL lines. */
  async function expectFailures(
    config: PlatformConfig,
    breakIt: (recording: AwsRecording) => void,
    fetchFn?: typeof fetch,
  ): Promise<string[]> {
    const recording = healthyRecording(config);
    breakIt(recording);
    const result = await run(['-c', `env=${config.envName}`], recording, fetchFn);
    expect(result.code).toBe(1);
    expect(result.out.at(-1)).toMatch(
      new RegExp(`^${config.envName}: \\d+ checks, ${result.failures.length} failed$`),
    );
    return result.failures;
  }

  test('on a stack whose last update rolled back', async () => {
    // GIVEN
    const [primary] = platformStacks(dev);
    // WHEN
    const failures = await expectFailures(dev, (recording) => {
      recording.stacks.get(primary.stackName)!.status = 'UPDATE_ROLLBACK_COMPLETE';
    });
    // THEN
    expect(failures).toEqual([
      `FAIL ${primary.region} stack ${primary.stackName} (${primary.id}): UPDATE_ROLLBACK_COMPLETE`,
    ]);
  });

  test('on a stack that does not exist, and on every check that reads its resources', async () => {
    // GIVEN
    const edge = platformStacks(dev).find((stack) => stack.kind === 'edge')!;
    const missing = `ValidationError: Stack with id ${edge.stackName} does not exist`;
    // WHEN
    const failures = await expectFailures(dev, (recording) => recording.stacks.delete(edge.stackName));
    // THEN
    expect(failures).toEqual([
      `FAIL ${edge.region} stack ${edge.stackName} (${edge.id}): ${missing}`,
      `FAIL ${edge.region} route 53 health checks of ${edge.stackName}: ${missing}`,
      `FAIL ${edge.region} alarms of ${edge.stackName}: ${missing}`,
      `FAIL ${edge.region} alert subscriptions of ${edge.stackName}: ${missing}`,
    ]);
  });

  test('on a secondary cluster whose global write forwarding is disabled', async () => {
    // GIVEN
    const secondary = dev.secondaryRegions[0];
    // WHEN
    const failures = await expectFailures(dev, (recording) => {
      recording.dbClusters.get(secondary.region)!.GlobalWriteForwardingStatus = 'disabled';
    });
    // THEN
    expect(failures).toEqual([
      `FAIL ${secondary.region} aurora cluster ${regionalClusterIdentifier(dev, secondary)}: reader, global write forwarding disabled`,
    ]);
  });

  test('on a configured region missing from the global cluster', async () => {
    // GIVEN
    const missing = prod.secondaryRegions[1];
    const clusterId = regionalClusterIdentifier(prod, missing);
    // WHEN
    const failures = await expectFailures(prod, (recording) => {
      const global = recording.globalCluster!;
      global.GlobalClusterMembers = global.GlobalClusterMembers!.filter(
        (member) => !member.DBClusterArn!.endsWith(`:cluster:${clusterId}`),
      );
    });
    // THEN
    expect(failures).toEqual([
      `FAIL ${missing.region} aurora cluster ${clusterId}: not a member of global cluster ${globalClusterIdentifier(prod)}`,
    ]);
  });

  test('on a target group without a healthy target', async () => {
    // GIVEN
    let name = '';
    const port = dev.workload.containerPort;
    // WHEN
    const failures = await expectFailures(dev, (recording) => {
      const arn = physicalId(recording, stackNameOf(dev, devSecondary), RESOURCE_TYPES.targetGroup);
      name = /:targetgroup\/([^/]+)\//.exec(arn)![1];
      for (const target of recording.targetHealth.get(arn)!) {
        target.TargetHealth = { State: 'unhealthy', Reason: 'Target.ResponseCodeMismatch' };
      }
    });
    // THEN
    expect(failures).toEqual([
      `FAIL ${devSecondary} target group ${name}: 0 of 2 targets healthy; ` +
        `10.20.1.10:${port} unhealthy (Target.ResponseCodeMismatch), 10.20.2.10:${port} unhealthy (Target.ResponseCodeMismatch)`,
    ]);
  });

  test('on a health check that half of the checkers or more report failing', async () => {
    // GIVEN
    let id = '';
    // WHEN
    const failures = await expectFailures(dev, (recording) => {
      id = physicalId(recording, stackNameOf(dev, dev.primaryRegion.region), RESOURCE_TYPES.healthCheck);
      const observations = recording.healthChecks.get(id)!;
      observations.forEach((o, i) => (observations[i] = observation(o.Region!, i % 2 === 0)));
    });
    // THEN
    const total = checkersPerHealthCheck(dev);
    expect(failures).toEqual([
      `FAIL ${dev.primaryRegion.region} route 53 health check ${id}: ${total / 2} of ${total} checkers report Success; Failure: Alarm state: ALARM`,
    ]);
  });

  test('on /health/ready answering 503', async () => {
    // GIVEN
    const body = '{"status":"unavailable","checks":{"writer":"unreachable","reader":"ok"}}';
    // WHEN
    const failures = await expectFailures(dev, () => undefined, answeringFetch(503, body));
    // THEN
    expect(failures).toEqual([`FAIL global cloudfront GET ${readinessUrl(dev)}: answered 503: ${body}`]);
  });

  test('on /health/ready failing to answer', async () => {
    // GIVEN
    const cause = new Error(`getaddrinfo ENOTFOUND ${dev.domain.apiDomainName}`);
    // WHEN
    const failures = await expectFailures(
      dev,
      () => undefined,
      failingFetch(new TypeError('fetch failed', { cause })),
    );
    // THEN
    expect(failures).toEqual([
      `FAIL global cloudfront GET ${readinessUrl(dev)}: TypeError: fetch failed (${cause.message})`,
    ]);
  });

  test('on an alarm in INSUFFICIENT_DATA', async () => {
    // GIVEN
    const edge = platformStacks(dev).find((stack) => stack.kind === 'edge')!;
    let alarmName = '';
    // WHEN
    const failures = await expectFailures(dev, (recording) => {
      alarmName = physicalId(recording, edge.stackName, RESOURCE_TYPES.alarm);
      recording.alarms.get(edge.region)!.find((alarm) => alarm.AlarmName === alarmName)!.StateValue =
        'INSUFFICIENT_DATA';
    });
    // THEN
    const alarmCount = alarmsOfStack(dev, edge.stackName);
    expect(failures).toEqual([
      `FAIL ${edge.region} alarms of ${edge.stackName}: 1 of ${alarmCount} in INSUFFICIENT_DATA: ${alarmName}`,
    ]);
  });

  test('on an AccessDenied error, with its name and message', async () => {
    // GIVEN
    const denied = accessDenied(
      ElasticLoadBalancingV2ServiceException,
      dev,
      'elasticloadbalancing:DescribeTargetHealth',
    );
    let name = '';
    // WHEN
    const failures = await expectFailures(dev, (recording) => {
      const arn = physicalId(recording, stackNameOf(dev, devSecondary), RESOURCE_TYPES.targetGroup);
      name = /:targetgroup\/([^/]+)\//.exec(arn)![1];
      recording.failures.set(`${devSecondary} DescribeTargetHealth`, denied);
    });
    // THEN
    expect(failures).toEqual([`FAIL ${devSecondary} target group ${name}: AccessDenied: ${denied.message}`]);
  });

  test('on an alert topic whose email subscriber has not confirmed', async () => {
    // GIVEN
    const stackName = stackNameOf(dev, devSecondary);
    const topicArn = physicalId(healthyRecording(dev), stackName, RESOURCE_TYPES.topic);
    // WHEN
    const failures = await expectFailures(dev, (recording) =>
      recording.subscriptions.set(topicArn, [
        {
          TopicArn: topicArn,
          Protocol: 'email',
          Endpoint: 'oncall@example.com',
          SubscriptionArn: 'PendingConfirmation',
        },
      ]),
    );
    // THEN
    expect(failures).toEqual([
      `FAIL ${devSecondary} alert subscriptions of ${stackName}: page: waiting for email oncall@example.com to confirm`,
    ]);
  });

  test('on every check that needs a stack listing CloudFormation denies', async () => {
    // GIVEN a region holding one stack only, so that one denial touches one stack
    const region = prod.secondaryRegions[1].region;
    const stackName = stackNameOf(prod, region);
    const denied = accessDenied(CloudFormationServiceException, prod, 'cloudformation:ListStackResources');
    // WHEN
    const failures = await expectFailures(prod, (recording) =>
      recording.failures.set(`${region} ListStackResources`, denied),
    );
    // THEN
    expect(failures).toEqual(
      ['target groups', 'route 53 health checks', 'alarms', 'alert subscriptions'].map(
        (what) => `FAIL ${region} ${what} of ${stackName}: AccessDenied: ${denied.message}`,
      ),
    );
  });
});

describe('npm run verify on a usage error', () => {
  test.each([
    [['-c', 'env=staging'], /Unknown environment 'staging'/],
    [['--env'], /missing environment name/],
    [['-c', 'region=eu-west-1'], /only the context key env is read/],
    [['--region', 'eu-west-1'], /unknown argument '--region'/],
  ])('%j: prints why and the usage, calls nothing, exits 2', async (argv, why) => {
    // GIVEN
    const recording = healthyRecording(dev);
    // WHEN
    const result = await run(argv, recording);
    // THEN
    expect(result.code).toBe(2);
    expect(result.out).toEqual([]);
    expect(result.err[0]).toMatch(why);
    expect(result.err[1]).toMatch(/^usage: npm run verify -- /);
    expect(recording.calls).toEqual([]);
  });

  test('--help prints the usage and exits 0', async () => {
    // WHEN
    const result = await run(['--help'], healthyRecording(dev));
    // THEN
    expect(result.code).toBe(0);
    expect(result.out).toEqual([expect.stringMatching(/^usage: /)]);
  });
});

/** Checkers per health check in the healthy recording. */
function checkersPerHealthCheck(config: PlatformConfig): number {
  return healthyRecording(config).healthChecks.values().next().value!.length;
}

/** Alarms of a stack in the healthy recording. */
function alarmsOfStack(config: PlatformConfig, stackName: string): number {
  return healthyRecording(config)
    .stacks.get(stackName)!
    .resources.filter((r) => r.ResourceType === RESOURCE_TYPES.alarm).length;
}
