import { PodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import { loadPlatformConfig } from '../../../infra/config/platform-config';
import { LIVENESS_PATH } from '../../../service/src/probe-paths';
import { WAIT_FOR_SCHEMA_ARG } from '../../../service/src/db/release-schema';
import { apiPodTemplate, RESTRICTED_CONTAINER_SECURITY_CONTEXT } from '../../lib/api-pod-template';
import { MIGRATION_COMMAND } from '../../lib/schema-step-containers';
import { terminationGracePeriodSeconds } from '../../lib/workload-sizing';

const SECRET_NAME = 'api-secrets';
const DATABASE_ENVIRONMENT = {
  DATABASE_SSL_MODE: 'verify-full',
  DATABASE_AUTH: 'iam',
  AWS_REGION: 'eu-west-1',
};

describe('apiPodTemplate', () => {
  const { workload } = loadPlatformConfig('prod');
  const template = apiPodTemplate({
    workload,
    image: 'example/api:1.0.0',
    serviceAccountName: 'api',
    configMapName: 'api-config',
    secretName: SECRET_NAME,
    databaseEnvironment: DATABASE_ENVIRONMENT,
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

  test("waits for its build's schema before the API starts, with the writer URL and TLS only", () => {
    // GIVEN
    const [init] = template.spec!.initContainers!;
    // THEN
    expect(init.image).toBe(template.spec!.containers[0].image);
    expect(init.command).toEqual([...MIGRATION_COMMAND, WAIT_FOR_SCHEMA_ARG]);
    expect(init.env).toEqual([
      { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: SECRET_NAME, key: 'DATABASE_URL' } } },
      ...Object.entries(DATABASE_ENVIRONMENT).map(([name, value]) => ({ name, value })),
    ]);
    expect(init.securityContext).toEqual(RESTRICTED_CONTAINER_SECURITY_CONTEXT);
  });

  test('mounts nothing but its scratch space: the RDS CAs ship in the image', () => {
    // THEN
    expect(template.spec!.volumes!.map((volume) => volume.name)).toEqual(['tmp']);
  });
});
