import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { allRegions, PlatformConfig, RegionConfig } from '../config/platform-config';
import { EdgeStack } from './stacks/edge-stack';
import { RegionalPlatformStack } from './stacks/regional-platform-stack';

/** The stacks of one environment, primary region first. */
export interface PlatformStacks {
  /** The stack of the primary region, holding the Aurora writer and the global cluster. */
  readonly primary: RegionalPlatformStack;
  /** The stacks of the secondary regions, each deployed after the primary. */
  readonly secondaries: readonly RegionalPlatformStack[];
  /** The us-east-1 stack of everything with CLOUDFRONT scope. */
  readonly edge: EdgeStack;
}

/**
 * Adds every stack of the configured environment to the app, checked by cdk-nag's AwsSolutions rules
 * (any unacknowledged finding fails synthesis).
 *
 * Secondary regions learn the global cluster's name from the configuration, not from a cross-region
 * reference, so any number of regions works; the stack dependency only orders the deployment.
 */
export function definePlatform(app: App, config: PlatformConfig): PlatformStacks {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

  const [primaryRegion, ...secondaryRegions] = allRegions(config);
  const newStack = (region: RegionConfig) =>
    new RegionalPlatformStack(app, stackId(config, region), {
      config,
      region,
      stackName: `${config.platformName}-${config.envName}-${region.region}`,
      description: `${config.platformName} ${config.envName}: network, Aurora, Valkey and the API's EKS cluster in ${region.region}`,
    });
  const primary = newStack(primaryRegion);
  const secondaries = secondaryRegions.map((region) => {
    const stack = newStack(region);
    stack.addStackDependency(primary, 'a secondary cluster joins the global cluster the primary creates');
    return stack;
  });
  const edge = new EdgeStack(app, `Platform${pascal(config.envName)}Edge`, {
    config,
    stackName: `${config.platformName}-${config.envName}-edge`,
    description: `${config.platformName} ${config.envName}: WAF web ACL, CloudFront distribution and API name (us-east-1)`,
  });
  // CloudFront's origins are the regions' DNS names, derived from the config rather than referenced
  // (crossRegionReferences breaks past two regions, aws-cdk issue 25183): deploy them first.
  for (const regional of [primary, ...secondaries]) {
    edge.addStackDependency(regional, "CloudFront's origins are the regional load balancers' names");
  }
  return { primary, secondaries, edge };
}

/** PascalCase construct id of a region's stack, for example `PlatformDevEuWest1`. */
function stackId(config: PlatformConfig, region: RegionConfig): string {
  return `Platform${pascal(config.envName)}${pascal(region.region)}`;
}

/** `eu-west-1` to `EuWest1`. */
function pascal(text: string): string {
  return text
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
