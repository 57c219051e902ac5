import { Chart, Testing } from 'cdk8s';
import { API_EGRESS_PORTS, ApiNetworkPolicy } from '../../constructs/api-network-policy';

describe('ApiNetworkPolicy', () => {
  test('denies by default and opens only the listed ports', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test');
    // WHEN
    new ApiNetworkPolicy(chart, 'Policy', {
      namespace: 'api',
      port: 3000,
      vpcCidr: '10.0.0.0/16',
      monitoringNamespace: 'monitoring',
    });
    const [policy] = Testing.synth(chart);
    // THEN
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress).toEqual([
      {
        from: [
          { ipBlock: { cidr: '10.0.0.0/16' } },
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
        ],
        ports: [{ protocol: 'TCP', port: 3000 }],
      },
    ]);
    const egressPorts = policy.spec.egress.flatMap((rule: { ports: { port: number }[] }) =>
      rule.ports.map((p) => p.port),
    );
    expect(new Set(egressPorts)).toEqual(new Set(Object.values(API_EGRESS_PORTS)));
    // Databases only inside the VPC.
    expect(policy.spec.egress[1].to).toEqual([{ ipBlock: { cidr: '10.0.0.0/16' } }]);
  });
});
