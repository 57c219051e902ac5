import { Chart, Testing } from 'cdk8s';
import { API_EGRESS_PORTS } from '../../constructs/api-network-policy';
import { OutboxRelayNetworkPolicy } from '../../constructs/outbox-relay-network-policy';

describe('OutboxRelayNetworkPolicy', () => {
  test('admits only the monitoring namespace on the metrics port, and opens PostgreSQL and HTTPS only into the VPC', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    // WHEN
    new OutboxRelayNetworkPolicy(chart, 'Policy', {
      name: 'api-relay',
      namespace: 'api',
      metricsPort: 3001,
      vpcCidr: '10.0.0.0/16',
      monitoringNamespace: 'monitoring',
    });
    const [policy] = Testing.synth(chart);
    // THEN
    expect(policy.spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
        ports: [{ protocol: 'TCP', port: 3001 }],
      },
    ]);
    const egressPorts = policy.spec.egress.flatMap((rule: { ports: { port: number }[] }) =>
      rule.ports.map((p) => p.port),
    );
    // DNS, then PostgreSQL and HTTPS (SQS and STS through their interface endpoints); no Redis.
    expect(egressPorts).toEqual([
      API_EGRESS_PORTS.dns,
      API_EGRESS_PORTS.dns,
      API_EGRESS_PORTS.postgres,
      API_EGRESS_PORTS.https,
    ]);
    expect(egressPorts).not.toContain(API_EGRESS_PORTS.redis);
    expect(policy.spec.egress[1].to).toEqual([{ ipBlock: { cidr: '10.0.0.0/16' } }]);
  });
});
