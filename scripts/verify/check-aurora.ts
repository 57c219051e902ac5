// Check 2: the Aurora Global Database is whole. Every configured region's cluster is a member, one member
// writes, and every other member forwards writes (the service's secondaries write through their reader
// endpoint, which fails without forwarding).
import { DescribeDBClustersCommand, DescribeGlobalClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  allRegions,
  globalClusterIdentifier,
  PlatformConfig,
  regionalClusterIdentifier,
} from '../../infra/config/platform-config';
import { CheckResult, failed, GLOBAL, passed, settle } from './verify-result';

/** A member of the global cluster, as its ARN names it. */
interface Member {
  readonly region: string;
  readonly clusterId: string;
  readonly isWriter: boolean;
}

/** Label of the global cluster's line. */
export function globalClusterLabel(config: PlatformConfig): string {
  return `aurora global cluster ${globalClusterIdentifier(config)}`;
}

/** `arn:<partition>:rds:<region>:<account>:cluster:<id>` to its region and cluster id. */
export function parseClusterArn(arn: string): { region: string; clusterId: string } {
  const parts = arn.split(':');
  return { region: parts[3] ?? '', clusterId: parts.slice(6).join(':') };
}

/**
 * Checks the global cluster (one line: members and writer) and each configured regional cluster (one line:
 * its membership, and for a non-writer its GlobalWriteForwardingStatus from DescribeDBClusters).
 */
export async function checkAurora(
  config: PlatformConfig,
  rds: (region: string) => RDSClient,
): Promise<CheckResult[]> {
  const globalId = globalClusterIdentifier(config);
  const label = globalClusterLabel(config);
  // Asked in the primary region; a global cluster is visible from the region of any of its members.
  const { GlobalClusters } = await rds(config.primaryRegion.region).send(
    new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: globalId }),
  );
  const globalCluster = GlobalClusters?.[0];
  if (globalCluster === undefined) return [failed(GLOBAL, label, 'not found')];
  const members: Member[] = (globalCluster.GlobalClusterMembers ?? []).map((member) => ({
    ...parseClusterArn(member.DBClusterArn ?? ''),
    isWriter: member.IsWriter === true,
  }));

  const results: CheckResult[] = [globalClusterResult(config, label, members)];
  const clusterResults = await Promise.all(
    allRegions(config).map((region) => {
      const clusterId = regionalClusterIdentifier(config, region);
      const clusterLabel = `aurora cluster ${clusterId}`;
      const member = members.find((m) => m.region === region.region && m.clusterId === clusterId);
      return settle(region.region, clusterLabel, async () => {
        if (member === undefined) {
          return failed(region.region, clusterLabel, `not a member of global cluster ${globalId}`);
        }
        if (member.isWriter) return passed(region.region, clusterLabel, 'writer');
        const { DBClusters } = await rds(region.region).send(
          new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }),
        );
        const forwarding = DBClusters?.[0]?.GlobalWriteForwardingStatus;
        return forwarding === 'enabled'
          ? passed(region.region, clusterLabel, 'reader, global write forwarding enabled')
          : failed(region.region, clusterLabel, `reader, global write forwarding ${forwarding ?? 'not set'}`);
      });
    }),
  );
  return [...results, ...clusterResults.flat()];
}

/** The global cluster's line: exactly one writer, naming members the configuration does not know. */
function globalClusterResult(config: PlatformConfig, label: string, members: readonly Member[]): CheckResult {
  const writers = members.filter((member) => member.isWriter);
  const name = (member: Member) => `${member.clusterId} (${member.region})`;
  if (writers.length !== 1) {
    const found =
      writers.length === 0 ? 'no writer' : `${writers.length} writers: ${writers.map(name).join(', ')}`;
    return failed(GLOBAL, label, `${found} among ${members.length} members`);
  }
  const [writer] = writers;
  const notes: string[] = [];
  // After a switchover or failover the writer legitimately sits elsewhere: worth saying, not a failure.
  if (writer.region !== config.primaryRegion.region) {
    notes.push(`not in the configured primary ${config.primaryRegion.region}`);
  }
  const expected = new Set(allRegions(config).map((region) => regionalClusterIdentifier(config, region)));
  const unknown = members.filter((member) => !expected.has(member.clusterId));
  if (unknown.length > 0) notes.push(`members not in the config: ${unknown.map(name).join(', ')}`);
  const detail = `${members.length} members, writer ${name(writer)}`;
  return passed(GLOBAL, label, notes.length > 0 ? `${detail}; ${notes.join('; ')}` : detail);
}
