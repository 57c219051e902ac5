import { PodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import { loadPlatformConfig } from '../../../infra/config/platform-config';
import { LIVENESS_PATH } from '../../../service/src/probe-paths';
import { apiPodTemplate } from '../../lib/api-pod-template';
import { terminationGracePeriodSeconds } from '../../lib/workload-sizing';

describe('apiPodTemplate', () => {
  const { workload } = loadPlatformConfig('prod');
  const template = apiPodTemplate({
    workload,
    image: 'example/api:1.0.0',
    serviceAccountName: 'api',
    configMapName: 'api-config',
    secretName: 'api-secrets',
  });

  test('is a valid core pod template, not only a valid Rollout field', () => {
    // THEN
    expect(() => new PodTemplateSpec(template).validate()).not.toThrow();
  });

  test('reads its environment from the ConfigMap and the Secret, and waits for the shutdown', () => {
    // GIVEN
    const container = template.spec!.containers[0];
    // THEN
    expect(container.envFrom).toEqual([
      { configMapRef: { name: 'api-config' } },
      { secretRef: { name: 'api-secrets' } },
    ]);
    expect(container.env).toBeUndefined();
    expect(container.startupProbe!.httpGet!.path).toBe(LIVENESS_PATH);
    expect(template.spec!.terminationGracePeriodSeconds).toBe(terminationGracePeriodSeconds(workload));
  });

  test('mounts nothing but its scratch space: the RDS CAs ship in the image', () => {
    // THEN
    expect(template.spec!.volumes!.map((volume) => volume.name)).toEqual(['tmp']);
  });
});
