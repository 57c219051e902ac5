// Runs every check of one environment concurrently and returns their lines in a fixed order: stacks, Aurora,
// target groups, health checks, the public readiness call, alarms, alert subscriptions.
import type { StackResourceSummary } from '@aws-sdk/client-cloudformation';
import type { PlatformConfig } from '../../infra/config/platform-config';
import { alarmsLabel, checkAlarms } from './check-alarms';
import { checkAlertSubscriptions, subscriptionsLabel } from './check-alert-subscriptions';
import { checkApiReadiness, readinessLabel } from './check-api-readiness';
import { checkAurora, globalClusterLabel } from './check-aurora';
import { checkHealthCheck, healthCheckLabel } from './check-health-checks';
import { checkStack, stackLabel } from './check-stacks';
import { checkTargetGroups } from './check-target-groups';
import { PlatformStack, platformStacks } from './platform-stacks';
import { listStackResources, physicalIdsOfType, RESOURCE_TYPES } from './stack-resources';
import type { VerifyClients } from './verify-clients';
import { CheckResult, GLOBAL, passed, settle } from './verify-result';

/** What a run talks to: AWS through the clients, the public API through fetch. */
export interface VerifyDependencies {
  readonly clients: VerifyClients;
  readonly fetch: typeof fetch;
}

/** Runs every check of the environment; never throws, a failing call is a FAIL line. */
export async function runVerify(config: PlatformConfig, deps: VerifyDependencies): Promise<CheckResult[]> {
  const { clients } = deps;
  const stacks = platformStacks(config);
  const regionalStacks = stacks.filter((stack) => stack.kind === 'regional');

  // Listed once per stack and shared by the checks that look for resources in it.
  const listings = new Map<string, Promise<StackResourceSummary[]>>();
  const resourcesOf = (stack: PlatformStack) => {
    let listing = listings.get(stack.stackName);
    if (listing === undefined) {
      listing = listStackResources(clients.cloudFormation(stack.region), stack.stackName);
      listings.set(stack.stackName, listing);
    }
    return listing;
  };

  const healthChecks = async (): Promise<CheckResult[]> => {
    const perStack = await Promise.all(
      stacks.map((stack) =>
        settle(stack.region, `route 53 health checks of ${stack.stackName}`, async () => {
          const ids = physicalIdsOfType(await resourcesOf(stack), RESOURCE_TYPES.healthCheck);
          const results = await Promise.all(
            ids.map((id) =>
              settle(stack.region, healthCheckLabel(id), () =>
                checkHealthCheck(clients.route53(), stack.region, id),
              ),
            ),
          );
          return results.flat();
        }),
      ),
    );
    const results = perStack.flat();
    return results.length > 0 ? results : [passed(GLOBAL, 'route 53 health checks', 'none')];
  };

  const sections = await Promise.all([
    ...stacks.map((stack) =>
      settle(stack.region, stackLabel(stack), () => checkStack(clients.cloudFormation(stack.region), stack)),
    ),
    settle(GLOBAL, globalClusterLabel(config), () => checkAurora(config, clients.rds)),
    ...regionalStacks.map((stack) =>
      settle(stack.region, `target groups of ${stack.stackName}`, async () =>
        checkTargetGroups(clients.elasticLoadBalancing(stack.region), stack.region, await resourcesOf(stack)),
      ),
    ),
    healthChecks(),
    settle(GLOBAL, readinessLabel(config), () => checkApiReadiness(config, deps.fetch)),
    ...stacks.map((stack) =>
      settle(stack.region, alarmsLabel(stack.stackName), async () =>
        checkAlarms(
          clients.cloudWatch(stack.region),
          stack.region,
          stack.stackName,
          physicalIdsOfType(await resourcesOf(stack), RESOURCE_TYPES.alarm),
        ),
      ),
    ),
    ...stacks.map((stack) =>
      settle(stack.region, subscriptionsLabel(stack.stackName), async () =>
        checkAlertSubscriptions(
          clients.sns(stack.region),
          stack.region,
          stack.stackName,
          physicalIdsOfType(await resourcesOf(stack), RESOURCE_TYPES.topic),
        ),
      ),
    ),
  ]);
  return sections.flat();
}
