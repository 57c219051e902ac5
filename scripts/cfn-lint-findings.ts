// Reads cfn-lint's JSON report (`cfn-lint --format json`) and separates real errors from the known lag of the
// linter's bundled resource schemas behind the CloudFormation resource specification aws-cdk-lib is built from.

/** One finding of `cfn-lint --format json`, reduced to what is read here. */
export interface CfnLintFinding {
  readonly Filename: string;
  readonly Level: 'Error' | 'Warning' | 'Informational';
  readonly Message: string;
  readonly Rule: { readonly Id: string };
  readonly Location: {
    readonly Path: readonly (string | number)[];
    readonly Start: { readonly LineNumber: number };
  };
}

/** An error cfn-lint reports that CloudFormation does not, with the reason it is accepted. */
export interface KnownSchemaLag {
  readonly rule: string;
  readonly resourceType: string;
  readonly property: string;
  readonly reason: string;
}

/**
 * `Tags` on these types: aws-cdk-lib's L1s, generated from the CloudFormation registry's resource schemas, make
 * them taggable (`Tags.of(stack)` adds the cost-allocation tags), while cfn-lint 1.51's bundled schemas predate
 * the property. docs/aws-assumptions.md has the `aws cloudformation describe-type` check. Nothing else is ignored.
 */
export const KNOWN_SCHEMA_LAG: readonly KnownSchemaLag[] = [
  'AWS::ElasticLoadBalancingV2::Listener',
  'AWS::ApplicationAutoScaling::ScalableTarget',
  'AWS::RDS::DBProxyTargetGroup',
].map((resourceType) => ({
  rule: 'E3002',
  resourceType,
  property: 'Tags',
  reason: `aws-cdk-lib's L1 of ${resourceType} is taggable; cfn-lint's bundled schema lags`,
}));

/** Resource types of a template by logical id. */
export type ResourceTypes = (logicalId: string) => string | undefined;

/** Errors that are not known schema lag: a deploy would most likely be refused, or the linter knows better. */
export function unexplainedErrors(
  findings: readonly CfnLintFinding[],
  resourceTypesOf: (filename: string) => ResourceTypes,
  known: readonly KnownSchemaLag[] = KNOWN_SCHEMA_LAG,
): CfnLintFinding[] {
  return findings.filter((finding) => {
    if (finding.Level !== 'Error') return false;
    const [section, logicalId, properties, property] = finding.Location.Path;
    if (section !== 'Resources' || properties !== 'Properties' || typeof logicalId !== 'string') return true;
    const resourceType = resourceTypesOf(finding.Filename)(logicalId);
    return !known.some(
      (lag) => lag.rule === finding.Rule.Id && lag.resourceType === resourceType && lag.property === property,
    );
  });
}
