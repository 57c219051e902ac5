// Dashboard uids and panel ids, in one place because alerts link to them: changing one breaks every
// `dashboard_url` already sent to a pager, so they are derived, never renumbered.
import type { PlatformConfig } from '../../infra/config/platform-config';

/** The generated dashboards. */
export type DashboardKind = 'slo-overview' | 'red' | 'saturation' | 'data-tier';

/** Returns the stable uid of a generated dashboard: platform, environment and kind, never random. */
export function dashboardUid(config: PlatformConfig, kind: DashboardKind): string {
  return `${config.platformName}-${config.envName}-${kind}`;
}

/** Panels of one SLO's row on the SLO overview. */
export type SloPanel = 'sli' | 'budgetRemaining' | 'burnRate' | 'exhaustion';

const SLO_PANEL_OFFSETS: Readonly<Record<SloPanel, number>> = {
  sli: 1,
  budgetRemaining: 2,
  burnRate: 3,
  exhaustion: 4,
};

/** Returns the id of an SLO panel: ten ids per SLO, in the order of `apiSlos(config)`. */
export function sloPanelId(sloIndex: number, panel: SloPanel): number {
  return (sloIndex + 1) * 10 + SLO_PANEL_OFFSETS[panel];
}

/** Panel ids of the RED dashboard. */
export const RED_PANEL_IDS = { requestRate: 1, errorRatio: 2, latency: 3, canaryAnalysis: 4 } as const;

/** Panel ids of the saturation dashboard. */
export const SATURATION_PANEL_IDS = {
  eventLoopLag: 1,
  heap: 2,
  residentMemory: 3,
  cpu: 4,
  poolInUse: 5,
  poolWaiting: 6,
  cacheHitRatio: 7,
  cacheCoalesced: 8,
  breakerState: 9,
  rateLimit: 10,
  shed: 11,
  outboxLag: 12,
  idempotentReplays: 13,
} as const;

/** Panels of one region's row on the data-tier dashboard. */
export type DataTierPanel =
  | 'auroraCpu'
  | 'auroraConnections'
  | 'auroraFreeableMemory'
  | 'auroraReplicaLag'
  | 'auroraGlobalReplicationLag'
  | 'auroraCommitLatency'
  | 'valkeyCpu'
  | 'valkeyMemory'
  | 'valkeyEvictions'
  | 'valkeyHitRatio'
  | 'valkeyReplicationLag'
  | 'valkeyConnections';

const DATA_TIER_PANEL_OFFSETS: Readonly<Record<DataTierPanel, number>> = {
  auroraCpu: 1,
  auroraConnections: 2,
  auroraFreeableMemory: 3,
  auroraReplicaLag: 4,
  auroraGlobalReplicationLag: 5,
  auroraCommitLatency: 6,
  valkeyCpu: 11,
  valkeyMemory: 12,
  valkeyEvictions: 13,
  valkeyHitRatio: 14,
  valkeyReplicationLag: 15,
  valkeyConnections: 16,
};

/** Returns the id of a data-tier panel: a hundred ids per region, in the order of `allRegions(config)`; the row is the hundred. */
export function dataTierPanelId(regionIndex: number, panel: DataTierPanel | 'row'): number {
  return (regionIndex + 1) * 100 + (panel === 'row' ? 0 : DATA_TIER_PANEL_OFFSETS[panel]);
}
