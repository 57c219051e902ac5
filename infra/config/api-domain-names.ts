// DNS names of the API's origins, derived from the configuration so that every stack (each region's and the
// edge stack in us-east-1) computes the same names without a cross-region reference.
import { allRegions, type PlatformConfig, type RegionConfig } from './platform-config';

/** Name of one region's load balancer, `api.<region>.<zone>`: its certificate's name and CloudFront's origin for that region. */
export function regionalOriginName(config: PlatformConfig, region: RegionConfig): string {
  return `api.${region.region}.${config.domain.zoneName}`;
}

/** Latency-routed name of every region's load balancer, `origin.<zone>`: Route 53 answers with the nearest healthy region. */
export function latencyOriginName(config: PlatformConfig): string {
  return `origin.${config.domain.zoneName}`;
}

/** The two regions of CloudFront's origin group: the primary region first, the first secondary as its failover. */
export function failoverOriginNames(config: PlatformConfig): { primary: string; failover?: string } {
  const [primary, failover] = allRegions(config);
  return {
    primary: regionalOriginName(config, primary),
    failover: failover === undefined ? undefined : regionalOriginName(config, failover),
  };
}
