// Where each region's Prometheus and Alertmanager keep their data, and for how long: an encrypted gp3 volume
// each, and a retention derived from the SLO definitions, so the 30-day figures really cover 30 days and
// survive the pod moving to another node. ApiCluster creates the StorageClass and merges these values.
import { StorageClass } from 'kubernetes-models/storage.k8s.io/v1/StorageClass';
import { sliWindows } from '../../dashboards/slo/burn-rate-windows';
import { durationSeconds } from '../../dashboards/slo/duration';
import type { SloDefinition } from '../../dashboards/slo/slo-definition';

/** Name of the StorageClass of the monitoring volumes; not the cluster default, every claim names it. */
export const MONITORING_STORAGE_CLASS = 'monitoring-gp3-encrypted';

/**
 * Days kept beyond the longest SLO window, so that a review days after an incident can still compute the
 * 30-day figure as it stood during it, and a dashboard can plot that figure over the last few days.
 */
export const RETENTION_MARGIN_DAYS = 5;

/**
 * The stated estimate the Prometheus volume is sized from (Prometheus "Storage" docs:
 * needed_disk_space = retention_time_seconds * ingested_samples_per_second * bytes_per_sample). An order of
 * magnitude, generous on purpose: kube-prometheus-stack's default scrapes (API server, kubelet and cAdvisor,
 * node-exporter, kube-state-metrics) on up to 6 nodes are about 100k series, the API's request histogram
 * (buckets x routes x methods x status classes x pods) and the add-ons' metrics add tens of thousands.
 */
export const PROMETHEUS_SIZING = {
  /** Active series, all targets together. */
  activeSeries: 150_000,
  /** Bytes per sample on disk after compression; Prometheus documents 1 to 2. */
  bytesPerSample: 2,
  /** The Prometheus Operator's default scrape interval, which kube-prometheus-stack keeps. */
  scrapeIntervalSeconds: 30,
  /**
   * Share of the volume the blocks may fill (`retentionSize`); Prometheus recommends at most 80-85%. The rest
   * holds what size retention never deletes but counts (the WAL and m-mapped head chunks, under 1 GiB here),
   * a compaction's output written before its inputs go (a block spans up to 10% of retention, about 3 GiB),
   * and ext4's 5% reserved for root, which Prometheus (not root) cannot use.
   */
  blocksShareOfVolume: 0.8,
} as const;

/** Alertmanager keeps silences and its notification log here (kilobytes); 1 GiB is gp3's smallest volume. */
export const ALERTMANAGER_VOLUME_GIB = 1;

const DAY_SECONDS = 86_400;
const GIB = 2 ** 30;

/** How long Prometheus keeps data and how large its volume is, derived from the SLOs and the estimate. */
export interface PrometheusRetention {
  /** Longest range any SLO rule reads, in whole days. */
  readonly longestSloWindowDays: number;
  /** Days of data kept: the longest window plus {@link RETENTION_MARGIN_DAYS}. */
  readonly retentionDays: number;
  /** Bytes the blocks of `retentionDays` take by {@link PROMETHEUS_SIZING}. */
  readonly estimatedBytes: number;
  /** Size of the Prometheus volume in GiB: the estimate over the blocks' share, rounded up to 10 GiB. */
  readonly volumeGiB: number;
  /** `retentionSize` in GiB: the blocks' share of the volume, at least the estimate. */
  readonly retentionSizeGiB: number;
}

/**
 * The longest range, in whole days, that the rules generated from these SLOs read: the SLO period, which
 * `slo:sli_error:ratio_rate<period>` averages the shortest recorded ratio over, or a longer burn-rate window.
 */
export function longestSloWindowDays(slos: readonly SloDefinition[]): number {
  if (slos.length === 0) throw new Error('slos must list at least one SLO');
  const seconds = slos.flatMap((slo) => sliWindows(slo.burnRateWindows, slo.periodDays).map(durationSeconds));
  return Math.ceil(Math.max(...seconds) / DAY_SECONDS);
}

/** Retention and volume size of Prometheus for these SLOs. */
export function prometheusRetention(slos: readonly SloDefinition[]): PrometheusRetention {
  const longest = longestSloWindowDays(slos);
  const retentionDays = longest + RETENTION_MARGIN_DAYS;
  const { activeSeries, bytesPerSample, scrapeIntervalSeconds, blocksShareOfVolume } = PROMETHEUS_SIZING;
  const estimatedBytes =
    activeSeries * bytesPerSample * (DAY_SECONDS / scrapeIntervalSeconds) * retentionDays;
  const volumeGiB = Math.ceil(estimatedBytes / blocksShareOfVolume / GIB / 10) * 10;
  const retentionSizeGiB = Math.floor(volumeGiB * blocksShareOfVolume);
  return { longestSloWindowDays: longest, retentionDays, estimatedBytes, volumeGiB, retentionSizeGiB };
}

/**
 * The kube-prometheus-stack values that keep Prometheus' data for the SLOs' longest window plus a margin, on an
 * encrypted gp3 volume, and Alertmanager's silences on a small one, both of {@link MONITORING_STORAGE_CLASS}.
 */
export function prometheusStorageValues(slos: readonly SloDefinition[]): Record<string, unknown> {
  const { retentionDays, volumeGiB, retentionSizeGiB } = prometheusRetention(slos);
  return {
    prometheus: {
      prometheusSpec: {
        retention: `${retentionDays}d`,
        // Prometheus' units are powers of two: "32GB" is 32 GiB. Old blocks go before the volume fills.
        retentionSize: `${retentionSizeGiB}GB`,
        storageSpec: { volumeClaimTemplate: volumeClaimTemplate(volumeGiB) },
      },
    },
    alertmanager: {
      alertmanagerSpec: { storage: { volumeClaimTemplate: volumeClaimTemplate(ALERTMANAGER_VOLUME_GIB) } },
    },
  };
}

/**
 * The StorageClass of the monitoring volumes, applied with the cluster: EKS clusters of Kubernetes 1.30 and
 * later have no default StorageClass (EKS user guide, Kubernetes 1.30 release notes), and the in-tree gp2
 * class is neither gp3 nor encrypted.
 * @param reclaimPolicy `Retain` keeps a volume when its claim is deleted (prod), `Delete` lets it go (dev)
 */
export function monitoringStorageClass(reclaimPolicy: 'Retain' | 'Delete'): Record<string, unknown> {
  const storageClass = new StorageClass({
    metadata: { name: MONITORING_STORAGE_CLASS },
    // The EBS CSI driver's provisioner; the managed add-on `aws-ebs-csi-driver` runs it.
    provisioner: 'ebs.csi.aws.com',
    parameters: {
      type: 'gp3',
      // No kmsKeyId: EBS uses the region's default EBS key, `aws/ebs` unless the account changed it (EBS CSI
      // driver, "CreateVolume Parameters"), so the driver's role needs no KMS grant.
      encrypted: 'true',
    },
    // The volume is created in the zone of the node the pod is scheduled to, not in a random one.
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
    // Immutable in Kubernetes: changing it means deleting and re-creating the class (its volumes stay).
    reclaimPolicy,
  });
  storageClass.validate();
  return storageClass.toJSON() as Record<string, unknown>;
}

function volumeClaimTemplate(sizeGiB: number): Record<string, unknown> {
  return {
    spec: {
      storageClassName: MONITORING_STORAGE_CLASS,
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: `${sizeGiB}Gi` } },
    },
  };
}
