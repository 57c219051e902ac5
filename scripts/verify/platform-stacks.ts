// The CloudFormation stacks `cdk deploy --all` creates for one environment. infra/lib/platform.ts names them
// inline and exports no function for it, so the names are recomputed here; a test compares them with the
// stacks the CDK app really defines, so the two cannot drift apart silently.
import { allRegions, EDGE_REGION, PlatformConfig } from '../../infra/config/platform-config';

/** One deployed stack of the environment. */
export interface PlatformStack {
  /** Construct id, the name `cdk deploy` prints, for example `PlatformDevEuWest1`. */
  readonly id: string;
  /** CloudFormation stack name, for example `api-platform-dev-eu-west-1`. */
  readonly stackName: string;
  /** Region the stack is deployed to. */
  readonly region: string;
  /** `regional` for a region's platform stack, `edge` for the us-east-1 stack of CloudFront and WAF. */
  readonly kind: 'regional' | 'edge';
}

/** Every stack of the environment, the regions' (primary first) then the edge stack. */
export function platformStacks(config: PlatformConfig): PlatformStack[] {
  const prefix = `${config.platformName}-${config.envName}`;
  const env = `Platform${pascal(config.envName)}`;
  return [
    ...allRegions(config).map(({ region }) => ({
      id: `${env}${pascal(region)}`,
      stackName: `${prefix}-${region}`,
      region,
      kind: 'regional' as const,
    })),
    { id: `${env}Edge`, stackName: `${prefix}-edge`, region: EDGE_REGION, kind: 'edge' as const },
  ];
}

/** `eu-west-1` to `EuWest1`, as infra/lib/platform.ts spells construct ids. */
function pascal(text: string): string {
  return text
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
