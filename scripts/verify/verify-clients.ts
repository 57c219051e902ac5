// The AWS SDK clients of a verification run, one per service and region, created when first needed. The
// deployer's default credential chain signs every call; every call the checks make is a read.
import { CloudFormationClient, CloudFormationClientConfig } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SNSClient } from '@aws-sdk/client-sns';

/** Region of Route 53's control plane in the aws partition; its health checks are global. */
export const ROUTE53_REGION = 'us-east-1';

/** The clients the checks call, by region. */
export interface VerifyClients {
  /** CloudFormation of a region: stack states and resources. */
  cloudFormation(region: string): CloudFormationClient;
  /** RDS of a region: the global cluster and the regional clusters. */
  rds(region: string): RDSClient;
  /** ELBv2 of a region: target health. */
  elasticLoadBalancing(region: string): ElasticLoadBalancingV2Client;
  /** CloudWatch of a region: alarm states. */
  cloudWatch(region: string): CloudWatchClient;
  /** Route 53 (global): health check status. */
  route53(): Route53Client;
  /** SNS of a region: who the alert topics tell. */
  sns(region: string): SNSClient;
}

/** Any client a {@link VerifyClients} creates. */
export type VerifyClient =
  | CloudFormationClient
  | RDSClient
  | ElasticLoadBalancingV2Client
  | CloudWatchClient
  | Route53Client
  | SNSClient;

/** What may differ from the defaults; the CLI passes nothing. */
export interface VerifyClientOptions {
  /** Credentials instead of the default chain (tests pass fake ones). */
  readonly credentials?: CloudFormationClientConfig['credentials'];
  /** Called once on each new client, for example to add middleware. */
  readonly prepare?: (client: VerifyClient, region: string) => void;
}

/** Creates the clients lazily and keeps one per service and region. */
export function createVerifyClients(options: VerifyClientOptions = {}): VerifyClients {
  const cache = new Map<string, VerifyClient>();
  const get = <C extends VerifyClient>(
    service: string,
    region: string,
    create: (settings: { region: string; credentials?: VerifyClientOptions['credentials'] }) => C,
  ): C => {
    const key = `${service} ${region}`;
    let client = cache.get(key) as C | undefined;
    if (client === undefined) {
      client = create({ region, credentials: options.credentials });
      options.prepare?.(client, region);
      cache.set(key, client);
    }
    return client;
  };
  return {
    cloudFormation: (region) => get('cloudformation', region, (s) => new CloudFormationClient(s)),
    rds: (region) => get('rds', region, (s) => new RDSClient(s)),
    elasticLoadBalancing: (region) => get('elbv2', region, (s) => new ElasticLoadBalancingV2Client(s)),
    cloudWatch: (region) => get('cloudwatch', region, (s) => new CloudWatchClient(s)),
    route53: () => get('route53', ROUTE53_REGION, (s) => new Route53Client(s)),
    sns: (region) => get('sns', region, (s) => new SNSClient(s)),
  };
}
