import { unexplainedErrors, type CfnLintFinding } from '../cfn-lint-findings';

/** A finding as `cfn-lint --format json` reports it (recorded from a run over cdk.out). */
function finding(
  path: (string | number)[],
  rule = 'E3002',
  level: CfnLintFinding['Level'] = 'Error',
): CfnLintFinding {
  return {
    Filename: 'cdk.out/dev/Stack.template.json',
    Level: level,
    Message: "Additional properties are not allowed ('Tags' was unexpected)",
    Rule: { Id: rule },
    Location: { Path: path, Start: { LineNumber: 1 } },
  };
}

const types: Record<string, string> = {
  Listener: 'AWS::ElasticLoadBalancingV2::Listener',
  ProxyTargetGroup: 'AWS::RDS::DBProxyTargetGroup',
  Cluster: 'AWS::RDS::DBCluster',
};
const resourceTypesOf = () => (logicalId: string) => types[logicalId];

describe('unexplainedErrors', () => {
  it('accepts Tags on the types whose cfn-lint schema lags aws-cdk-lib', () => {
    const findings = [
      finding(['Resources', 'Listener', 'Properties', 'Tags']),
      finding(['Resources', 'ProxyTargetGroup', 'Properties', 'Tags']),
    ];

    expect(unexplainedErrors(findings, resourceTypesOf)).toEqual([]);
  });

  it('keeps every other error: another property, another type, another rule, or outside a resource', () => {
    const findings = [
      finding(['Resources', 'Listener', 'Properties', 'Port']),
      finding(['Resources', 'Cluster', 'Properties', 'Tags']),
      finding(['Resources', 'Listener', 'Properties', 'Tags'], 'E3012'),
      finding(['Outputs', 'Endpoint', 'Value']),
    ];

    expect(unexplainedErrors(findings, resourceTypesOf)).toEqual(findings);
  });

  it('counts no warning as an error', () => {
    expect(
      unexplainedErrors(
        [finding(['Resources', 'Cluster', 'DependsOn'], 'W3005', 'Warning')],
        resourceTypesOf,
      ),
    ).toEqual([]);
  });
});
