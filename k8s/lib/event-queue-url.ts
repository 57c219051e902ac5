// The URL of the outbox relay's SQS queue, derived from the configuration for manifests synthesized without
// the CDK app; the CDK app passes the queue's own URL, which is the same string once deployed.
import { eventQueueName, type PlatformConfig, type RegionConfig } from '../../infra/config/platform-config';

/** Returns `https://sqs.<region>.amazonaws.com/<account>/<queue name>`, the URL SQS gives the region's event queue. */
export function eventQueueUrl(config: PlatformConfig, region: RegionConfig): string {
  return `https://sqs.${region.region}.amazonaws.com/${config.account}/${eventQueueName(config, region)}`;
}
