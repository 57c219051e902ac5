import { Chart, Testing } from 'cdk8s';
import { loadPlatformConfig } from '../../../infra/config/platform-config';
import { WAIT_FOR_SCHEMA_ARG } from '../../../service/src/db/release-schema';
import { OutboxRelayDeployment, RELAY_COMMAND } from '../../constructs/outbox-relay-deployment';
import { MIGRATION_COMMAND } from '../../lib/schema-step-containers';

describe('OutboxRelayDeployment', () => {
  const { outboxRelay } = loadPlatformConfig('prod');
  const props = {
    name: 'api-relay',
    namespace: 'api',
    image: 'example/api:1.0.0',
    relay: outboxRelay,
    serviceAccountName: 'api-relay',
    configMapName: 'api-relay-config',
    secretName: 'api-secrets',
    databaseEnvironment: { DATABASE_SSL_MODE: 'verify-full', DATABASE_AUTH: 'iam', AWS_REGION: 'eu-west-1' },
    priorityClassName: 'critical',
  };

  test('emits the Deployment and a disruption budget selecting the same pods', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    // WHEN
    new OutboxRelayDeployment(chart, 'Relay', { ...props, replicas: 3 });
    const [deployment, budget] = Testing.synth(chart);
    // THEN
    expect([deployment.kind, budget.kind]).toEqual(['Deployment', 'PodDisruptionBudget']);
    expect(deployment.spec.replicas).toBe(3);
    expect(budget.spec.selector).toEqual(deployment.spec.selector);
    expect(deployment.spec.template.spec.containers[0].command).toEqual([...RELAY_COMMAND]);
    expect(deployment.spec.template.spec.containers[0].ports[0].containerPort).toBe(outboxRelay.healthPort);
  });

  test("waits for its build's schema before the relay starts: its queries expect it", () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    // WHEN
    new OutboxRelayDeployment(chart, 'Relay', { ...props, replicas: 2 });
    const [deployment] = Testing.synth(chart);
    const [init] = deployment.spec.template.spec.initContainers;
    // THEN
    expect(init.image).toBe(props.image);
    expect(init.command).toEqual([...MIGRATION_COMMAND, WAIT_FOR_SCHEMA_ARG]);
    // The relay's own URL and sign-in (IAM tokens as its database role), like the relay container itself.
    expect(init.env).toEqual([
      {
        name: 'DATABASE_URL',
        valueFrom: { secretKeyRef: { name: props.secretName, key: 'RELAY_DATABASE_URL' } },
      },
      ...Object.entries(props.databaseEnvironment).map(([name, value]) => ({ name, value })),
    ]);
  });

  test('rejects a replica count that is not a whole number', () => {
    // THEN
    for (const replicas of [-1, 1.5]) {
      expect(
        () => new OutboxRelayDeployment(new Chart(Testing.app(), 't'), 'Relay', { ...props, replicas }),
      ).toThrow(`replicas must be a whole number, got ${replicas}`);
    }
  });
});
