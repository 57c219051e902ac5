import { Testing } from 'cdk8s';
import { allRegions, ENVIRONMENT_NAMES, loadPlatformConfig } from '../../../infra/config/platform-config';
import { ApiChart } from '../../charts/api-chart';
import { placeholderSecretSources } from '../../lib/placeholder-secret-sources';

// Loose views of the synthesized objects: the tests read fields, the schema check in api-chart.test vouches for shapes.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

const IMAGE = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/api-platform/api:1.2.3';
const POD_OWNERS = ['Rollout', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];

/** What a pod template names and something must create first, as `Kind/name`. */
function podReferences(podSpec: Any): string[] {
  const references = new Set<string>();
  if (podSpec.serviceAccountName) references.add(`ServiceAccount/${podSpec.serviceAccountName}`);
  if (podSpec.priorityClassName) references.add(`PriorityClass/${podSpec.priorityClassName}`);
  for (const secret of podSpec.imagePullSecrets ?? []) references.add(`Secret/${secret.name}`);
  for (const volume of podSpec.volumes ?? []) {
    if (volume.configMap) references.add(`ConfigMap/${volume.configMap.name}`);
    if (volume.secret) references.add(`Secret/${volume.secret.secretName}`);
    if (volume.persistentVolumeClaim) {
      references.add(`PersistentVolumeClaim/${volume.persistentVolumeClaim.claimName}`);
    }
    for (const source of volume.projected?.sources ?? []) {
      if (source.configMap) references.add(`ConfigMap/${source.configMap.name}`);
      if (source.secret) references.add(`Secret/${source.secret.name}`);
    }
  }
  for (const container of [...(podSpec.initContainers ?? []), ...podSpec.containers]) {
    for (const from of container.envFrom ?? []) {
      if (from.configMapRef) references.add(`ConfigMap/${from.configMapRef.name}`);
      if (from.secretRef) references.add(`Secret/${from.secretRef.name}`);
    }
    for (const variable of container.env ?? []) {
      const ref = variable.valueFrom;
      if (ref?.configMapKeyRef) references.add(`ConfigMap/${ref.configMapKeyRef.name}`);
      if (ref?.secretKeyRef) references.add(`Secret/${ref.secretKeyRef.name}`);
    }
  }
  return [...references];
}

/** What the chart creates, as `Kind/name`: its objects, and the Secrets its ExternalSecrets write. */
function created(manifests: Any[]): Set<string> {
  const names = new Set(manifests.map((m) => `${m.kind}/${m.metadata.name}`));
  for (const m of manifests.filter((candidate) => candidate.kind === 'ExternalSecret')) {
    names.add(`Secret/${m.spec.target?.name ?? m.metadata.name}`);
  }
  return names;
}

describe.each(ENVIRONMENT_NAMES)('the %s pods', (envName) => {
  const config = loadPlatformConfig(envName);

  test.each(allRegions(config).map((region) => [region.region, region] as const))(
    'in %s name only objects the chart creates, and only the image it is given',
    (_name, region) => {
      // GIVEN
      const chart = new ApiChart(Testing.app(), 'api', {
        config,
        region,
        secretSources: placeholderSecretSources(config, region),
        image: IMAGE,
      });
      // WHEN
      const manifests = Testing.synth(chart) as Any[];
      const objects = created(manifests);
      const pods = manifests
        .filter((m) => POD_OWNERS.includes(m.kind))
        .map((m) => (m.kind === 'CronJob' ? m.spec.jobTemplate.spec.template.spec : m.spec.template.spec));
      // THEN
      expect(pods.length).toBeGreaterThanOrEqual(3);
      for (const pod of pods) {
        // Nothing is left for a person to create by hand before the pods can start.
        for (const reference of podReferences(pod)) expect(objects).toContain(reference);
        for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
          expect(container.image).toBe(IMAGE);
        }
      }
    },
  );
});
