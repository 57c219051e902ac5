import { prometheusRuleFiles } from '../../../dashboards/prometheus/prometheus-rule-files';
import { apiSlos } from '../../../dashboards/slo/slo-definition';
import { ENVIRONMENT_NAMES, loadPlatformConfig, type PlatformConfig } from '../../config/platform-config';
import {
  ALERTMANAGER_VOLUME_GIB,
  longestSloWindowDays,
  MONITORING_STORAGE_CLASS,
  monitoringStorageClass,
  PROMETHEUS_SIZING,
  prometheusRetention,
  prometheusStorageValues,
  RETENTION_MARGIN_DAYS,
} from '../../lib/prometheus-storage-values';
import { longestRuleRangeSeconds } from '../helpers/longest-rule-range';

const GIB = 2 ** 30;

/** The `prometheusSpec` and `alertmanagerSpec` of the values, typed for the fields asserted. */
function specs(values: Record<string, unknown>) {
  const { prometheus, alertmanager } = values as {
    prometheus: { prometheusSpec: { retention: string; retentionSize: string; storageSpec: unknown } };
    alertmanager: { alertmanagerSpec: { storage: unknown } };
  };
  return { prometheusSpec: prometheus.prometheusSpec, alertmanagerSpec: alertmanager.alertmanagerSpec };
}

/** A config whose SLO window is `windowDays`, everything else as in dev. */
function withWindowDays(windowDays: number): PlatformConfig {
  const dev = loadPlatformConfig('dev');
  return { ...dev, slo: { ...dev.slo, windowDays } };
}

describe('prometheusStorageValues', () => {
  test.each(ENVIRONMENT_NAMES)(
    'keeps %s data at least as long as the longest range any generated rule reads, plus the margin',
    (envName) => {
      // GIVEN
      const config = loadPlatformConfig(envName);
      const longestRuleRangeDays = longestRuleRangeSeconds(prometheusRuleFiles(config)) / 86_400;
      // WHEN
      const { prometheusSpec } = specs(prometheusStorageValues(apiSlos(config)));
      // THEN
      const retentionDays = Number(/^(\d+)d$/.exec(prometheusSpec.retention)?.[1]);
      expect(longestRuleRangeDays).toBeGreaterThanOrEqual(config.slo.windowDays);
      expect(retentionDays).toBeGreaterThanOrEqual(longestRuleRangeDays + RETENTION_MARGIN_DAYS);
    },
  );

  test.each([7, 28, 90])('follows the SLO window from the configuration: %i days', (windowDays) => {
    // GIVEN
    const slos = apiSlos(withWindowDays(windowDays));
    // WHEN
    const { prometheusSpec } = specs(prometheusStorageValues(slos));
    // THEN
    expect(longestSloWindowDays(slos)).toBe(windowDays);
    expect(prometheusSpec.retention).toBe(`${windowDays + RETENTION_MARGIN_DAYS}d`);
  });

  test('deletes old blocks before the volume fills: retentionSize at most 85% of the volume, at least the estimate', () => {
    // GIVEN
    const config = loadPlatformConfig('prod');
    // WHEN
    const retention = prometheusRetention(apiSlos(config));
    const { prometheusSpec } = specs(prometheusStorageValues(apiSlos(config)));
    // THEN
    const { activeSeries, bytesPerSample, scrapeIntervalSeconds } = PROMETHEUS_SIZING;
    expect(retention.estimatedBytes).toBe(
      activeSeries * bytesPerSample * (86_400 / scrapeIntervalSeconds) * retention.retentionDays,
    );
    expect(retention.retentionSizeGiB * GIB).toBeGreaterThanOrEqual(retention.estimatedBytes);
    expect(retention.retentionSizeGiB).toBeLessThanOrEqual(retention.volumeGiB * 0.85);
    expect(prometheusSpec.retentionSize).toBe(`${retention.retentionSizeGiB}GB`);
    expect(prometheusSpec.storageSpec).toEqual({
      volumeClaimTemplate: {
        spec: {
          storageClassName: MONITORING_STORAGE_CLASS,
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: `${retention.volumeGiB}Gi` } },
        },
      },
    });
  });

  test("keeps Alertmanager's silences on a small volume of the same class", () => {
    // WHEN
    const { alertmanagerSpec } = specs(prometheusStorageValues(apiSlos(loadPlatformConfig('dev'))));
    // THEN
    expect(alertmanagerSpec.storage).toEqual({
      volumeClaimTemplate: {
        spec: {
          storageClassName: MONITORING_STORAGE_CLASS,
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: `${ALERTMANAGER_VOLUME_GIB}Gi` } },
        },
      },
    });
  });

  test('rejects an empty SLO list', () => {
    // THEN
    expect(() => prometheusStorageValues([])).toThrow(/slos must list at least one SLO/);
  });
});

describe('monitoringStorageClass', () => {
  test.each(['Retain', 'Delete'] as const)(
    'is an encrypted gp3 class of the EBS CSI driver, bound in the pod zone, expandable, reclaim %s',
    (reclaimPolicy) => {
      // WHEN
      const storageClass = monitoringStorageClass(reclaimPolicy);
      // THEN
      expect(storageClass).toEqual({
        apiVersion: 'storage.k8s.io/v1',
        kind: 'StorageClass',
        metadata: { name: MONITORING_STORAGE_CLASS },
        provisioner: 'ebs.csi.aws.com',
        parameters: { type: 'gp3', encrypted: 'true' },
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
        reclaimPolicy,
      });
      // Not the cluster default: nothing else gets a volume of this class without naming it.
      expect(JSON.stringify(storageClass)).not.toContain('is-default-class');
    },
  );
});
