// AWS answered in-process: each client gets a middleware in the SDK's own `initialize` step that returns the
// recorded output for the command (or throws the recorded error) before anything is serialized, signed or
// sent (works with the SDK versions in package.json: the initialize handler may return `{ output, response }`
// and `context.commandName` names the command). Chosen over a fake HTTP response at the deserialize step
// because the five clients speak three wire protocols (awsQuery XML, REST XML, JSON 1.0): outputs typed with
// the SDK's own models stay readable and type-checked. No call leaves the process; the fake credentials are
// never even resolved.
import {
  CloudFormationServiceException,
  StackResourceSummary,
  StackStatus,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchServiceException, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import {
  TargetGroupNotFoundException,
  TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DBCluster,
  DBClusterNotFoundFault,
  GlobalCluster,
  GlobalClusterNotFoundFault,
} from '@aws-sdk/client-rds';
import { HealthCheckObservation, HealthCheckRegion, NoSuchHealthCheck } from '@aws-sdk/client-route-53';
import { NotFoundException, Subscription } from '@aws-sdk/client-sns';
import {
  allRegions,
  globalClusterIdentifier,
  PlatformConfig,
  RegionConfig,
  regionalClusterIdentifier,
} from '../../../../infra/config/platform-config';
import { MANAGED_ALARM_NAMES } from '../../../../infra/lib/managed-alarm';
import { platformStacks } from '../../../verify/platform-stacks';
import { RESOURCE_TYPES } from '../../../verify/stack-resources';
import { createVerifyClients, VerifyClients } from '../../../verify/verify-clients';

/** One stack as CloudFormation knows it. */
export interface RecordedStack {
  readonly region: string;
  status: StackStatus;
  readonly resources: StackResourceSummary[];
}

/** Everything the recorded account answers with; tests change one part to make one check fail. */
export interface AwsRecording {
  readonly config: PlatformConfig;
  readonly stacks: Map<string, RecordedStack>;
  globalCluster: GlobalCluster | undefined;
  /** Regional clusters by region. */
  readonly dbClusters: Map<string, DBCluster>;
  /** Target health by target group ARN. */
  readonly targetHealth: Map<string, TargetHealthDescription[]>;
  /** Checker observations by health check id. */
  readonly healthChecks: Map<string, HealthCheckObservation[]>;
  /** Metric alarms by region. */
  readonly alarms: Map<string, MetricAlarm[]>;
  /** Subscriptions by topic ARN. */
  readonly subscriptions: Map<string, Subscription[]>;
  /** Errors to throw instead of answering, by `<region> <command name without Command>`. */
  readonly failures: Map<string, Error>;
  /** Every call made, in order. */
  readonly calls: { region: string; command: string; input: Record<string, unknown> }[];
}

/** Resources of a regional stack besides those the checks look for: enough for ListStackResources to page. */
const OTHER_REGIONAL_RESOURCES = 140;

/** A recorded account in which every stack of the environment is deployed and healthy. */
export function healthyRecording(config: PlatformConfig): AwsRecording {
  const recording: AwsRecording = {
    config,
    stacks: new Map(),
    globalCluster: undefined,
    dbClusters: new Map(),
    targetHealth: new Map(),
    healthChecks: new Map(),
    alarms: new Map(),
    subscriptions: new Map(),
    failures: new Map(),
    calls: [],
  };
  let counter = 0;
  const next = () => (counter += 1).toString(16).padStart(12, '0');
  for (const stack of platformStacks(config)) {
    const resources: StackResourceSummary[] = [];
    const add = (type: string, logicalId: string, physicalId: string) =>
      resources.push({
        LogicalResourceId: logicalId,
        PhysicalResourceId: physicalId,
        ResourceType: type,
        ResourceStatus: 'CREATE_COMPLETE',
        LastUpdatedTimestamp: new Date('2026-01-01T00:00:00Z'),
      });
    const alarmNames = MANAGED_ALARM_NAMES.filter((name) =>
      stack.kind === 'edge' ? /^(Waf|CloudFront)/.test(name) : !/^(Waf|CloudFront)/.test(name),
    ).map((name) => `${stack.stackName}-${name}`);
    if (stack.kind === 'regional') {
      for (let i = 0; i < OTHER_REGIONAL_RESOURCES; i += 1) {
        add('AWS::EC2::Route', `NetworkRoute${i}`, `r-rtb-${next()}`);
      }
      const targetGroupArn = `arn:aws:elasticloadbalancing:${stack.region}:${config.account}:targetgroup/Platfo-Ingre-${next()}/${next()}`;
      add(RESOURCE_TYPES.targetGroup, 'IngressTargetGroup1A2B3C4D', targetGroupArn);
      recording.targetHealth.set(targetGroupArn, [healthyTarget(config, 1), healthyTarget(config, 2)]);
      const healthCheckId = `0000aaaa-bbbb-cccc-dddd-${next()}`;
      add(RESOURCE_TYPES.healthCheck, 'IngressHealthCheck5E6F7A8B', healthCheckId);
      recording.healthChecks.set(
        healthCheckId,
        CHECKER_REGIONS.map((region) => observation(region, true)),
      );
    } else {
      add('AWS::CloudFront::Distribution', 'ApiDistribution1A2B3C4D', `E${next().toUpperCase()}`);
    }
    alarmNames.forEach((name, i) => add(RESOURCE_TYPES.alarm, `Alarm${i}`, name));
    // The page and ticket topics, each with a confirmed email subscription; a regional stack also holds the
    // heartbeat topic of the region it watches, which has no subscriber by design.
    const topics = ['page', 'ticket', ...(stack.kind === 'regional' ? ['heartbeat'] : [])];
    for (const suffix of topics) {
      const topicName = `${stack.stackName}-${suffix}`;
      const topicArn = `arn:aws:sns:${stack.region}:${config.account}:${topicName}`;
      add(RESOURCE_TYPES.topic, `Topic${suffix}`, topicArn);
      if (suffix === 'heartbeat') continue;
      recording.subscriptions.set(topicArn, [
        {
          TopicArn: topicArn,
          Protocol: 'email',
          Endpoint: `${suffix}@example.com`,
          Owner: config.account,
          SubscriptionArn: `${topicArn}:${next()}`,
        },
      ]);
    }
    recording.alarms.set(stack.region, [
      ...(recording.alarms.get(stack.region) ?? []),
      ...alarmNames.map((name) => ({
        AlarmName: name,
        StateValue: 'OK' as const,
        StateReason: 'Threshold Crossed',
      })),
    ]);
    recording.stacks.set(stack.stackName, { region: stack.region, status: 'UPDATE_COMPLETE', resources });
  }

  const clusterArn = (region: RegionConfig) =>
    `arn:aws:rds:${region.region}:${config.account}:cluster:${regionalClusterIdentifier(config, region)}`;
  const [primary, ...secondaries] = allRegions(config);
  recording.globalCluster = {
    GlobalClusterIdentifier: globalClusterIdentifier(config),
    Engine: 'aurora-postgresql',
    Status: 'available',
    GlobalClusterMembers: allRegions(config).map((region) => ({
      DBClusterArn: clusterArn(region),
      IsWriter: region === primary,
      Readers: region === primary ? secondaries.map((secondary) => clusterArn(secondary)) : [],
      GlobalWriteForwardingStatus: region === primary ? undefined : 'enabled',
      SynchronizationStatus: 'connected',
    })),
  };
  for (const region of allRegions(config)) {
    recording.dbClusters.set(region.region, {
      DBClusterIdentifier: regionalClusterIdentifier(config, region),
      DBClusterArn: clusterArn(region),
      Status: 'available',
      Engine: 'aurora-postgresql',
      GlobalClusterIdentifier: globalClusterIdentifier(config),
      // A primary reports no forwarding status; a secondary reports the one it was created with.
      ...(region === primary
        ? {}
        : { GlobalWriteForwardingRequested: true, GlobalWriteForwardingStatus: 'enabled' }),
    });
  }
  return recording;
}

/** Regions Route 53's checkers report from, as the SDK lists them. */
const CHECKER_REGIONS = Object.values(HealthCheckRegion);

/** One checker's report on a health check. */
export function observation(region: HealthCheckRegion, success: boolean): HealthCheckObservation {
  const checkedTime = new Date('2026-01-01T00:00:00Z');
  return {
    Region: region,
    IPAddress: '15.177.0.1',
    StatusReport: success
      ? { Status: 'Success: Alarm state: OK', CheckedTime: checkedTime }
      : { Status: 'Failure: Alarm state: ALARM', CheckedTime: checkedTime },
  };
}

/** A healthy API pod target of the region's target group. */
export function healthyTarget(config: PlatformConfig, index: number): TargetHealthDescription {
  return {
    Target: { Id: `10.20.${index}.10`, Port: config.workload.containerPort, AvailabilityZone: 'all' },
    HealthCheckPort: String(config.workload.containerPort),
    TargetHealth: { State: 'healthy' },
  };
}

/** The error AWS answers a call the caller's policies do not allow, as the SDK raises it. */
export function accessDenied(
  Exception: new (options: ConstructorParameters<typeof CloudFormationServiceException>[0]) => Error,
  config: PlatformConfig,
  action: string,
): Error {
  return new Exception({
    name: 'AccessDenied',
    $fault: 'client',
    $metadata: { httpStatusCode: 403, requestId: 'recorded' },
    message: `User: arn:aws:sts::${config.account}:assumed-role/deployer/session is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`,
  });
}

/** Clients whose every call is answered from the recording; fake credentials so nothing reads the machine's. */
export function recordedClients(recording: AwsRecording): VerifyClients {
  return createVerifyClients({
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    prepare: (client, region) => {
      // The five clients' stacks differ only in their input and output unions, which one recording serves.
      const stack = client.middlewareStack as unknown as {
        add(
          middleware: RecordedMiddleware,
          options: { step: 'initialize'; name: string; priority: 'low' },
        ): void;
      };
      stack.add(
        (_next, context) => async (args) => ({
          output: {
            ...answer(recording, region, context.commandName.replace(/Command$/, ''), args.input),
            $metadata: { httpStatusCode: 200, requestId: 'recorded' },
          },
          response: { statusCode: 200, headers: {} },
        }),
        // Low priority: after the command's own initialize middleware (Route 53's id normalizer, for one).
        { step: 'initialize', name: 'recordedResponses', priority: 'low' },
      );
    },
  });
}

type RecordedMiddleware = (
  next: unknown,
  context: { commandName: string },
) => (args: { input: Record<string, unknown> }) => Promise<{ output: object; response: unknown }>;

/** What AWS answers one call in the recorded account, or the error it raises. */
function answer(
  recording: AwsRecording,
  region: string,
  command: string,
  input: Record<string, unknown>,
): object {
  recording.calls.push({ region, command, input });
  const failure = recording.failures.get(`${region} ${command}`);
  if (failure !== undefined) throw failure;
  const { config } = recording;
  const metadata = { $metadata: { httpStatusCode: 400, requestId: 'recorded' } };
  const stackIn = (name: unknown) => {
    const stack = recording.stacks.get(String(name));
    // Stacks are regional: asking the wrong region finds nothing, as it would in AWS.
    if (stack === undefined || stack.region !== region) {
      throw new CloudFormationServiceException({
        name: 'ValidationError',
        $fault: 'client',
        ...metadata,
        message: `Stack with id ${String(name)} does not exist`,
      });
    }
    return stack;
  };
  switch (command) {
    case 'DescribeStacks': {
      const stack = stackIn(input.StackName);
      return {
        Stacks: [
          {
            StackName: input.StackName,
            StackId: `arn:aws:cloudformation:${region}:${config.account}:stack/${String(input.StackName)}/0000`,
            StackStatus: stack.status,
            CreationTime: new Date('2026-01-01T00:00:00Z'),
          },
        ],
      };
    }
    case 'ListStackResources': {
      const { resources } = stackIn(input.StackName);
      // CloudFormation pages by 100; the token here is the next index.
      const start = Number(input.NextToken ?? 0);
      const end = start + 100;
      return {
        StackResourceSummaries: resources.slice(start, end),
        NextToken: end < resources.length ? String(end) : undefined,
      };
    }
    case 'DescribeGlobalClusters': {
      const global = recording.globalCluster;
      const visible = global?.GlobalClusterMembers?.some(
        (member) => member.DBClusterArn?.split(':')[3] === region,
      );
      if (
        global === undefined ||
        global.GlobalClusterIdentifier !== input.GlobalClusterIdentifier ||
        !visible
      ) {
        throw new GlobalClusterNotFoundFault({
          ...metadata,
          message: `Global cluster ${String(input.GlobalClusterIdentifier)} not found`,
        });
      }
      return { GlobalClusters: [global] };
    }
    case 'DescribeDBClusters': {
      const cluster = recording.dbClusters.get(region);
      if (cluster === undefined || cluster.DBClusterIdentifier !== input.DBClusterIdentifier) {
        throw new DBClusterNotFoundFault({
          ...metadata,
          message: `DBCluster ${String(input.DBClusterIdentifier)} not found.`,
        });
      }
      return { DBClusters: [cluster] };
    }
    case 'DescribeTargetHealth': {
      const arn = String(input.TargetGroupArn);
      const targets = recording.targetHealth.get(arn);
      if (targets === undefined || arn.split(':')[3] !== region) {
        throw new TargetGroupNotFoundException({ ...metadata, message: `Target groups '${arn}' not found` });
      }
      return { TargetHealthDescriptions: targets };
    }
    case 'GetHealthCheckStatus': {
      const observations = recording.healthChecks.get(String(input.HealthCheckId));
      if (observations === undefined) {
        throw new NoSuchHealthCheck({
          ...metadata,
          message: `A health check with id ${String(input.HealthCheckId)} does not exist.`,
        });
      }
      return { HealthCheckObservations: observations };
    }
    case 'DescribeAlarms': {
      const names = (input.AlarmNames as string[] | undefined) ?? [];
      if (names.length > 100) {
        throw new CloudWatchServiceException({
          name: 'ValidationError',
          $fault: 'client',
          ...metadata,
          message: 'The collection AlarmNames must not have a size greater than 100.',
        });
      }
      const matching = (recording.alarms.get(region) ?? []).filter((alarm) =>
        names.includes(alarm.AlarmName ?? ''),
      );
      const pageSize = Number(input.MaxRecords ?? 50);
      const start = Number(input.NextToken ?? 0);
      const end = start + pageSize;
      return {
        MetricAlarms: matching.slice(start, end),
        CompositeAlarms: [],
        NextToken: end < matching.length ? String(end) : undefined,
      };
    }
    case 'ListSubscriptionsByTopic': {
      const topicArn = String(input.TopicArn);
      const subscriptions = recording.subscriptions.get(topicArn);
      if (subscriptions === undefined || !topicArn.startsWith(`arn:aws:sns:${region}:`)) {
        throw new NotFoundException({ ...metadata, message: 'Topic does not exist' });
      }
      // SNS pages 100 subscriptions at a time.
      const start = Number(input.NextToken ?? 0);
      const end = start + 100;
      return {
        Subscriptions: subscriptions.slice(start, end),
        NextToken: end < subscriptions.length ? String(end) : undefined,
      };
    }
    default:
      throw new Error(`no recorded answer for ${command}`);
  }
}

/** A fetch answering every call with one status and body, recording the URLs asked for. */
export function answeringFetch(status: number, body = '', urls: string[] = []): typeof fetch {
  return async (url) => {
    urls.push(String(url));
    return new Response(body, { status });
  };
}

/** A fetch that fails as Node's does when the name does not resolve. */
export function failingFetch(error: Error): typeof fetch {
  return async () => {
    throw error;
  };
}
